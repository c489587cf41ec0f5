"""Circulation pages: the loan desk, check-in and transit, the hold shelf, "which rule applies and why",
the patron's circulation panel on the staff patron page, and the patron's own account pages in the OPAC.

Loan-rule and closed-day management pages are in ``rules.py``.
"""

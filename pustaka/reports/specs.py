"""The reports the library has: each one's address, title, permission, filters and function.

Who reads what (roles in ``pustaka/core/roles.py``):

- ``reports.view_circulation_reports``: circulation by period, loans by group, most borrowed titles,
  the overdue list: the circulation desk, senior technicians, librarians, IT managers, administrators;
- ``reports.view_reports``: every other report (collection, members, visits, digital, the national
  yearly figures): librarians, IT managers and administrators.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from pustaka.acquisitions import reports as acquisitions

from . import queries

CIRCULATION = "reports.view_circulation_reports"
ALL = "reports.view_reports"


@dataclass(frozen=True)
class ReportSpec:
    """One report: ``slug`` in its address, the ``filters`` its form shows, the ``dimensions`` its
    "by" choice offers, and the function that computes it."""

    slug: str
    title: object
    description: object
    section: object
    permission: str
    function: object
    filters: tuple[str, ...] = ("period", "grain", "branch")
    dimensions: tuple[tuple[str, object], ...] = ()

    def dimension_choices(self) -> list[tuple[str, str]]:
        return [(key, label) for key, label in self.dimensions]


D = queries.DIMENSION_LABELS
S_CIRC, S_COLL, S_MEM, S_DIG, S_NAT = (
    _("Circulation"), _("Collection"), _("Members and visits"), _("Digital library"), _("Yearly figures"),
)  # fmt: skip

REPORTS: list[ReportSpec] = [
    ReportSpec(
        "circulation", _("Circulation by period"),
        _("Loans, renewals, returns, holds placed and overdue loans per day, month or year."),
        S_CIRC, CIRCULATION, queries.circulation, ("period", "grain", "branch", "category", "item_type"),
    ),
    ReportSpec(
        "loans-by", _("Loans by group"),
        _("Loans, borrowers and titles lent by branch, patron category, item type, class or language."),
        S_CIRC, CIRCULATION, queries.loans_by, ("period", "branch", "category", "item_type", "by"),
        tuple((k, D[k]) for k in ("branch", "category", "item_type", "class", "language")),
    ),
    ReportSpec(
        "top-titles", _("Most borrowed titles"), _("The titles lent most often in the period."),
        S_CIRC, CIRCULATION, queries.top_titles, ("period", "branch", "category", "item_type", "limit"),
    ),
    ReportSpec(
        "overdue", _("Overdue loans"), _("Loans still out past their due date, with the patron's contact."),
        S_CIRC, CIRCULATION, queries.overdue, ("branch", "category", "item_type"),
    ),
    ReportSpec(
        "collection", _("Titles and copies"),
        _("The collection today by class, item type, language, branch, material type or year acquired."),
        S_COLL, ALL, queries.collection, ("branch", "item_type", "by"),
        tuple((k, D[k]) for k in ("class", "item_type", "language", "branch", "material_type", "year")),
    ),
    ReportSpec(
        "collection-changes", _("Additions and withdrawals"), _("Copies added and withdrawn per period."),
        S_COLL, ALL, queries.collection_changes, ("period", "grain", "branch", "item_type"),
    ),
    ReportSpec(
        "never-borrowed", _("Copies never borrowed"),
        _("Copies acquired by the end of the period that were never lent: candidates for weeding."),
        S_COLL, ALL, queries.never_borrowed, ("period", "branch", "item_type"),
    ),
    ReportSpec(
        "members", _("Members"), _("Members, active, new and ended memberships and borrowers per category."),
        S_MEM, ALL, queries.members, ("period", "branch"),
    ),
    ReportSpec(
        "visits", _("Visits"), _("Visitors per day, hour, branch, purpose or visitor category."),
        S_MEM, ALL, queries.visits, ("period", "branch", "by"),
        tuple((k, D[k]) for k in ("day", "hour", "branch", "purpose")) + (("category", _("Visitor category")),),
    ),
    ReportSpec(
        "digital", _("Digital library use"), _("Reading online, downloads, links followed and refusals per month."),
        S_DIG, ALL, queries.digital, ("period",),
    ),
    ReportSpec(
        "national", _("Yearly library statistics"),
        _("The figures reported each year to the national library: collection, members, visits, loans, "
          "staff, programs."),
        S_NAT, ALL, queries.national, ("year", "branch"),
    ),
    ReportSpec(
        "acquisitions-funds", _("Spending by fund"),
        _("Each fund of the year: budget, encumbered by orders still to come, spent on copies received, available."),
        _("Acquisitions"), ALL, acquisitions.spending_by_fund, ("year",),
    ),
    ReportSpec(
        "acquisitions-vendors", _("Spending by vendor"),
        _("Per vendor: orders sent and their value, copies received, invoiced and paid in the period."),
        _("Acquisitions"), ALL, acquisitions.spending_by_vendor, ("period",),
    ),
]  # fmt: skip
BY_SLUG = {spec.slug: spec for spec in REPORTS}


def visible_to(user) -> list[ReportSpec]:
    """The reports ``user`` may read, in order."""
    return [spec for spec in REPORTS if user.has_perm(spec.permission)]

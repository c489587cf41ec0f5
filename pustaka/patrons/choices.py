"""Patron choices: why a patron may be blocked."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices


class BlockReason(ColouredChoices):
    """Why a patron may not borrow. ``manual`` blocks are stored; the others are computed."""

    MANUAL = "manual", _("Blocked by staff")
    EXPIRED = "expired", _("Membership expired")
    OVERDUES = "overdues", _("Too many overdue items")
    FINES = "fines", _("Fines over the limit")


BlockReason.set_colours({"manual": "red", "expired": "yellow", "overdues": "orange", "fines": "orange"})

"""Clearance letter choices: why a patron needs one, and whether it still stands."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices, template_kind


class ClearancePurpose(ColouredChoices):
    """What the letter is for (the letter says it)."""

    GRADUATION = "graduation", _("Graduation")
    TRANSFER = "transfer", _("Moving to another school or institution")
    END_OF_WORK = "end_of_work", _("End of employment or assignment")
    MEMBERSHIP_END = "membership_end", _("Ending the membership")
    OTHER = "other", _("Other")


@template_kind("clearance_status")
class ClearanceStatus(ColouredChoices):
    """A letter stands once issued; staff may revoke it (issued in error); revoked is final."""

    ISSUED = "issued", _("Valid")
    REVOKED = "revoked", _("Revoked")


ClearanceStatus.set_colours({ClearanceStatus.ISSUED: "green", ClearanceStatus.REVOKED: "red"})

"""Clearance letter errors: each says exactly why a letter was refused."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class ClearanceBlocked(Conflict):
    """The patron still has loans, charges or holds: ``blockers`` lists each (the message says them all)."""

    code = "clearance_blocked"
    message = _("A clearance letter cannot be issued yet: %(reasons)s")

    def __init__(self, blockers, **kwargs):
        self.blockers = list(blockers)
        super().__init__(reasons="; ".join(str(b.text) for b in self.blockers), **kwargs)

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["blockers"] = [{"kind": b.kind, "message": str(b.text), "count": b.count} for b in self.blockers]
        return data


class InvalidClearance(ValidationFailed):
    code = "invalid_clearance"
    message = _("The clearance letter's details are not valid.")


class InvalidNumberPattern(ValidationFailed):
    code = "invalid_number_pattern"
    message = _(
        "Number pattern: “%(pattern)s” cannot be used: %(reason)s. Use {seq:03}, {year}, {month}, {roman_month} "
        "and {branch}, e.g. {seq:03}/BP/{year}."
    )


class LetterNotFound(NotFound):
    code = "clearance_letter_not_found"
    message = _("There is no clearance letter #%(letter)s.")


class NoPatronRecord(NotFound):
    code = "no_patron_record"
    message = _("Your login is not linked to a library card; ask the library staff.")


class LetterAlreadyRevoked(Conflict):
    code = "clearance_already_revoked"
    message = _("The clearance letter %(number)s is already revoked.")

"""Typed errors. Each knows its code, its HTTP status and how to say itself in both languages.

Pages show ``str(error)``; the API answers ``{"code", "message", "field"}``; SIP2 maps the code.
"""

from django.utils.translation import gettext_lazy as _


class PustakaError(Exception):
    """Base of every error a person may see. ``message`` is a lazy translation with placeholders."""

    code = "error"
    status = 400
    message = _("The request could not be completed.")

    def __init__(self, message=None, *, field: str | None = None, **params):
        self.field = field
        self.params = params
        if message is not None:
            self.message = message
        super().__init__(self.text)

    @property
    def text(self) -> str:
        # ``message % params`` (not ``str(message) % params``) so a plural message (``ngettext_lazy`` with
        # the name of its count) picks its form from the count.
        try:
            return str(self.message % self.params) if self.params else str(self.message)
        except (KeyError, TypeError, ValueError):
            return str(self.message)

    def __str__(self) -> str:  # evaluated at display time, in the active language
        return self.text

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": self.text}
        if self.field:
            data["field"] = self.field
        return data


class PermissionDenied(PustakaError):
    code = "permission_denied"
    status = 403
    message = _("You do not have permission to do this.")


class NotFound(PustakaError):
    code = "not_found"
    status = 404
    message = _("Not found.")


class ValidationFailed(PustakaError):
    """Bad input: ``field`` names the field when there is one."""

    code = "invalid"
    status = 400
    message = _("The data is not valid.")


class AmountNotUnderstood(ValidationFailed):
    """Text given as an amount that cannot be read without guessing (``5.00.0``): names the field and says
    why (:func:`pustaka.core.numbers.read_amount`)."""

    code = "amount_not_understood"
    message = _("%(label)s: “%(value)s” is not an amount: %(reason)s")


class Conflict(PustakaError):
    code = "conflict"
    status = 409
    message = _("This conflicts with existing data.")


class TransitionNotAllowed(PustakaError):
    """An item (or other object with a status) may not move from its status to the one asked for."""

    code = "transition_not_allowed"
    status = 409
    message = _("%(object)s cannot go from “%(source)s” to “%(target)s”.")


class BranchNotFound(NotFound):
    code = "branch_not_found"
    message = _("No branch has the code “%(code)s”.")


class StaffNotFound(NotFound):
    """No active account has the user name given."""

    code = "staff_not_found"
    message = _("No active member of staff has the user name “%(username)s”.")

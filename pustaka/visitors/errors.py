"""Visitor book errors: each says exactly why a visit, a purpose or a kiosk was refused."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class InvalidVisit(ValidationFailed):
    """A field of a visit is wrong; ``field`` names it and the message says why."""

    code = "invalid_visit"
    message = _("The visit's details are not valid.")


class UnknownCard(NotFound):
    """The kiosk or the desk was given a card number no member holds."""

    code = "unknown_card"
    message = _("No member has the card “%(card)s”. If you are not a member, please fill in the visitor form.")


class PurposeNotFound(NotFound):
    code = "purpose_not_found"
    message = _("There is no visit purpose “%(purpose)s”.")


class PurposeNotOffered(ValidationFailed):
    code = "purpose_not_offered"
    message = _("“%(purpose)s” is no longer offered as a purpose of visit.")


class InvalidPurpose(ValidationFailed):
    code = "invalid_purpose"
    message = _("The purpose's details are not valid.")


class DuplicatePurpose(Conflict):
    code = "duplicate_purpose"
    message = _("A purpose with the code “%(code)s” already exists.")


class KioskClosed(Conflict):
    """The kiosk screen was closed by staff (or never opened): it records nothing more."""

    code = "kiosk_closed"
    message = _("This visitor kiosk has been closed. Ask the library staff to open it again.")

"""Refusals that only the self-check protocol gives (the circulation refusals come from the actions)."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import NotFound, PermissionDenied, PustakaError, ValidationFailed


class NotLoggedIn(PermissionDenied):
    code = "sip_not_logged_in"
    message = _("This self-check machine is not logged in. Please ask at the desk.")


class WrongPin(PermissionDenied):
    code = "sip_wrong_pin"
    message = _("The PIN is not correct.")


class PinRequired(PermissionDenied):
    code = "sip_pin_required"
    message = _("Please enter your PIN.")


class PatronMissing(ValidationFailed):
    code = "sip_patron_missing"
    message = _("Please scan your library card.")


class ItemMissing(ValidationFailed):
    code = "sip_item_missing"
    message = _("Please scan the item's barcode.")


class LoanNotYours(PermissionDenied):
    code = "sip_loan_not_yours"
    message = _("Item %(barcode)s is not on loan to you.")


class HoldNotFound(NotFound):
    code = "sip_hold_not_found"
    message = _("You have no open hold on this title.")


class TitleMissing(ValidationFailed):
    code = "sip_title_missing"
    message = _("Please scan an item of the title you want to hold.")


class BranchUnknown(NotFound):
    code = "sip_branch_unknown"
    message = _("There is no branch with the code %(code)s.")


class NotSupported(PustakaError):
    code = "sip_not_supported"
    message = _("This self-check machine cannot do that here. Please ask at the desk.")


class ServerFault(PustakaError):
    code = "sip_system_error"
    message = _("The library system could not complete this request. Please ask at the desk.")


class InstitutionMismatch(PermissionDenied):
    """The institution id (AO) of a request is not the one of the machine's SIP2 account."""

    code = "sip_institution_mismatch"
    message = _("There is an institution mismatch: this machine sent %(institution)s. Please ask at the desk.")

"""Circulation errors: each refusal at the desk, in the API and over SIP2 is one of these types.

``code`` is stable (the API returns it; SIP2 maps it to its screen message); ``overridable`` says
whether a member of staff holding ``circulation.override`` may lend anyway.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from pustaka.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class CirculationRefused(Conflict):
    """Base of every circulation refusal.

    Some refusals say more to staff than to the patron (a manual block's note is written by staff
    for staff). ``str(error)`` is the patron-facing text: what the OPAC, SIP2 screens and a patron's
    own API calls show. ``error.staff_text`` adds the detail for the desk; pass it as ``staff={param:
    value}``, the placeholders that differ for staff. :meth:`for_staff` makes ``str()`` the staff text
    (used where only staff read the answer, e.g. a staff API call).
    """

    code = "circulation_refused"
    overridable = False

    def __init__(self, message=None, *, staff: dict | None = None, **params):
        self.staff_params = {**params, **(staff or {})}
        super().__init__(message, **params)

    @property
    def staff_text(self) -> str:
        """The message with staff's detail (the same as ``str()`` when there is none)."""
        try:
            return str(self.message % self.staff_params) if self.staff_params else str(self.message)
        except (KeyError, TypeError, ValueError):
            return self.text

    def for_staff(self) -> "CirculationRefused":
        """From now on ``str()`` and the API answer carry the staff detail."""
        self.params = dict(self.staff_params)
        return self


def staff_message(error) -> str:
    """What a member of staff is shown for ``error``: the staff text when there is one."""
    return getattr(error, "staff_text", None) or str(error)


class PatronNotFound(NotFound):
    code = "patron_not_found"
    message = _("No patron has the card number “%(card)s”.")


class PatronOfAnotherBranch(PermissionDenied):
    """Staff take payments, charge, waive and renew only for the members of their own branch
    (administrators for every member): the same rule on the desk, the API and SIP2."""

    code = "patron_of_another_branch"
    message = _(
        "%(patron)s is a member of %(branch)s: payments, charges, waivers and renewals for this member "
        "are made by that branch's staff or an administrator."
    )


class PatronBlocked(CirculationRefused):
    """``reasons`` names the kinds of block only (for the patron); ``staff={"reasons": ...}`` gives
    staff the explanations, manual blocks' notes included."""

    code = "patron_blocked"
    overridable = True
    message = _("%(patron)s is blocked: %(reasons)s.")


class ItemNotAvailable(CirculationRefused):
    code = "item_not_available"
    message = _("Item %(barcode)s is “%(status)s” and cannot be lent.")


class ItemNotLoanable(CirculationRefused):
    code = "item_not_loanable"
    overridable = True
    message = _("Item %(barcode)s is for use in the library only.")


class AlreadyOnLoan(CirculationRefused):
    code = "already_on_loan"
    message = _("Item %(barcode)s is already on loan to %(patron)s.")


class HeldForAnother(CirculationRefused):
    code = "held_for_another"
    overridable = True
    message = _("Item %(barcode)s is held for another patron.")


class LoanLimitReached(CirculationRefused):
    code = "loan_limit_reached"
    overridable = True
    message = ngettext_lazy(
        "%(patron)s already has %(count)s item on loan; the limit is %(limit)s.",
        "%(patron)s already has %(count)s items on loan; the limit is %(limit)s.",
        "count",
    )


class NotOnLoan(CirculationRefused):
    code = "not_on_loan"
    message = _("Item %(barcode)s is not on loan.")


class RenewalRefused(CirculationRefused):
    code = "renewal_refused"
    message = _("Item %(barcode)s cannot be renewed: %(reason)s.")


class HoldRefused(CirculationRefused):
    code = "hold_refused"
    message = _("The hold cannot be placed: %(reason)s.")


class HoldNotOpen(CirculationRefused):
    code = "hold_not_open"
    message = _("This hold is already closed.")


class NotYourAccount(PermissionDenied):
    code = "not_your_account"
    message = _("You can only do this for your own account.")


class InvalidAmount(ValidationFailed):
    code = "invalid_amount"
    message = _("The amount must be more than zero and not more than %(limit)s.")


class NotInTransit(CirculationRefused):
    code = "not_in_transit"
    message = _("Item %(barcode)s is not in transit.")


class HoldAlreadyOnShelf(CirculationRefused):
    code = "hold_on_shelf"
    message = _("This hold is already waiting on the hold shelf at %(branch)s; its pickup branch cannot change now.")


class CannotTrap(CirculationRefused):
    code = "cannot_trap"
    message = _("Item %(barcode)s cannot be held for this hold: %(reason)s.")


class FeeNotCharge(CirculationRefused):
    code = "fee_not_charge"
    message = _("Only a charge can be waived, not a payment or a waiver.")


class ClaimRefused(CirculationRefused):
    code = "claim_refused"
    message = _("This loan cannot be changed: %(reason)s.")


class RuleExists(Conflict):
    code = "rule_exists"
    message = _("A loan rule for this patron category, item type and branch already exists.")


class ClosedDayExists(Conflict):
    code = "closed_day_exists"
    message = _("%(date)s is already a closed day there.")

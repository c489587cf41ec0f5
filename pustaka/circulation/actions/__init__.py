"""Every circulation write, one module per part of the desk's work; import them from here.

- :mod:`.lending`: checkout, return, transit arrival, renewal, lost and claimed-returned loans;
- :mod:`.holds`: placing, changing, cancelling, expiring holds and setting copies aside for them;
- :mod:`.fees`: the fines ledger (overdue fines, charges, payments, waivers);
- :mod:`.rules`: the loan-rule matrix and closed days;
- :mod:`.common`: what they share (who acts, blocks and refusals, amounts, item moves, notices).

Each action is declared with :func:`pustaka.core.registry.action` and runs in one transaction:
permission check, refusals (typed errors from :mod:`pustaka.circulation.errors`), the write, an audit
event, side effects on commit. ``actor`` is a staff user, ``None`` for the system, or — for
self-service from the OPAC (renew, place and cancel holds) — the patron's own login; acting on
someone else's account then raises :class:`NotYourAccount`.

Overrides: when ``override=True`` and the actor holds ``circulation.override``, an
overridable refusal is recorded (``Loan.overridden`` and the audit event) instead of raised.

The self-check accounts' actions live in :mod:`pustaka.circulation.actions_sip` and the notices in
:mod:`pustaka.circulation.notices`; both are imported here so the registry knows them.
"""

from .. import actions_sip, notices  # noqa: F401  (their actions register with the others)
from .common import CENT, LENDABLE_STATUSES, MAX_AMOUNT, TRAPPABLE_STATUSES, ZERO, CheckinResult
from .fees import charge, overdue_fine, pay, waive
from .holds import cancel_hold, change_hold, expire_holds, place_hold, trap_hold
from .lending import checkin, checkout, claim_returned, declare_lost, receive_transit, renew, renew_all
from .rules import (
    COUNT_FIELDS,
    MONEY_FIELDS,
    RULE_FIELDS,
    add_closed_day,
    create_loan_rule,
    delete_closed_day,
    delete_loan_rule,
    update_loan_rule,
)

__all__ = [
    "CENT",
    "COUNT_FIELDS",
    "LENDABLE_STATUSES",
    "MAX_AMOUNT",
    "MONEY_FIELDS",
    "RULE_FIELDS",
    "TRAPPABLE_STATUSES",
    "ZERO",
    "CheckinResult",
    "add_closed_day",
    "cancel_hold",
    "change_hold",
    "charge",
    "checkin",
    "checkout",
    "claim_returned",
    "create_loan_rule",
    "declare_lost",
    "delete_closed_day",
    "delete_loan_rule",
    "expire_holds",
    "overdue_fine",
    "pay",
    "place_hold",
    "receive_transit",
    "renew",
    "renew_all",
    "trap_hold",
    "update_loan_rule",
    "waive",
]

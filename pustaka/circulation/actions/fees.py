"""The fines ledger: overdue fines, charges, payments and waivers."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.errors import ValidationFailed
from pustaka.core.numbers import Money
from pustaka.core.registry import action
from pustaka.patrons.models import Patron

from .. import calendar, queries
from ..choices import FeeKind, PaymentMethod
from ..errors import (
    FeeNotCharge,
    InvalidAmount,
)
from ..models import FeeEntry, Loan, LoanRule
from ..rules import find_rule
from .common import CENT, MAX_AMOUNT, ZERO, _money, _require_scope


def _rule_for_loan(loan: Loan) -> LoanRule:
    if loan.rule_id:
        return loan.rule
    return find_rule(category=loan.patron.category_id, item_type=loan.item.item_type_id, branch=loan.branch_id)


def overdue_fine(loan: Loan, until: datetime.datetime) -> Decimal:
    """The fine a loan has earned by ``until``: open days of the lending branch after the due date,
    less the rule's grace days, times the fine per day, at most the rule's maximum."""
    if until <= loan.due_at:
        return ZERO
    rule = _rule_for_loan(loan)
    days = calendar.open_days_between(loan.branch, loan.due_at, until) - rule.grace_days
    if days <= 0 or not rule.fine_per_day:
        return ZERO
    return min(Decimal(days) * rule.fine_per_day, rule.max_fine).quantize(CENT)


def _add_fee(*, patron, kind, amount, actor, loan=None, note="", branch=None, settles=None, method="") -> FeeEntry:
    return FeeEntry.objects.create(
        patron=patron,
        kind=kind,
        amount=amount,
        loan=loan,
        note=note[:300],
        branch=branch,
        settles=settles,
        payment_method=method,
        created_by=actor if actor is not None and actor.pk else None,
    )


def _charge_overdue(loan: Loan, until, actor, branch) -> FeeEntry | None:
    amount = overdue_fine(loan, until)
    if amount <= 0:
        return None
    fee = _add_fee(patron=loan.patron, kind=FeeKind.OVERDUE, amount=amount, actor=actor, loan=loan, branch=branch)
    audit(actor, "circulation.fee.charge", fee, after={"kind": fee.kind, "amount": str(amount), "loan": loan.pk})
    return fee


def _refund_lost(loan: Loan, actor, branch) -> None:
    lost = FeeEntry.objects.filter(loan=loan, kind=FeeKind.LOST).first()
    if lost is None:
        return
    owed = queries.balance(loan.patron)
    amount = min(queries.outstanding_on(lost), max(owed, ZERO))
    if amount > 0:
        fee = _add_fee(
            patron=loan.patron,
            kind=FeeKind.REFUND,
            amount=amount,
            actor=actor,
            loan=loan,
            settles=lost,
            branch=branch,
            note=gettext("Lost item returned"),
        )
        audit(actor, "circulation.fee.refund", fee, after={"amount": str(amount), "settles": lost.pk})


@action("circulation.fee.charge", permission="circulation.charge_fee", label=_("Charge added"))
def charge(*, patron, kind, amount, actor, loan=None, note="") -> FeeEntry:
    """Add a charge (a fee, a card replacement, another charge) to the patron's ledger."""
    _require_scope(actor, patron)
    if kind not in FeeKind.values or kind in FeeKind.credits():
        raise ValidationFailed(_("Choose a kind of charge."), field="kind")
    amount = _money(amount)
    if amount <= 0 or amount > MAX_AMOUNT:
        raise InvalidAmount(field="amount", limit=Money(MAX_AMOUNT))
    if loan is not None and loan.patron_id != patron.pk:
        raise ValidationFailed(_("That loan belongs to another patron."), field="loan")
    fee = _add_fee(patron=patron, kind=kind, amount=amount, actor=actor, loan=loan, note=note)
    audit(actor, "circulation.fee.charge", fee, after={"kind": kind, "amount": str(amount), "note": note})
    return fee


def _locked_balance(patron) -> Decimal:
    Patron.objects.select_for_update(of=("self",)).filter(pk=patron.pk).first()
    return queries.balance(patron)


@action("circulation.fee.pay", permission="circulation.take_payment", label=_("Payment received"))
def pay(*, patron, amount, method, actor, note="", branch=None) -> FeeEntry:
    """Take a payment (all or part of what is owed; never more).

    A payment names no charge: it settles the oldest charges still open first (first in, first out;
    see :func:`queries.charges_with_outstanding`), so the desk and the OPAC list only what is still
    owed. The audit event records which charges it settled and by how much.
    """
    _require_scope(actor, patron)
    if method not in dict(PaymentMethod.for_fees()):
        raise ValidationFailed(_("Choose how the patron paid."), field="method")
    owed = _locked_balance(patron)
    amount = _money(amount)
    if amount <= 0 or amount > owed:
        raise InvalidAmount(field="amount", limit=Money(max(owed, ZERO)))
    settled, left = [], amount
    for open_charge in queries.outstanding_charges(patron):
        if left <= 0:
            break
        part = min(left, open_charge.outstanding)
        settled.append({"charge": open_charge.pk, "amount": str(part)})
        left -= part
    fee = _add_fee(
        patron=patron, kind=FeeKind.PAYMENT, amount=amount, actor=actor, note=note, branch=branch, method=method
    )
    audit(
        actor,
        "circulation.fee.pay",
        fee,
        after={"amount": str(amount), "method": method, "balance": str(owed - amount), "settles": settled},
    )
    return fee


@action("circulation.fee.waive", permission="circulation.waive_fee", label=_("Charge waived"))
def waive(*, fee, amount, reason, actor) -> FeeEntry:
    """Waive all or part of one charge, saying why (supervisors: ``circulation.waive_fee``)."""
    fee = FeeEntry.objects.select_related("patron__home_branch").get(pk=fee.pk)
    _require_scope(actor, fee.patron)
    if fee.kind in FeeKind.credits():
        raise FeeNotCharge()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the charge is waived."), field="reason")
    owed = _locked_balance(fee.patron)
    limit = min(queries.outstanding_on(fee), max(owed, ZERO))
    amount = _money(amount)
    if amount <= 0 or amount > limit:
        raise InvalidAmount(field="amount", limit=Money(limit))
    credit = _add_fee(
        patron=fee.patron, kind=FeeKind.WAIVER, amount=amount, actor=actor, note=reason, settles=fee, loan=fee.loan
    )
    audit(actor, "circulation.fee.waive", credit, after={"amount": str(amount), "settles": fee.pk, "reason": reason})
    return credit

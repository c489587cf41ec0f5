"""The loan-rule matrix and the closed days of the calendar."""

import datetime

from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import ValidationFailed
from pustaka.core.registry import action

from ..errors import (
    ClosedDayExists,
    RuleExists,
)
from ..models import ClosedDay, LoanRule
from .common import MAX_AMOUNT, _money

RULE_FIELDS = [
    "patron_category",
    "item_type",
    "branch",
    "loan_days",
    "renewals",
    "max_items",
    "fine_per_day",
    "max_fine",
    "grace_days",
    "holds_allowed",
    "hold_shelf_days",
    "holds_when_available",
    "replacement_charge",
    "processing_fee",
]


MONEY_FIELDS = {"fine_per_day", "max_fine", "replacement_charge", "processing_fee"}


COUNT_FIELDS = {"loan_days", "renewals", "max_items", "grace_days", "hold_shelf_days"}


def _clean_rule_fields(fields: dict) -> dict:
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(_("Unknown field %(name)s."), field=name, name=name)
    out = {}
    for name, value in fields.items():
        if name in MONEY_FIELDS:
            amount = _money(value, field=name)
            if amount < 0 or amount > MAX_AMOUNT:
                raise ValidationFailed(_("Enter an amount of zero or more."), field=name)
            value = amount
        elif name in COUNT_FIELDS:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise ValidationFailed(_("Enter a whole number of zero or more."), field=name) from None
            if value < 0 or value > 100_000:
                raise ValidationFailed(_("Enter a whole number of zero or more."), field=name)
        elif name in {"holds_allowed", "holds_when_available"}:
            value = bool(value)
        out[name] = value
    if out.get("loan_days") == 0:
        raise ValidationFailed(_("A loan lasts at least one day."), field="loan_days")
    return out


def _rule_taken(rule: LoanRule) -> bool:
    return (
        LoanRule.objects.filter(
            patron_category_id=rule.patron_category_id, item_type_id=rule.item_type_id, branch_id=rule.branch_id
        )
        .exclude(pk=rule.pk)
        .exists()
    )


@action("circulation.rule.create", permission="circulation.manage_loan_rules", label=_("Loan rule added"))
def create_loan_rule(*, actor, **fields) -> LoanRule:
    """Add a cell to the loan-rule matrix (empty category, item type or branch = any)."""
    rule = LoanRule(**_clean_rule_fields(fields))
    if _rule_taken(rule):
        raise RuleExists()
    rule.save()
    audit(actor, "circulation.rule.create", rule, after=snapshot(rule))
    return rule


@action("circulation.rule.update", permission="circulation.manage_loan_rules", label=_("Loan rule changed"))
def update_loan_rule(*, rule, actor, **fields) -> LoanRule:
    """Change a loan rule. Loans already made keep their due dates."""
    rule = LoanRule.objects.select_for_update().get(pk=rule.pk)
    old = snapshot(rule)
    for name, value in _clean_rule_fields(fields).items():
        setattr(rule, name, value)
    if _rule_taken(rule):
        raise RuleExists()
    rule.save()
    before, after = diff(old, snapshot(rule))
    if after:
        audit(actor, "circulation.rule.update", rule, before=before, after=after)
    return rule


@action("circulation.rule.delete", permission="circulation.manage_loan_rules", label=_("Loan rule removed"))
def delete_loan_rule(*, rule, actor) -> None:
    """Remove a loan rule; loans made under it keep their due dates (and fall back to the matrix)."""
    audit(actor, "circulation.rule.delete", rule, before=snapshot(rule))
    rule.delete()


@action("circulation.closed_day.add", permission="circulation.manage_calendar", label=_("Closed day added"))
def add_closed_day(*, date, actor, branch=None, reason="") -> ClosedDay:
    """Close ``branch`` (or every branch) on ``date``: no loan falls due then and no fine counts it."""
    if not isinstance(date, datetime.date):
        raise ValidationFailed(_("Enter a date."), field="date")
    if ClosedDay.objects.filter(branch=branch, date=date).exists():
        raise ClosedDayExists(date=date.isoformat())
    day = ClosedDay.objects.create(branch=branch, date=date, reason=(reason or "").strip()[:200])
    audit(actor, "circulation.closed_day.add", day, after=snapshot(day))
    return day


@action("circulation.closed_day.delete", permission="circulation.manage_calendar", label=_("Closed day removed"))
def delete_closed_day(*, day, actor) -> None:
    """Open again on a day that was closed."""
    audit(actor, "circulation.closed_day.delete", day, before=snapshot(day))
    day.delete()

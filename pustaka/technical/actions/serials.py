"""Technical services: serial subscriptions, predicted issues, check-in, late issues and claims.

A subscription's frequency predicts its issues (idempotently); checking an issue in creates its item
through :func:`pustaka.holdings.actions.create_item`; issues not received ``grace_days`` after they were
expected are late and may be claimed from the supplier.
"""

import calendar
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.catalog.choices import MaterialType
from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import ValidationFailed
from pustaka.core.permissions import has
from pustaka.core.registry import action
from pustaka.holdings.actions import create_item
from pustaka.holdings.choices import ItemStatus

from ..choices import Frequency, IssueStatus
from ..errors.serials import (
    IssueAlreadyReceived,
    IssueNotClaimable,
    IssueNotLateYet,
    LocationNotInBranch,
    NotASerial,
    NothingToClaim,
    NumberingInvalid,
    SubscriptionDatesInvalid,
)
from ..models import SerialIssue, Subscription
from ..transitions import serials as table

__all__ = [
    "CHECK_IN_STATUSES",
    "check_in_issue",
    "claim_issues",
    "create_subscription",
    "issue_date",
    "mark_issue_missing",
    "mark_late_issues",
    "predict_issues",
    "update_subscription",
]

# (days, months) between two issues.
STEP = {
    Frequency.DAILY: (1, 0),
    Frequency.WEEKLY: (7, 0),
    Frequency.FORTNIGHTLY: (14, 0),
    Frequency.MONTHLY: (0, 1),
    Frequency.BIMONTHLY: (0, 2),
    Frequency.QUARTERLY: (0, 3),
    Frequency.SEMIANNUAL: (0, 6),
    Frequency.ANNUAL: (0, 12),
}
CHECK_IN_STATUSES = (ItemStatus.RECEIVED, ItemStatus.AVAILABLE)
PREDICT_MONTHS = 12
MAX_PREDICTED = 1000  # issues per prediction run (a daily paper for almost three years)
EDITABLE = {"location", "item_type", "frequency", "starts_on", "ends_on", "grace_days", "vendor", "numbering"}
EDITABLE |= {"first_number", "is_active"}
NOT_RECEIVED = table.ISSUES.sources(table.CHECK_IN)  # an issue not received yet can still arrive


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months; the 31st becomes the last day of shorter months."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def issue_date(subscription: Subscription, index: int) -> dt.date:
    """When issue number ``first_number + index`` is expected (counted from the first, so no drift)."""
    days, months = STEP[subscription.frequency]
    if months:
        return add_months(subscription.starts_on, months * index)
    return subscription.starts_on + dt.timedelta(days=days * index)


def issue_label(numbering: str, number: int, expected_on: dt.date) -> str:
    """The printed label of an issue: ``No. {n}`` → ``No. 12``; ``{year}`` is the year."""
    return numbering.replace("{n}", str(number)).replace("{year}", str(expected_on.year))[:100]


def _clean(record, branch, location, frequency, starts_on, ends_on, numbering, grace_days):
    if record.material_type not in MaterialType.serials():
        raise NotASerial(field="record", title=record.title[:80], type=MaterialType(record.material_type).label)
    if location is not None and location.branch_id != branch.pk:
        raise LocationNotInBranch(field="location", location=location.name, branch=branch.code)
    if frequency not in Frequency.values:
        raise ValidationFailed(_("Unknown frequency."), field="frequency")
    if starts_on is None:
        raise ValidationFailed(_("Say when the first issue is expected."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise SubscriptionDatesInvalid(field="ends_on", starts=starts_on, ends=ends_on)
    if "{n}" not in (numbering or ""):
        raise NumberingInvalid(field="numbering")
    if grace_days is not None and not 0 <= grace_days <= 365:
        raise ValidationFailed(_("Days of grace are between 0 and 365."), field="grace_days")


@action("maintenance.serials.subscribe", permission="technical.manage_subscriptions", label=_("Subscription started"))
def create_subscription(
    *,
    actor,
    record,
    branch,
    item_type,
    frequency: str,
    starts_on: dt.date,
    location=None,
    ends_on: dt.date | None = None,
    grace_days: int = 7,
    vendor: str = "",
    numbering: str = "No. {n}",
    first_number: int = 1,
    predict_months: int = PREDICT_MONTHS,
) -> Subscription:
    """Subscribe to a magazine, newspaper or e-journal; its first issues are predicted at once."""
    numbering = (numbering or "").strip()
    _clean(record, branch, location, frequency, starts_on, ends_on, numbering, grace_days)
    subscription = Subscription.objects.create(
        record=record,
        branch=branch,
        location=location,
        item_type=item_type,
        frequency=frequency,
        starts_on=starts_on,
        ends_on=ends_on,
        grace_days=grace_days,
        vendor=(vendor or "").strip(),
        numbering=numbering,
        first_number=first_number,
    )
    audit(actor, "maintenance.serials.subscribe", subscription, after=snapshot(subscription))
    _predict(subscription, months=predict_months)
    return subscription


@action("maintenance.serials.update", permission="technical.manage_subscriptions", label=_("Subscription changed"))
def update_subscription(*, subscription: Subscription, actor, **fields) -> Subscription:
    """Change a subscription; issues already predicted keep their dates (predict again for new ones)."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed here: %(fields)s."),
            field=sorted(unknown)[0],
            fields=", ".join(sorted(unknown)),
        )
    locked = (
        Subscription.objects.select_for_update(of=("self",)).select_related("record", "branch").get(pk=subscription.pk)
    )
    before = snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _clean(
        locked.record,
        locked.branch,
        locked.location,
        locked.frequency,
        locked.starts_on,
        locked.ends_on,
        locked.numbering,
        locked.grace_days,
    )
    locked.save()
    old, new = diff(before, snapshot(locked))
    if new:
        audit(actor, "maintenance.serials.update", locked, before=old, after=new)
    subscription.refresh_from_db()
    return locked


def _predict(subscription: Subscription, *, months: int, today: dt.date | None = None) -> list[SerialIssue]:
    today = today or timezone.localdate()
    horizon = add_months(max(today, subscription.starts_on), months)
    if subscription.ends_on is not None:
        horizon = min(horizon, subscription.ends_on)
    existing = set(subscription.issues.values_list("number", flat=True))
    new = []
    index = 0
    while len(new) < MAX_PREDICTED:
        expected_on = issue_date(subscription, index)
        if expected_on > horizon:
            break
        number = subscription.first_number + index
        if number not in existing:
            label = issue_label(subscription.numbering, number, expected_on)
            new.append(SerialIssue(subscription=subscription, number=number, label=label, expected_on=expected_on))
        index += 1
    SerialIssue.objects.bulk_create(new)
    return new


@action("maintenance.serials.predict", permission="technical.check_in_issue", label=_("Issues predicted"))
def predict_issues(
    *, subscription: Subscription, actor, months: int = PREDICT_MONTHS, today: dt.date | None = None
) -> list[SerialIssue]:
    """Add the issues expected in the next ``months`` months (or until the subscription ends).

    Idempotent: issues already predicted (by number) are kept as they are. Returns the new ones.
    Whoever checks issues in may predict them (every role that keeps subscriptions checks issues in).
    """
    if not 1 <= months <= 60:
        raise ValidationFailed(_("Predict between 1 and 60 months ahead."), field="months")
    locked = Subscription.objects.select_for_update(of=("self",)).get(pk=subscription.pk)
    new = _predict(locked, months=months, today=today)
    if new:
        audit(
            actor,
            "maintenance.serials.predict",
            locked,
            after={"issues": len(new), "from": str(new[0].expected_on), "to": str(new[-1].expected_on)},
        )
    return new


@action("maintenance.serials.check_in", permission="technical.check_in_issue", label=_("Issue checked in"))
def check_in_issue(
    *,
    issue: SerialIssue,
    barcode: str,
    actor,
    item_status: str = ItemStatus.AVAILABLE,
    received_on: dt.date | None = None,
) -> SerialIssue:
    """Check in an issue that arrived: its item is created (barcode scanned or typed, call number with
    the issue label), and the issue is received. Checking in the same issue twice is refused.

    The check-in permission covers creating the issue's item: a technician who may check issues in
    need not be allowed to add copies in general, so the item is created on the library's behalf and
    this action's audit event names the person.
    """
    locked = SerialIssue.objects.select_for_update(of=("self",)).get(pk=issue.pk)
    subscription = Subscription.objects.select_related("record", "branch", "location", "item_type").get(
        pk=locked.subscription_id
    )
    rule = table.ISSUES.check(
        locked,
        to=IssueStatus.RECEIVED,
        actor=actor,
        refused=lambda: IssueAlreadyReceived(label=locked.label, date=locked.received_on),
    )
    if item_status not in CHECK_IN_STATUSES:
        raise ValidationFailed(_("A checked-in issue is received or available."), field="item_status")
    record = subscription.record
    call_number = " ".join(p for p in (record.call_number.strip(), locked.label) if p)
    item = create_item(
        record=record,
        barcode=barcode,
        branch=subscription.branch,
        location=subscription.location,
        item_type=subscription.item_type,
        call_number=call_number,
        status=item_status,
        public_note=locked.label,
        actor=actor if has(actor, "holdings.add_copy") else None,
    )
    before = {"status": locked.status}
    table.ISSUES.move(locked, to=IssueStatus.RECEIVED, actor=actor)
    locked.received_on = received_on or timezone.localdate()
    locked.item = item
    locked.save(update_fields=["status", "received_on", "item"])
    audit(
        actor,
        rule.verb,
        locked,
        before=before,
        after={"status": "received", "barcode": item.barcode, "received_on": str(locked.received_on)},
    )
    issue.refresh_from_db()
    return locked


def is_late(issue: SerialIssue, today: dt.date, grace_days: int) -> bool:
    """Not received and past its expected date plus the days of grace."""
    return issue.status in NOT_RECEIVED and issue.expected_on + dt.timedelta(days=grace_days) < today


@action("maintenance.serials.mark_late", permission="technical.check_in_issue", label=_("Issues marked late"))
def mark_late_issues(*, actor=None, today: dt.date | None = None) -> int:
    """The nightly job: expected issues past their date plus grace become ``late``. Returns how many."""
    today = today or timezone.localdate()
    candidates = SerialIssue.objects.filter(
        status__in=table.ISSUES.sources(table.MARK_LATE), expected_on__lt=today, subscription__is_active=True
    ).values_list("pk", "expected_on", "subscription__grace_days")
    late = [pk for pk, expected_on, grace in candidates if expected_on + dt.timedelta(days=grace) < today]
    if not late:
        return 0
    for start in range(0, len(late), 500):
        SerialIssue.objects.filter(pk__in=late[start : start + 500]).update(status=IssueStatus.LATE)
    audit(actor, "maintenance.serials.mark_late", None, after={"issues": len(late), "today": str(today)})
    return len(late)


def _not_claimable(issue: SerialIssue) -> IssueNotClaimable:
    return IssueNotClaimable(label=issue.label, status=IssueStatus(issue.status).label)


@action("maintenance.serials.claim", permission="technical.claim_issue", label=_("Issue claimed"))
def claim_issues(*, issues, actor, today: dt.date | None = None) -> list[SerialIssue]:
    """Claim late issues from the supplier: each is ``claimed`` again with today's date and one more claim.

    A received issue, or one not late yet, is refused and nothing is claimed.
    """
    today = today or timezone.localdate()
    ids = sorted({issue.pk for issue in issues})
    if not ids:
        raise NothingToClaim(field="issues")
    locked = list(
        SerialIssue.objects.select_for_update(of=("self",))
        .select_related("subscription")
        .filter(pk__in=ids)
        .order_by("expected_on", "pk")
    )
    for issue in locked:
        table.ISSUES.check(
            issue, to=IssueStatus.CLAIMED, actor=actor, refused=lambda issue=issue: _not_claimable(issue)
        )
        if not is_late(issue, today, issue.subscription.grace_days):
            due = issue.expected_on + dt.timedelta(days=issue.subscription.grace_days)
            raise IssueNotLateYet(label=issue.label, date=due)
    for issue in locked:
        before = {"status": issue.status, "claim_count": issue.claim_count}
        rule = table.ISSUES.move(issue, to=IssueStatus.CLAIMED, actor=actor)
        issue.claim_count += 1
        issue.claimed_on = today
        issue.save(update_fields=["status", "claim_count", "claimed_on"])
        audit(
            actor,
            rule.verb,
            issue,
            before=before,
            after={"status": "claimed", "claim_count": issue.claim_count, "claimed_on": str(today)},
        )
    return locked


@action("maintenance.serials.missing", permission="technical.claim_issue", label=_("Issue never arrived"))
def mark_issue_missing(*, issue: SerialIssue, actor) -> SerialIssue:
    """Give up on an issue that never arrived (after claims): it is ``missing``."""
    locked = SerialIssue.objects.select_for_update(of=("self",)).get(pk=issue.pk)
    before = {"status": locked.status}
    rule = table.ISSUES.move(locked, to=IssueStatus.MISSING, actor=actor, refused=lambda: _not_claimable(locked))
    locked.save(update_fields=["status"])
    audit(actor, rule.verb, locked, before=before, after={"status": "missing"})
    issue.refresh_from_db()
    return locked

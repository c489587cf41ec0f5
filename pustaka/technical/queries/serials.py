"""Serials reads shared by the pages and the API: subscriptions with counts, late issues (live)."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from ..choices import IssueStatus
from ..models import SerialIssue, Subscription

OPEN_ISSUES = (IssueStatus.EXPECTED, IssueStatus.LATE, IssueStatus.CLAIMED)
MAX_LATE = 1000


def subscriptions_for_list() -> QuerySet:
    """Subscriptions with their title, branch and issue counts, by title."""
    return (
        Subscription.objects.select_related("record", "branch", "location", "item_type")
        .defer("record__marc", "record__summary", "record__notes", "record__contributors", "record__subjects")
        .annotate(
            received_count=Count("issues", filter=Q(issues__status=IssueStatus.RECEIVED)),
            claimed_count=Count("issues", filter=Q(issues__status=IssueStatus.CLAIMED)),
            issue_count=Count("issues"),
        )
        .order_by("record__title", "pk")
    )


def issues_with_parts() -> QuerySet:
    return SerialIssue.objects.select_related("subscription", "subscription__record", "subscription__branch", "item")


def late_issues(today: dt.date | None = None, *, subscription=None) -> list[SerialIssue]:
    """Issues not received ``grace_days`` after they were expected (whatever the nightly job has done yet)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    candidates = issues_with_parts().filter(status__in=OPEN_ISSUES, expected_on__lt=today)
    if subscription is not None:
        candidates = candidates.filter(subscription=subscription)
    late = []
    for issue in candidates.order_by("expected_on", "pk")[: MAX_LATE * 2]:
        if issue.expected_on + dt.timedelta(days=issue.subscription.grace_days) < today:
            issue.is_late = True
            late.append(issue)
    return late[:MAX_LATE]


def annotate_late(issues, today: dt.date) -> list[SerialIssue]:
    """Mark each issue (of one subscription) ``is_late`` for the calendar."""
    rows = list(issues)
    for issue in rows:
        issue.is_late = issue.status in OPEN_ISSUES and (
            issue.expected_on + dt.timedelta(days=issue.subscription.grace_days) < today
        )
    return rows

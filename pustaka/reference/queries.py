"""Reads that the question pages and the API share."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from .choices import HelpStatus
from .models import HelpRequest

#: The tabs of the staff queue.
HELP_TABS = ("open", "mine", "answered", "closed")


def help_requests() -> QuerySet:
    return HelpRequest.objects.select_related("patron", "record", "assigned_to").annotate(answer_count=Count("answers"))


def help_queue(tab: str, user) -> QuerySet:
    """One tab of the queue: ``open`` (oldest first), ``mine`` (open and assigned to ``user``),
    ``answered`` and ``closed`` (newest first)."""
    rows = help_requests()
    if tab == "mine":
        return rows.filter(status=HelpStatus.OPEN, assigned_to=user).order_by("asked_at", "id")
    if tab in (HelpStatus.ANSWERED, HelpStatus.CLOSED):
        return rows.filter(status=tab).order_by("-asked_at", "-id")
    return rows.filter(status=HelpStatus.OPEN).order_by("asked_at", "id")


def help_counts(user) -> dict:
    """Counts per tab and when the oldest open question was asked (one query)."""
    return HelpRequest.objects.aggregate(
        open=Count("pk", filter=Q(status=HelpStatus.OPEN)),
        mine=Count("pk", filter=Q(status=HelpStatus.OPEN, assigned_to=user)),
        answered=Count("pk", filter=Q(status=HelpStatus.ANSWERED)),
        closed=Count("pk", filter=Q(status=HelpStatus.CLOSED)),
        oldest_open=Min("asked_at", filter=Q(status=HelpStatus.OPEN)),
    )


def questions_of(patron) -> QuerySet:
    """A patron's own questions with their answers, newest first (two queries)."""
    return (
        HelpRequest.objects.filter(patron=patron)
        .select_related("record")
        .prefetch_related("answers")
        .order_by("-asked_at", "-id")
    )


@dataclass
class MonthResponse:
    month: datetime.date
    answered: int
    median: datetime.timedelta
    mean: datetime.timedelta


def response_times(months: int = 12, now=None) -> list[MonthResponse]:
    """Median and mean time to first answer per month the question was asked, newest month first."""
    now = now or timezone.now()
    since = (timezone.localdate(now).replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = HelpRequest.objects.filter(first_answered_at__isnull=False, asked_at__date__gte=since).values_list(
        "asked_at", "first_answered_at"
    )
    by_month: dict[datetime.date, list[float]] = {}
    for asked, answered in rows:
        month = timezone.localtime(asked).date().replace(day=1)
        by_month.setdefault(month, []).append((answered - asked).total_seconds())
    return [
        MonthResponse(
            month=month,
            answered=len(seconds),
            median=datetime.timedelta(seconds=round(statistics.median(seconds))),
            mean=datetime.timedelta(seconds=round(statistics.fmean(seconds))),
        )
        for month, seconds in sorted(by_month.items(), reverse=True)
    ]

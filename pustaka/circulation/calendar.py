"""The calendar of each branch: which days it opens, when loans fall due, how many open days passed.

A branch is open on a weekday listed in ``Branch.opening_hours`` (keys "0" = Monday .. "6" = Sunday,
each a list of ``[opening, closing]`` periods) unless a :class:`ClosedDay` closes it (a closed day
with no branch closes every branch). A branch with no opening hours at all counts as open every day.
Due dates never fall on a closed day; fines count only open days.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from .models import ClosedDay

# How far ahead to look for an open day before giving up (a branch closed for a whole year).
HORIZON_DAYS = 366
END_OF_DAY = datetime.time(23, 59)


def _hours(branch) -> dict:
    return getattr(branch, "opening_hours", None) or {}


def _weekday_open(hours: dict, day: datetime.date) -> bool:
    if not hours:
        return True
    return bool(hours.get(str(day.weekday())))


def closed_dates(branch, start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The closed days (for this branch or for all) from ``start`` to ``end`` inclusive. One query."""
    branch_id = getattr(branch, "pk", branch)
    rows = ClosedDay.objects.filter(Q(branch_id=branch_id) | Q(branch__isnull=True), date__range=(start, end))
    return set(rows.values_list("date", flat=True))


def is_open(branch, day: datetime.date) -> bool:
    """True when ``branch`` opens on ``day`` (its weekly hours, no closed day)."""
    if not _weekday_open(_hours(branch), day):
        return False
    return day not in closed_dates(branch, day, day)


def _next_open(hours: dict, closed: set, day: datetime.date) -> datetime.date:
    for offset in range(HORIZON_DAYS):
        candidate = day + datetime.timedelta(days=offset)
        if _weekday_open(hours, candidate) and candidate not in closed:
            return candidate
    return day


def next_open_day(branch, day: datetime.date) -> datetime.date:
    """The first day on or after ``day`` when ``branch`` is open (``day`` itself if none within a year)."""
    closed = closed_dates(branch, day, day + datetime.timedelta(days=HORIZON_DAYS))
    return _next_open(_hours(branch), closed, day)


def closing_time(branch, day: datetime.date) -> datetime.time:
    """When ``branch`` closes on ``day`` (the end of its last period), or 23:59 when hours are not set."""
    periods = _hours(branch).get(str(day.weekday())) or []
    ends = []
    for period in periods:
        try:
            hour, minute = str(period[1]).split(":")[:2]
            ends.append(datetime.time(int(hour), int(minute)))
        except (IndexError, ValueError, TypeError):
            continue
    return max(ends) if ends else END_OF_DAY


def due_at(branch, start: datetime.datetime, days: int) -> datetime.datetime:
    """When a loan made at ``start`` for ``days`` days falls due: closing time of the first open day
    on or after ``start + days`` (local time). One query."""
    local_start = timezone.localtime(start) if timezone.is_aware(start) else start
    day = next_open_day(branch, local_start.date() + datetime.timedelta(days=days))
    return timezone.make_aware(datetime.datetime.combine(day, closing_time(branch, day)))


def open_days_between(branch, a: datetime.date, b: datetime.date) -> int:
    """The number of days after ``a`` up to and including ``b`` on which ``branch`` was open.

    Used for fines: with ``a`` the due date and ``b`` the return date, holidays are not charged.
    """
    if isinstance(a, datetime.datetime):
        a = timezone.localtime(a).date()
    if isinstance(b, datetime.datetime):
        b = timezone.localtime(b).date()
    if b <= a:
        return 0
    hours = _hours(branch)
    closed = closed_dates(branch, a + datetime.timedelta(days=1), b)
    count = 0
    day = a + datetime.timedelta(days=1)
    while day <= b:
        if _weekday_open(hours, day) and day not in closed:
            count += 1
        day += datetime.timedelta(days=1)
    return count

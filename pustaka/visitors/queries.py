"""Reads of the visitor book shared by the pages, the API and the reports: visits in a period and their
counts per day, hour, weekday, branch, purpose and category.

Every count adds up ``Visit.count`` (a group of 30 is 30 people) and also gives the number of rows
(``visits``: arrivals). Each function is one aggregating query over the ``visited_at`` index: a period
is turned into a range of aware datetimes (local midnight to local midnight), never a per-row function
in the WHERE clause. Days and hours are in the library's time zone (``TIME_ZONE``).
"""

import datetime

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate, TruncMonth
from django.utils import timezone

from .choices import VisitorCategory
from .models import KioskSession, Visit, VisitPurpose


def _start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def visits(
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    *,
    branch=None,
    purpose=None,
    category: str | None = None,
) -> QuerySet:
    """Visits from ``start`` to ``end`` (both days included, either open), optionally at one branch (a
    Branch or its id), for one purpose (a VisitPurpose or its id) or of one category."""
    rows = Visit.objects.all()
    if start is not None:
        rows = rows.filter(visited_at__gte=_start(start))
    if end is not None:
        rows = rows.filter(visited_at__lt=_start(end + datetime.timedelta(days=1)))
    if branch:
        rows = rows.filter(branch=branch)
    if purpose:
        rows = rows.filter(purpose=purpose)
    if category:
        rows = rows.filter(category=category)
    return rows


def _grouped(rows: QuerySet, **keys) -> QuerySet:
    names = list(keys)
    return (
        rows.order_by()
        .annotate(**keys)
        .values(*names)
        .annotate(people=Sum("count"), visits=Count("id"))
        .order_by(*names)
    )


def totals(rows: QuerySet) -> dict:
    """``{"people": n, "visits": n}`` for the visits ``rows`` (people counts group members)."""
    result = rows.order_by().aggregate(people=Sum("count"), visits=Count("id"))
    return {"people": result["people"] or 0, "visits": result["visits"] or 0}


def by_day(rows: QuerySet) -> list[dict]:
    """``[{"day": date, "people", "visits"}]`` per local day that had visits, in order."""
    return list(_grouped(rows, day=TruncDate("visited_at")))


def by_month(rows: QuerySet) -> list[dict]:
    """``[{"month": date (the first), "people", "visits"}]`` per month that had visits, in order."""
    result = []
    for row in _grouped(rows, month=TruncMonth("visited_at")):
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        result.append({**row, "month": month})
    return result


def by_hour(rows: QuerySet) -> list[dict]:
    """``[{"hour": 0..23, "people", "visits"}]`` per local hour of the day that had visits."""
    return list(_grouped(rows, hour=ExtractHour("visited_at")))


def by_weekday(rows: QuerySet) -> list[dict]:
    """``[{"weekday": 1 (Monday)..7, "people", "visits"}]``."""
    return list(_grouped(rows, weekday=ExtractIsoWeekDay("visited_at")))


def by_branch(rows: QuerySet) -> list[dict]:
    """``[{"branch_id", "branch__code", "branch__name", "people", "visits"}]`` by branch code."""
    return list(
        rows.order_by()
        .values("branch_id", "branch__code", "branch__name")
        .annotate(people=Sum("count"), visits=Count("id"))
        .order_by("branch__code")
    )


def by_purpose(rows: QuerySet) -> list[dict]:
    """``[{"purpose": VisitPurpose, "people", "visits"}]`` in the purposes' order (two queries)."""
    counts = {
        row["purpose_id"]: row
        for row in rows.order_by().values("purpose_id").annotate(people=Sum("count"), visits=Count("id"))
    }
    return [
        {"purpose": purpose, "people": counts[purpose.pk]["people"], "visits": counts[purpose.pk]["visits"]}
        for purpose in VisitPurpose.objects.filter(pk__in=counts)
    ]


def by_category(rows: QuerySet) -> list[dict]:
    """``[{"category", "label", "patron_category_id", "patron_category__code", "people", "visits"}]``:
    members split by their patron category, then each kind of visitor."""
    labels = dict(VisitorCategory.choices)
    result = []
    grouped = (
        rows.order_by()
        .values("category", "patron_category_id", "patron_category__code", "patron_category__name")
        .annotate(people=Sum("count"), visits=Count("id"))
        .order_by("category", "patron_category__code")
    )
    for row in grouped:
        label = labels.get(row["category"], row["category"])
        if row["category"] == VisitorCategory.MEMBER and row["patron_category__name"]:
            label = f"{label}: {row['patron_category__name']}"
        result.append({**row, "label": str(label)})
    return result


def active_purposes() -> QuerySet:
    """The purposes offered on the kiosk and the desk form, in the library's order."""
    return VisitPurpose.objects.filter(is_active=True)


def open_kiosks(branch=None) -> QuerySet:
    """Kiosk screens still open (optionally at one branch), newest first."""
    rows = KioskSession.objects.filter(closed_at__isnull=True).select_related("branch", "opened_by")
    return rows.filter(branch=branch) if branch else rows


def recent(rows: QuerySet, limit: int = 50) -> list[Visit]:
    """The newest ``limit`` visits with their branch, purpose, member and category (one query)."""
    return list(rows.select_related("branch", "purpose", "patron", "patron_category")[:limit])

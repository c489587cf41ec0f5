"""Reads about licences and usage shared by the staff pages, the API, the IT manager's dashboard and
the COUNTER-style CSV exports.

Usage is counted from ``AccessEvent`` rows, per resource and calendar month:

- ``views`` / ``downloads``: granted "read online" / "download" events (COUNTER *Total_Item_Requests*
  is their sum);
- ``unique``: COUNTER *Unique_Item_Requests*: distinct reader sessions per resource, a session being
  one reader (login, else browser session, else address) within one clock hour;
- refusals by :class:`~pustaka.digital.choices.RefusalReason`; COUNTER *Limit_Exceeded* is the
  ``concurrency`` refusals, *No_License* every other refusal except ``login_required`` (the reader
  was asked to log in) and ``file_unavailable`` (a fault of ours, not a denial).
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncHour, TruncMonth
from django.utils import timezone

from .choices import AccessAction, FileRole, FileState, RefusalReason
from .models import AccessEvent, DigitalResource, Licence, ResourceFile, SoftwareSeat

LIMIT_EXCEEDED = {RefusalReason.CONCURRENCY.value}
NOT_DENIALS = {RefusalReason.LOGIN_REQUIRED.value, RefusalReason.FILE_UNAVAILABLE.value}
NO_LICENSE = {r for r in RefusalReason.values if r not in LIMIT_EXCEEDED | NOT_DENIALS}


def find_licence(text: str, *, field: str = "licence") -> Licence:
    """The licence named by ``text``: its id (digits) or its name (not case-sensitive).

    Raises :class:`~pustaka.digital.errors_access.UnknownLicence` (nothing matches) or
    :class:`~pustaka.digital.errors_access.AmbiguousLicence` (several licences have that name), naming
    ``field``.
    """
    from .errors_access import AmbiguousLicence, UnknownLicence

    text = (text or "").strip()
    shown = text[:60]
    if text.isdigit():
        found = Licence.objects.filter(pk=int(text)).first() if int(text) <= 2**63 - 1 else None
        if found is not None:
            return found
    matches = list(Licence.objects.filter(name__iexact=text)[:2]) if text and "\x00" not in text else []
    if len(matches) > 1:
        raise AmbiguousLicence(field=field, licence=shown)
    if not matches:
        raise UnknownLicence(field=field, licence=shown)
    return matches[0]


def licences() -> QuerySet:
    """Every licence with its patron categories and how many resources it covers (two queries)."""
    return Licence.objects.prefetch_related("patron_categories").annotate(resource_count=Count("resources"))


def expiring_licences(days: int = 60, *, today: datetime.date | None = None) -> QuerySet:
    """Licences ending between today and ``days`` days ahead, soonest first (for the IT manager)."""
    today = today or timezone.localdate()
    return (
        licences()
        .filter(ends_on__isnull=False, ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=days))
        .order_by("ends_on", "name")
    )


def software_resources() -> QuerySet:
    """Software resources with their licence, record and seat counts (free and lent)."""
    return (
        DigitalResource.objects.filter(kind="software")
        .select_related("record", "licence")
        .annotate(
            seat_count=Count("seats"),
            lent_count=Count("seats", filter=Q(seats__patron__isnull=False)),
            free_count=Count("seats", filter=Q(seats__patron__isnull=True)),
        )
        .order_by("record__title", "id")
    )


def seats_of(resource) -> QuerySet:
    return SoftwareSeat.objects.filter(resource=resource).select_related("patron").order_by("id")


def seats_of_patron(patron) -> QuerySet:
    """The seats a patron holds now (their own account page only), each resource's intact installer files
    in ``resource.installers`` (three queries whatever the number of seats)."""
    installers = (
        ResourceFile.objects.filter(role=FileRole.INSTALLER, file__state=FileState.OK)
        .select_related("file")
        .order_by("id")
    )
    return (
        SoftwareSeat.objects.filter(patron=patron)
        .select_related("resource__record")
        .prefetch_related(Prefetch("resource__files", queryset=installers, to_attr="installers"))
        .order_by("due_at", "id")
    )


#: The years a usage period may name: outside them a month is "bad" (the default period is used), never
#: a date Python or the database cannot hold.
MIN_YEAR, MAX_YEAR = 1900, 2999


def parse_month(text: str) -> datetime.date | None:
    """The first day of month ``YYYY-MM``, or None when ``text`` is not such a month between
    :data:`MIN_YEAR` and :data:`MAX_YEAR` (``0000-01``, ``9999-12``, ``2026-13``, anything else)."""
    text = (text or "").strip()
    if len(text) != 7 or text[4] != "-" or not (text[:4].isdigit() and text[5:].isdigit()):
        return None
    year, month = int(text[:4]), int(text[5:])
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 + months
    return datetime.date(total // 12, total % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """First days of each month from ``first``'s month to ``last``'s month, inclusive (at most 120)."""
    months, current = [], month_start(first)
    while current <= last and len(months) < 120:
        months.append(current)
        current = add_months(current, 1)
    return months


@dataclass
class MonthUsage:
    """One resource's use in one month."""

    month: datetime.date
    views: int = 0
    downloads: int = 0
    links: int = 0
    unique: int = 0
    refusals: dict = field(default_factory=dict)  # reason -> count

    @property
    def total(self) -> int:
        return self.views + self.downloads + self.links

    @property
    def refused(self) -> int:
        return sum(self.refusals.values())

    @property
    def no_license(self) -> int:
        return sum(n for reason, n in self.refusals.items() if reason in NO_LICENSE)

    @property
    def limit_exceeded(self) -> int:
        return sum(n for reason, n in self.refusals.items() if reason in LIMIT_EXCEEDED)


@dataclass
class ResourceUsage:
    """One resource's months, in order."""

    resource: DigitalResource
    months: list[MonthUsage]

    def total(self, attr: str) -> int:
        return sum(getattr(m, attr) for m in self.months)


def _bounds(first: datetime.date, last: datetime.date):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(month_start(first), datetime.time()), tz)
    end = timezone.make_aware(datetime.datetime.combine(add_months(last, 1), datetime.time()), tz)
    return start, end


def usage(
    *, first: datetime.date, last: datetime.date, resources: QuerySet | None = None, resource_ids=None
) -> list[ResourceUsage]:
    """Usage of each resource with at least one event between ``first``'s and ``last``'s months.

    Three grouped queries whatever the number of resources and months (counts, unique sessions,
    resources), so the page and the API stay cheap.
    """
    start, end = _bounds(first, last)
    tz = timezone.get_current_timezone()
    events = AccessEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    if resource_ids is not None:
        events = events.filter(resource_id__in=list(resource_ids))
    month = TruncMonth("occurred_at", tzinfo=tz)
    counts = (
        events.annotate(month=month)
        .values("resource_id", "month", "action", "granted", "reason")
        .annotate(n=Count("id"))
    )
    table: dict[int, dict[datetime.date, MonthUsage]] = defaultdict(dict)

    def cell(resource_id, when) -> MonthUsage:
        key = when.date() if isinstance(when, datetime.datetime) else when
        row = table[resource_id]
        if key not in row:
            row[key] = MonthUsage(month=key)
        return row[key]

    for row in counts:
        usage_row = cell(row["resource_id"], row["month"])
        if row["granted"]:
            attr = {AccessAction.VIEW: "views", AccessAction.DOWNLOAD: "downloads"}.get(row["action"], "links")
            setattr(usage_row, attr, getattr(usage_row, attr) + row["n"])
        else:
            usage_row.refusals[row["reason"]] = usage_row.refusals.get(row["reason"], 0) + row["n"]
    sessions = (
        events.filter(granted=True)
        .annotate(month=month, hour=TruncHour("occurred_at", tzinfo=tz))
        .values("resource_id", "month", "hour", "user_id", "session_key", "ip_address")
        .distinct()
    )
    seen = set()
    for row in sessions:
        reader = (row["user_id"],) if row["user_id"] else (None, row["session_key"] or row["ip_address"])
        key = (row["resource_id"], row["month"], row["hour"], reader)
        if key not in seen:
            seen.add(key)
            cell(row["resource_id"], row["month"]).unique += 1
    if resources is None:
        resources = DigitalResource.objects.select_related("record")
    by_id = resources.in_bulk(list(table))
    months = months_between(first, last)
    result = []
    for resource_id, per_month in table.items():
        if resource_id not in by_id:
            continue
        result.append(ResourceUsage(by_id[resource_id], [per_month.get(m) or MonthUsage(month=m) for m in months]))
    result.sort(key=lambda u: (-u.total("total"), str(u.resource)))
    return result


def monthly_totals(rows: list[ResourceUsage], months: list[datetime.date]) -> list[MonthUsage]:
    """All resources together, month by month (for the chart)."""
    totals = [MonthUsage(month=m) for m in months]
    for row in rows:
        for total, month in zip(totals, row.months, strict=False):
            total.views += month.views
            total.downloads += month.downloads
            total.links += month.links
            total.unique += month.unique
            for reason, n in month.refusals.items():
                total.refusals[reason] = total.refusals.get(reason, 0) + n
    return totals


# COUNTER-shaped CSV ------------------------------------------------------------------------------

REPORTS = {
    "tr_b1": ("Title Requests", "TR_B1", ["Total_Item_Requests", "Unique_Item_Requests"]),
    "tr_b2": ("Title Access Denied", "TR_B2", ["Limit_Exceeded", "No_License"]),
}
METRIC_ATTRS = {
    "Total_Item_Requests": "total",
    "Unique_Item_Requests": "unique",
    "Limit_Exceeded": "limit_exceeded",
    "No_License": "no_license",
}
TITLE_COLUMNS = ["Title", "Publisher", "Publisher_ID", "Platform", "DOI", "Proprietary_ID", "ISBN", "Print_ISSN"]
TITLE_COLUMNS += ["Online_ISSN", "URI", "YOP", "Metric_Type", "Reporting_Period_Total"]


#: A cell starting with one of these is a formula to a spreadsheet (or becomes one when it trims the
#: tab or carriage return): such text is written with a leading apostrophe, shown but never run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` for a CSV cell a spreadsheet opens: text that could be taken as a formula is quoted
    with a leading ``'`` (OWASP "CSV injection"); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def counter_csv(report: str, *, first: datetime.date, last: datetime.date, institution: str) -> str:
    """A COUNTER 5-shaped CSV (header block, then one row per title and metric, a column per month).

    ``tr_b1``: Total_Item_Requests and Unique_Item_Requests; ``tr_b2``: Limit_Exceeded and No_License.
    Titles with no count in the period are left out, as COUNTER does. Text cells that a spreadsheet
    would take as a formula are quoted (:func:`safe_cell`).
    """
    name, report_id, metrics = REPORTS[report]
    months = months_between(first, last)
    rows = usage(first=first, last=last)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    period_end = add_months(months[-1], 1) - datetime.timedelta(days=1)
    header = [
        ("Report_Name", name),
        ("Report_ID", report_id),
        ("Release", "5"),
        ("Institution_Name", institution),
        ("Institution_ID", ""),
        ("Metric_Types", "; ".join(metrics)),
        ("Report_Filters", "Access_Type=Controlled; Access_Method=Regular"),
        ("Report_Attributes", ""),
        ("Exceptions", ""),
        ("Reporting_Period", f"Begin_Date={months[0]:%Y-%m-%d}; End_Date={period_end:%Y-%m-%d}"),
        ("Created", timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("Created_By", "Pustaka"),
    ]
    for key, value in header:
        writer.writerow([key, safe_cell(value)])
    writer.writerow([])
    writer.writerow([*TITLE_COLUMNS, *(m.strftime("%b-%Y") for m in months)])
    for row in rows:
        record = row.resource.record
        for metric in metrics:
            values = [getattr(m, METRIC_ATTRS[metric]) for m in row.months]
            if not any(values):
                continue
            row_cells = [
                record.title,
                record.publisher,
                "",
                "Pustaka",
                "",
                f"pustaka:{row.resource.pk}",
                record.isbn,
                "",
                record.issn,
                row.resource.remote_url,
                record.year or "",
                metric,
                sum(values),
                *values,
            ]
            writer.writerow([safe_cell(cell) for cell in row_cells])
    return out.getvalue()

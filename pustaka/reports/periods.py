"""Periods for reports: the local day, hour, month or year of a column as text, computed by the database.

``PeriodKey("checked_out_at", "month")`` is ``'2026-03'`` for a loan lent on 3 March 2026 in the
library's time zone, on SQLite (``strftime`` with the zone's offset, no Python function per row) and
on PostgreSQL (``to_char`` ``AT TIME ZONE``), so a report groups two million loans in the database.
The offset on SQLite is the time zone's offset now: right for Indonesia's zones (WIB, WITA, WIT),
which have no summer time.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import CharField, Func
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GRAINS = {
    # grain: (SQLite strftime format, PostgreSQL to_char format)
    "year": ("%Y", "YYYY"),
    "month": ("%Y-%m", "YYYY-MM"),
    "day": ("%Y-%m-%d", "YYYY-MM-DD"),
    "hour": ("%H", "HH24"),
}
GRAIN_CHOICES = [("day", _("Day")), ("month", _("Month")), ("year", _("Year"))]
_ZONE_NAME = re.compile(r"^[A-Za-z0-9_+\-/]+$")


class PeriodKey(Func):
    """The local ``grain`` ("year", "month", "day", "hour") of a datetime or date column, as text."""

    output_field = CharField()

    def __init__(self, expression, grain: str, *, is_date: bool = False):
        if grain not in GRAINS:
            raise ValueError(f"Unknown grain {grain!r}")
        self.grain, self.is_date = grain, is_date
        super().__init__(expression)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        fmt = GRAINS[self.grain][0].replace("%", "%%")  # the backend turns %% back into %
        if self.is_date:
            return f"strftime('{fmt}', {sql})", params
        minutes = int(timezone.localtime().utcoffset().total_seconds() // 60)
        return f"strftime('{fmt}', {sql}, '{minutes:+d} minutes')", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        fmt = GRAINS[self.grain][1]
        if self.is_date:
            return f"to_char({sql}, '{fmt}')", params
        zone = timezone.get_current_timezone_name()
        if not _ZONE_NAME.match(zone):
            raise ValueError(f"Unexpected time zone name {zone!r}")
        return f"to_char(({sql}) AT TIME ZONE '{zone}', '{fmt}')", params


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included, and how it groups them."""

    start: datetime.date
    end: datetime.date
    grain: str = "month"

    @property
    def since(self) -> datetime.datetime:
        """The first instant of ``start`` in the library's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def until(self) -> datetime.datetime:
        """The first instant after ``end`` (exclusive bound)."""
        return timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min))

    def periods(self) -> list[str]:
        """Every period key from ``start`` to ``end`` (so empty months show as 0, not as a gap)."""
        if self.grain == "year":
            return [f"{y:04d}" for y in range(self.start.year, self.end.year + 1)]
        if self.grain == "month":
            keys, y, m = [], self.start.year, self.start.month
            while (y, m) <= (self.end.year, self.end.month):
                keys.append(f"{y:04d}-{m:02d}")
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            return keys
        days = (self.end - self.start).days + 1
        return [(self.start + datetime.timedelta(days=n)).isoformat() for n in range(days)]


def label(key: str, grain: str) -> str:
    """A period key in words for a table row (``2026-03`` → ``Mar 2026`` in the reader's language)."""
    from django.utils.formats import date_format

    try:
        if grain == "month":
            return date_format(datetime.date.fromisoformat(key + "-01"), "M Y")
        if grain == "day":
            return date_format(datetime.date.fromisoformat(key), "SHORT_DATE_FORMAT")
    except ValueError:
        pass
    return key


def this_year(today: datetime.date | None = None) -> Period:
    """From 1 January to today, by month: what a report shows before anyone chooses."""
    today = today or timezone.localdate()
    return Period(today.replace(month=1, day=1), today, "month")


def year(number: int) -> Period:
    """A whole calendar year, by month."""
    return Period(datetime.date(number, 1, 1), datetime.date(number, 12, 31), "month")

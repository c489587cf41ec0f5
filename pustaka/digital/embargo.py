"""Embargoes as moving walls on a resource's coverage (KBART, NISO RP-9-2014, ``embargo_info``).

An embargo statement is a type, a length and a unit, e.g. ``P1Y``; two statements may be joined with
``;``, the starting one first (``R10Y;P30D``). Every embargo is a *moving wall*, a point in time counted
back from today:

- ``R`` (access begins at the wall): only the most recent period is available. ``R1Y``: the current
  calendar year only; ``R2Y``: the previous and the current calendar years; ``R365D``: exactly the last
  365 days.
- ``P`` (access ends at the wall): the most recent period is not available (the publisher holds it
  back). ``P1Y``: everything except the current calendar year; ``P6M``: everything except the last 6
  calendar months; ``P30D``: everything except the last 30 days.

The unit is also the step by which the wall moves: ``Y`` and ``M`` walls move once a calendar year or
month, ``D`` walls every day; the current year, month or day counts as the first of the ``length``.

A licence's ``embargo_months`` (e-journals) is the licence's own payment wall, ``P<n>M``. The period a
reader may use today is the coverage (``coverage_start`` – ``coverage_end``, no end: a current run)
narrowed by every wall (:func:`accessible_period`); only when nothing is left is access refused.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import ResourceKind

STATEMENT = re.compile(r"^([RP])(\d{1,4})([DMY])$")
MAX_LENGTH = 40


@dataclass(frozen=True)
class Wall:
    """One embargo statement: ``kind`` R or P, ``length``, ``unit`` D, M or Y."""

    kind: str
    length: int
    unit: str

    def __str__(self) -> str:
        return f"{self.kind}{self.length}{self.unit}"

    def date(self, today: datetime.date) -> datetime.date:
        """The first day of the most recent ``length`` units (today counted in the first unit)."""
        if self.unit == "D":
            return today - datetime.timedelta(days=self.length - 1)
        if self.unit == "M":
            total = today.year * 12 + today.month - 1 - (self.length - 1)
            return datetime.date(total // 12, total % 12 + 1, 1)
        return datetime.date(max(1, today.year - self.length + 1), 1, 1)

    def ago(self) -> str:
        """The wall in words: "6 months ago", "1 year ago"."""
        n = self.length
        if self.unit == "D":
            return ngettext("%(n)s day ago", "%(n)s days ago", n) % {"n": n}
        if self.unit == "M":
            return ngettext("%(n)s month ago", "%(n)s months ago", n) % {"n": n}
        return ngettext("%(n)s year ago", "%(n)s years ago", n) % {"n": n}


def parse(text: str) -> list[Wall]:
    """The walls of an embargo statement (``""`` → none); raises ValueError when it is not KBART's form."""
    text = (text or "").strip().upper()
    if not text:
        return []
    walls = []
    for part in text.split(";"):
        match = STATEMENT.match(part.strip())
        if not match or int(match.group(2)) == 0:
            raise ValueError(text)
        walls.append(Wall(match.group(1), int(match.group(2)), match.group(3)))
    if len(walls) > 2 or len({w.kind for w in walls}) != len(walls):
        raise ValueError(text)  # at most one starting (R) and one ending (P) wall
    return sorted(walls, key=lambda wall: wall.kind != "R")  # the starting wall first


def normalise(text: str) -> str:
    """The statement in its KBART form (``r1y`` → ``R1Y``, starting wall first); ValueError when bad."""
    return ";".join(str(wall) for wall in parse(text))


def walls_of(resource, licence=None) -> list[Wall]:
    """The walls of ``resource``: its own (from KBART) and its licence's payment wall (e-journals)."""
    try:
        walls = parse(getattr(resource, "embargo", "") or "")
    except ValueError:
        walls = []  # never stored (the action validates it); an unreadable one adds no wall
    licence = licence if licence is not None else getattr(resource, "licence", None)
    months = getattr(licence, "embargo_months", 0) or 0
    if months and resource.kind == ResourceKind.EJOURNAL:
        walls.append(Wall("P", int(months), "M"))
    return walls


@dataclass(frozen=True)
class Period:
    """The part of a resource's coverage a reader may use today: ``start`` – ``end`` (None: open)."""

    start: datetime.date | None
    end: datetime.date | None
    today: datetime.date
    start_wall: Wall | None = None  # the R wall when it sets the start
    end_wall: Wall | None = None  # the P wall when it sets the end
    has_walls: bool = False

    @property
    def empty(self) -> bool:
        """Nothing of the coverage is available today (all of it behind a wall)."""
        return (self.start is not None and self.end is not None and self.start > self.end) or (
            self.start is not None and self.start > self.today
        )

    def describe(self) -> str:
        """The period in words, e.g. "Available 2010 – 6 months ago (until 30 June 2026)"."""
        if self.empty:
            return _("Under embargo: nothing of this title is available yet.")
        if self.start_wall is not None:
            start = _day(self.start)
        elif self.start is not None:
            start = _year_or_day(self.start, first=True)
        else:
            start = ""
        if self.end_wall is not None:
            end = _("%(ago)s (until %(date)s)") % {"ago": self.end_wall.ago(), "date": _day(self.end)}
        elif self.end is not None and self.end < self.today:
            end = _year_or_day(self.end, first=False)
        else:
            end = _("now")
        if not start:
            return _("Available until %(end)s") % {"end": end}
        return _("Available %(start)s – %(end)s") % {"start": start, "end": end}


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _year_or_day(day: datetime.date, *, first: bool) -> str:
    """A whole year as the year alone (1 January as a start, 31 December as an end), else the date."""
    if (first and (day.month, day.day) == (1, 1)) or (not first and (day.month, day.day) == (12, 31)):
        return str(day.year)
    return _day(day)


def accessible_period(resource, licence=None, *, today: datetime.date) -> Period:
    """The coverage of ``resource`` narrowed by its walls, as it stands ``today``."""
    walls = walls_of(resource, licence)
    start, end = resource.coverage_start, resource.coverage_end
    start_wall = end_wall = None
    for wall in walls:
        moved = wall.date(today)
        if wall.kind == "R":
            if start is None or moved > start:
                start, start_wall = moved, wall
        else:
            last = moved - datetime.timedelta(days=1)
            if end is None or last < end:
                end, end_wall = last, wall
    return Period(start, end, today, start_wall, end_wall, has_walls=bool(walls))


def describe(resource, licence=None, *, today: datetime.date) -> str:
    """What a reader may use of ``resource`` today in words, or ``""`` when it has no coverage or wall."""
    if not (resource.coverage_start or resource.coverage_end or walls_of(resource, licence)):
        return ""
    return accessible_period(resource, licence, today=today).describe()

"""Reads of the accession register shared by its pages, exports and API."""

import datetime

from django.db.models import Count, QuerySet

from . import pattern as patterns
from .models import Accession, AccessionCounter, RegisterSettings


def register(year: int | None = None) -> QuerySet:
    """The register's lines (of ``year``) in number order, with each copy's parts in the same query."""
    lines = Accession.objects.select_related("item", "item__record", "item__branch", "item__item_type", "created_by")
    lines = lines.defer(
        "item__staff_note",
        "item__record__marc",
        "item__record__summary",
        "item__record__notes",
        "item__record__contributors",
        "item__record__subjects",
    )
    if year:
        lines = lines.filter(year=year)
    return lines.order_by("counter_year", "sequence")


def years() -> list[dict]:
    """Each year with copies in the register and how many, newest first."""
    return list(Accession.objects.values("year").annotate(copies=Count("id")).order_by("-year"))


def accession_of(item) -> Accession | None:
    """The register line of ``item`` (None for a copy not numbered)."""
    return Accession.objects.filter(item=item).first()


def current_pattern() -> str:
    return RegisterSettings.current().pattern if RegisterSettings.objects.exists() else patterns.DEFAULT_PATTERN


def preview(pattern: str, *, year: int | None = None) -> str:
    """What the next number would look like under ``pattern`` (a purchase at MAIN of a BOOK)."""
    checked = patterns.parse(pattern)
    year = year or datetime.date.today().year
    counter_year = year if checked.yearly else 0
    last = AccessionCounter.objects.filter(year=counter_year).values_list("last", flat=True).first() or 0
    return checked.render(seq=last + 1, year=year, source="B", branch="MAIN", item_type="BOOK")

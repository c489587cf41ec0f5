"""Stocktake reads shared by the pages, the API and the actions: scope, range and the report."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from pustaka.catalog.callnumbers import shelf_key
from pustaka.holdings.models import Item
from pustaka.holdings.transitions import SHELF_STATES

from .choices import ScanResult
from .models import Stocktake, StocktakeScan

# A call number that extends the upper bound (``005.2 SUT`` for the bound ``005.2``) is inside the range;
# ``005.25`` is not (it is a later class). New tokens in a shelf key start with a space or a dot.
EXTENSION_MARKS = (" ", ".")


@dataclass(frozen=True)
class ShelfRange:
    """The shelf keys of a stocktake's call-number bounds (empty: open on that side)."""

    start: str = ""
    end: str = ""

    @classmethod
    def of(cls, stocktake: Stocktake) -> "ShelfRange":
        return cls(shelf_key(stocktake.call_number_from), shelf_key(stocktake.call_number_to))

    @property
    def is_open(self) -> bool:
        return not (self.start or self.end)

    def contains(self, key: str) -> bool:
        """True when an item with this shelf key belongs to the range."""
        if self.start and key < self.start:
            return False
        return not self.end or key <= self.end or any(key.startswith(self.end + m) for m in EXTENSION_MARKS)

    def q(self, field: str = "shelf_key") -> Q:
        """The same test as :meth:`contains`, for the database."""
        query = Q()
        if self.start:
            query &= Q(**{f"{field}__gte": self.start})
        if self.end:
            upper = Q(**{f"{field}__lte": self.end})
            for mark in EXTENSION_MARKS:
                upper |= Q(**{f"{field}__startswith": self.end + mark})
            query &= upper
        return query


def items_in_scope(stocktake: Stocktake) -> QuerySet:
    """Every item the stocktake covers: its branch, its location (if any) and its call-number range."""
    items = Item.objects.filter(branch_id=stocktake.branch_id)
    if stocktake.location_id:
        items = items.filter(location_id=stocktake.location_id)
    return items.filter(ShelfRange.of(stocktake).q())


def missing_items(stocktake: Stocktake) -> QuerySet:
    """Items in scope that should be on the shelf (a shelf state) and were not scanned, in shelf order."""
    scanned = StocktakeScan.objects.filter(stocktake=stocktake, item__isnull=False).values("item_id")
    return (
        items_in_scope(stocktake)
        .filter(status__in=SHELF_STATES)
        .exclude(pk__in=scanned)
        .select_related("record", "location")
        .only(
            "id",
            "barcode",
            "status",
            "call_number",
            "shelf_key",
            "last_seen_at",
            "location__name",
            "location__code",
            "record__title",
            "record__call_number",
        )
        .order_by("location__sort_order", "location__code", "shelf_key", "barcode")
    )


def scans(stocktake: Stocktake, results=None) -> QuerySet:
    """The stocktake's scans (optionally only some results) with their item, in scanning order."""
    rows = StocktakeScan.objects.filter(stocktake=stocktake).select_related(
        "item", "item__record", "item__location", "item__branch"
    )
    if results:
        rows = rows.filter(result__in=list(results))
    return rows.defer(
        "item__record__marc", "item__record__summary", "item__record__notes", "item__record__contributors"
    ).order_by("position")


def result_counts(stocktake: Stocktake) -> dict[str, int]:
    """How many scans gave each result (every result present, zero when none)."""
    from django.db.models import Count

    counts = dict.fromkeys(ScanResult.values, 0)
    for row in StocktakeScan.objects.filter(stocktake=stocktake).values("result").annotate(n=Count("id")):
        counts[row["result"]] = row["n"]
    return counts


PROBLEMS = (ScanResult.WRONG_SHELF, ScanResult.OUT_OF_ORDER, ScanResult.SHOULD_NOT_BE_HERE)


def stocktakes_for_list() -> QuerySet:
    """Stocktakes with what a list row shows, newest first."""
    from django.db.models import Count

    return (
        Stocktake.objects.select_related("branch", "location", "started_by", "confirmed_by")
        .annotate(scan_count=Count("scans"))
        .order_by("-created_at", "-id")
    )

"""Stocktake reads shared by the pages, the API and the actions: scope, range and the report."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from pustaka.catalog.callnumbers import shelf_key
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item

from .choices import ScanResult
from .models import Stocktake, StocktakeScan

#: The statuses that say a copy stands on its shelf. Only those copies are expected by a stocktake and
#: may be marked missing: a copy on the hold shelf, the shelving trolley or a pull list is elsewhere.
ON_THE_SHELF = (ItemStatus.AVAILABLE,)

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


def expected_items(stocktake: Stocktake) -> QuerySet:
    """The copies the stocktake expects on the shelf: in scope, on the shelf (``ON_THE_SHELF``) since
    before it started. A copy added, returned or moved onto the shelf after the start is not expected
    (nobody knows whether it was there when its shelf was scanned), nor one that left the shelf since."""
    started = stocktake.created_at
    return (
        items_in_scope(stocktake)
        .filter(status__in=ON_THE_SHELF, created_at__lte=started)
        .filter(Q(status_changed_at__isnull=True) | Q(status_changed_at__lte=started))
    )


def missing_items(stocktake: Stocktake) -> QuerySet:
    """Expected copies (:func:`expected_items`) that were not scanned, in shelf order: what a
    confirmation would mark missing."""
    scanned = StocktakeScan.objects.filter(stocktake=stocktake, item__isnull=False).values("item_id")
    return (
        expected_items(stocktake)
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


def marked_missing(stocktake: Stocktake) -> QuerySet:
    """What a confirmed stocktake marked missing, as it was then, in shelf order."""
    from .models import StocktakeMissing

    return StocktakeMissing.objects.filter(stocktake=stocktake).order_by("position")


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

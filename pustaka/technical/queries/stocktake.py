"""Stocktake reads shared by the pages, the API and the actions: scope, range and the report."""

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from pustaka.catalog.callnumbers import shelf_key
from pustaka.holdings import transitions
from pustaka.holdings.models import Item

from ..choices import EntryOutcome, ScanResult
from ..models import Stocktake, StocktakeEntry, StocktakeScan

#: The statuses that say a copy stands on its shelf, read from the lifecycle table (where a copy may
#: be marked missing from). Only those copies are expected by a stocktake and may be marked missing: a
#: copy on the hold shelf, the shelving trolley, a pull list or a loan is elsewhere, for a known reason.
ON_THE_SHELF = transitions.sources("holdings.item.mark_missing")

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


def on_the_shelf_now(stocktake: Stocktake) -> QuerySet:
    """The copies in scope that stand on their shelf now: what :func:`..actions.start_stocktake`
    takes as the stocktake's expected copies (:class:`StocktakeEntry`)."""
    return items_in_scope(stocktake).filter(status__in=ON_THE_SHELF)


def _undisturbed(entries: QuerySet, stocktake: Stocktake) -> QuerySet:
    """Entries whose copy still stands where it stood at the start and has not moved since: still on
    the shelf, same location and shelf place, no status change after the start. A copy lent and
    returned, relocated or re-labelled during the stocktake is not known to have been on the shelf
    when its part was scanned, so it is not marked missing."""
    return (
        entries.filter(
            item__status__in=ON_THE_SHELF,
            item__branch_id=stocktake.branch_id,
            item__shelf_key=F("shelf_key_then"),
        )
        .filter(
            Q(item__location_id=F("location_id_then")) | Q(item__location__isnull=True, location_id_then__isnull=True)
        )
        .filter(Q(item__status_changed_at__isnull=True) | Q(item__status_changed_at__lte=stocktake.created_at))
    )


def expected_entries(stocktake: Stocktake) -> QuerySet:
    """The stocktake's expected copies (taken when it started)."""
    return StocktakeEntry.objects.filter(stocktake=stocktake)


def missing_entries(stocktake: Stocktake) -> QuerySet:
    """Expected copies not scanned in this stocktake that still stand, undisturbed, where they stood
    (:func:`_undisturbed`): what a confirmation would mark missing."""
    scanned = StocktakeScan.objects.filter(stocktake=stocktake, item__isnull=False).values("item_id")
    return _undisturbed(expected_entries(stocktake).exclude(item_id__in=scanned), stocktake)


def missing_items(stocktake: Stocktake) -> QuerySet:
    """The copies of :func:`missing_entries`, in shelf order, with what the report shows."""
    return (
        Item.objects.filter(pk__in=missing_entries(stocktake).values("item_id"))
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
    """What a confirmed stocktake marked missing, as it was then, in shelf order (frozen rows only)."""
    return StocktakeEntry.objects.filter(stocktake=stocktake, outcome=EntryOutcome.MISSING).order_by("position", "id")


def frozen_counts(stocktake: Stocktake) -> dict[str, int | None]:
    """A confirmed stocktake's record: copies expected, seen, marked missing and gone from the shelf
    during the stocktake (never recomputed from today's items)."""
    expected, seen = stocktake.expected_count, stocktake.seen_count
    marked = marked_missing(stocktake).count()
    gone = None if expected is None or seen is None else max(expected - seen - marked, 0)
    return {"expected": expected, "seen": seen, "marked": marked, "gone": gone}


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

"""Technical services: stocktake (inventory) of a branch, a location or a call-number range.

Scans are recorded in order with what each says about the item; a copy that was missing and is
scanned comes back at once (in its place: on the shelf; elsewhere: to the shelving trolley).
Starting notes the copies it expects (:class:`..models.StocktakeEntry`: in scope and standing on
their shelf then); copies added or moved onto the shelf later are not expected. Finishing gives a
report; only a librarian's confirmation moves the expected copies that were not scanned and have not
moved since to ``missing``, all in one transaction, and freezes the record (each expected copy seen,
marked missing as it was, or gone from the shelf meanwhile). Items outside the scope are never touched.
"""

from django.db import connection
from django.db.models import BigIntegerField, CharField, Max, Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pustaka.catalog.callnumbers import shelf_key
from pustaka.core.audit import audit
from pustaka.core.registry import action
from pustaka.holdings.actions import BARCODE_RE, move_items
from pustaka.holdings.choices import ItemStatus, Workflow
from pustaka.holdings.models import Item

from ..choices import EntryOutcome, ScanResult, StocktakeStatus
from ..errors.stocktake import (
    BatchTooLarge,
    CallNumberRangeInvalid,
    LocationNotInBranch,
    NothingScanned,
    StocktakeClosed,
    StocktakeNotInReview,
    StocktakeNotOpen,
)
from ..models import Stocktake, StocktakeEntry, StocktakeScan
from ..queries.stocktake import ON_THE_SHELF, ShelfRange, expected_entries, missing_entries, on_the_shelf_now
from ..transitions import stocktake as table

__all__ = [
    "MAX_BATCH",
    "cancel_stocktake",
    "confirm_stocktake",
    "finish_stocktake",
    "mark_seen",
    "scan_barcodes",
    "start_stocktake",
]

MAX_BATCH = 5000  # barcodes per upload; a handheld's memory is sent in parts of this size
IN_RANGE = (ScanResult.OK, ScanResult.OUT_OF_ORDER)


def _locked(stocktake: Stocktake) -> Stocktake:
    return Stocktake.objects.select_for_update(of=("self",)).select_related("branch", "location").get(pk=stocktake.pk)


def _take_expected(stocktake: Stocktake) -> int:
    """Note the copies the stocktake expects: those in scope standing on their shelf now, with where
    they stand (one INSERT ... SELECT, whatever the size of the branch). Returns how many."""
    blank = Value("", output_field=CharField())
    rows = (
        on_the_shelf_now(stocktake)
        .order_by()
        .annotate(
            _stocktake=Value(stocktake.pk, output_field=BigIntegerField()),
            _outcome=Value(EntryOutcome.EXPECTED, output_field=CharField()),
            _blank=blank,
        )
        .values_list("_stocktake", "id", "location_id", "shelf_key", "_outcome", *["_blank"] * 5)
    )
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(StocktakeEntry._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(StocktakeEntry._meta.get_field(name).column)
        for name in (
            "stocktake",
            "item",
            "location_id_then",
            "shelf_key_then",
            "outcome",
            "barcode",
            "call_number",
            "title",
            "location_code",
            "location_name",
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
        return cursor.rowcount


@action("maintenance.stocktake.start", permission="technical.take_stock", label=gettext_lazy("Stocktake started"))
def start_stocktake(*, branch, actor, location=None, call_number_from: str = "", call_number_to: str = "") -> Stocktake:
    """Start a stocktake of a branch, optionally narrowed to one location and a call-number range."""
    if location is not None and location.branch_id != branch.pk:
        raise LocationNotInBranch(field="location", location=location.name, branch=branch.code)
    start, end = (call_number_from or "").strip(), (call_number_to or "").strip()
    if start and end and shelf_key(end) < shelf_key(start):
        raise CallNumberRangeInvalid(field="call_number_to", start=start, to=end)
    stocktake = Stocktake.objects.create(
        branch=branch,
        location=location,
        call_number_from=start,
        call_number_to=end,
        started_by=actor if actor is not None and actor.pk else None,
    )
    expected = _take_expected(stocktake)
    audit(
        actor,
        "maintenance.stocktake.start",
        stocktake,
        after={
            "branch": branch.code,
            "location": location.code if location else None,
            "call_number_from": start,
            "call_number_to": end,
            "expected": expected,
        },
    )
    return stocktake


def _result(stocktake, shelf_range, item, seen, previous_key):
    """What one scan says about ``item`` (None: the barcode is unknown)."""
    if item is None:
        return ScanResult.UNKNOWN
    if item.pk in seen:
        return ScanResult.DUPLICATE
    if item.status == ItemStatus.MISSING:
        return ScanResult.FOUND
    if item.status not in ON_THE_SHELF:
        return ScanResult.SHOULD_NOT_BE_HERE
    if item.branch_id != stocktake.branch_id or (stocktake.location_id and item.location_id != stocktake.location_id):
        return ScanResult.WRONG_SHELF
    if not shelf_range.contains(item.shelf_key):
        return ScanResult.OUTSIDE_RANGE
    if previous_key is not None and item.shelf_key < previous_key:
        return ScanResult.OUT_OF_ORDER
    return ScanResult.OK


@action("maintenance.stocktake.seen", permission="technical.take_stock", label=gettext_lazy("Seen on the shelf"))
def scan_barcodes(*, stocktake: Stocktake, barcodes: list[str], actor) -> list[StocktakeScan]:
    """Record barcodes scanned on the shelf, in order: one scan or a handheld's whole memory.

    Each scan gets a result (in place, out of order, wrong shelf, should not be here, outside the
    range, unknown, scanned twice, found); scanned items are marked seen. A missing copy found comes
    back: to its shelf when it stands in the stocktake's scope, else to the shelving trolley. The
    number of queries does not grow with the number of barcodes.
    """
    codes = [code.strip() for code in barcodes if code and code.strip()]
    if not codes:
        raise NothingScanned(field="barcodes")
    if len(codes) > MAX_BATCH:
        raise BatchTooLarge(field="barcodes", limit=MAX_BATCH, count=len(codes))
    stocktake = _locked(stocktake)
    if stocktake.status not in table.SCANNING:
        raise StocktakeNotOpen(id=stocktake.pk, status=StocktakeStatus(stocktake.status).label)

    wanted = {code.upper() for code in codes if BARCODE_RE.match(code)}
    rows_found = (
        Item.objects.alias(barcode_upper=Upper("barcode"))
        .filter(barcode_upper__in=wanted)
        .only("id", "barcode", "branch_id", "location_id", "status", "shelf_key", "record_id")
    )
    items = {}  # a barcode as scanned, else in any letter case (core.lookups' rule)
    for item in rows_found:
        items[item.barcode] = item
        items.setdefault(item.barcode.upper(), item)
    found_ids = [item.pk for item in items.values()]
    seen = set(
        StocktakeScan.objects.filter(stocktake=stocktake, item_id__in=found_ids).values_list("item_id", flat=True)
    )
    position = StocktakeScan.objects.filter(stocktake=stocktake).aggregate(last=Max("position"))["last"] or 0
    previous = (
        StocktakeScan.objects.filter(stocktake=stocktake, result__in=IN_RANGE, item__isnull=False)
        .order_by("-position")
        .values_list("item__shelf_key", flat=True)
        .first()
    )
    shelf_range = ShelfRange.of(stocktake)
    rows = []
    for code in codes:
        item = items.get(code) or items.get(code.upper())
        result = _result(stocktake, shelf_range, item, seen, previous)
        if result in IN_RANGE:
            previous = item.shelf_key
        if item is not None:
            seen.add(item.pk)
        position += 1
        rows.append(
            StocktakeScan(
                stocktake=stocktake,
                position=position,
                barcode=code[:32],
                item=item,
                result=result,
                item_status=item.status if item is not None else "",
            )
        )
    StocktakeScan.objects.bulk_create(rows)
    mark_seen(items=[row.item for row in rows if row.item is not None], actor=actor, stocktake=stocktake)
    _bring_back([row.item for row in rows if row.result == ScanResult.FOUND], stocktake, shelf_range, actor)
    return rows


def _bring_back(found: list[Item], stocktake: Stocktake, shelf_range: ShelfRange, actor) -> None:
    """Missing copies scanned in this stocktake come back (the stocktake's own moves)."""
    if not found:
        return
    note = f"stocktake #{stocktake.pk}"
    in_place = [
        item
        for item in found
        if item.branch_id == stocktake.branch_id
        and (not stocktake.location_id or item.location_id == stocktake.location_id)
        and shelf_range.contains(item.shelf_key)
    ]
    elsewhere = [item for item in found if item not in in_place]
    locked = Item.objects.select_for_update(of=("self",))
    if in_place:
        items = list(locked.filter(pk__in=[i.pk for i in in_place], status=ItemStatus.MISSING))
        move_items(items=items, to=ItemStatus.AVAILABLE, actor=actor, workflow=Workflow.STOCKTAKE, note=note)
    if elsewhere:
        items = list(locked.filter(pk__in=[i.pk for i in elsewhere], status=ItemStatus.MISSING))
        move_items(items=items, to=ItemStatus.READY_FOR_SHELVING, actor=actor, workflow=Workflow.STOCKTAKE, note=note)


@action("maintenance.stocktake.seen", permission="technical.take_stock", label=gettext_lazy("Seen on the shelf"))
def mark_seen(*, items, actor, stocktake: Stocktake | None = None) -> int:
    """Note that these items were seen now (``last_seen_at``), in one update and one audit event.

    Their status does not change, so this is not a move. Returns how many items were marked.
    """
    ids = sorted({item.pk for item in items})
    if not ids:
        return 0
    now = timezone.now()
    Item.objects.filter(pk__in=ids).update(last_seen_at=now)
    audit(actor, "maintenance.stocktake.seen", stocktake, after={"items": len(ids), "seen_at": now.isoformat()})
    return len(ids)


@action("maintenance.stocktake.finish", permission="technical.take_stock", label=gettext_lazy("Stocktake finished"))
def finish_stocktake(*, stocktake: Stocktake, actor) -> Stocktake:
    """Stop scanning: the report is ready and waits for a librarian's confirmation."""
    locked = _locked(stocktake)
    rule = table.STOCKTAKES.move(
        locked,
        to=StocktakeStatus.REVIEW,
        actor=actor,
        refused=lambda: StocktakeNotOpen(id=locked.pk, status=StocktakeStatus(locked.status).label),
    )
    locked.save(update_fields=["status", "updated_at"])
    audit(actor, rule.verb, locked, before={"status": "open"}, after={"status": "review"})
    stocktake.refresh_from_db()
    return locked


@action(
    "maintenance.stocktake.confirm", permission="technical.confirm_stocktake", label=gettext_lazy("Stocktake confirmed")
)
def confirm_stocktake(*, stocktake: Stocktake, actor) -> list[Item]:
    """Confirm a finished stocktake: every expected copy (standing on its shelf when the stocktake
    started, see :func:`..queries.stocktake.missing_entries`) that was not scanned and has not moved
    since becomes ``missing`` (through the lifecycle table), all or nothing. The record is frozen:
    each expected copy's outcome (seen, marked missing with the copy as it was, or gone from the shelf
    during the stocktake) and the counts. Returns the copies marked missing."""
    locked = _locked(stocktake)
    rule = table.STOCKTAKES.check(
        locked,
        to=StocktakeStatus.CONFIRMED,
        actor=actor,
        refused=lambda: StocktakeNotInReview(id=locked.pk, status=StocktakeStatus(locked.status).label),
    )
    candidates = list(missing_entries(locked).values_list("item_id", flat=True))
    list(Item.objects.select_for_update(of=("self",)).filter(pk__in=candidates).values_list("pk"))  # hold them
    marked_ids = list(missing_entries(locked).values_list("item_id", flat=True))  # none moved meanwhile
    missing = list(
        Item.objects.select_for_update(of=("self",))
        .filter(pk__in=marked_ids)
        .select_related("record", "location")
        .order_by("location__sort_order", "location__code", "shelf_key", "barcode")
    )
    entries = {entry.item_id: entry for entry in expected_entries(locked).filter(item_id__in=marked_ids)}
    for position, item in enumerate(missing, start=1):
        entry = entries[item.pk]
        entry.outcome = EntryOutcome.MISSING
        entry.position = position
        entry.barcode = item.barcode
        entry.call_number = item.effective_call_number[:200]
        entry.title = item.record.title[:500]
        entry.location_code = item.location.code if item.location_id else ""
        entry.location_name = item.location.name[:200] if item.location_id else ""
        entry.last_seen_at = item.last_seen_at
    StocktakeEntry.objects.bulk_update(
        list(entries.values()),
        ["outcome", "position", "barcode", "call_number", "title", "location_code", "location_name", "last_seen_at"],
        batch_size=500,
    )
    scanned = StocktakeScan.objects.filter(stocktake=locked, item__isnull=False).values("item_id")
    open_entries = expected_entries(locked).filter(outcome=EntryOutcome.EXPECTED)
    seen = open_entries.filter(item_id__in=scanned).update(outcome=EntryOutcome.SEEN)
    gone = open_entries.update(outcome=EntryOutcome.GONE)  # left the shelf during the stocktake
    expected = seen + gone + len(missing)
    note = f"stocktake #{locked.pk}"
    move_items(items=missing, to=ItemStatus.MISSING, actor=actor, workflow=Workflow.STOCKTAKE, note=note)
    table.STOCKTAKES.move(locked, to=StocktakeStatus.CONFIRMED, actor=actor)
    locked.confirmed_by = actor if actor is not None and actor.pk else None
    locked.confirmed_at = timezone.now()
    locked.expected_count = expected
    locked.seen_count = seen
    locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "expected_count", "seen_count", "updated_at"])
    audit(
        actor,
        rule.verb,
        locked,
        before={"status": "review"},
        after={
            "status": "confirmed",
            "expected": expected,
            "seen": seen,
            "gone": gone,
            "missing": [item.barcode for item in missing],
        },
    )
    stocktake.refresh_from_db()
    return missing


@action("maintenance.stocktake.cancel", permission="technical.take_stock", label=gettext_lazy("Stocktake cancelled"))
def cancel_stocktake(*, stocktake: Stocktake, actor) -> Stocktake:
    """Abandon a stocktake before it is confirmed; no item changes status."""
    locked = _locked(stocktake)
    before = locked.status
    rule = table.STOCKTAKES.move(
        locked,
        to=StocktakeStatus.CANCELLED,
        actor=actor,
        refused=lambda: StocktakeClosed(id=locked.pk, status=StocktakeStatus(locked.status).label),
    )
    locked.save(update_fields=["status", "updated_at"])
    audit(actor, rule.verb, locked, before={"status": before}, after={"status": "cancelled"})
    stocktake.refresh_from_db()
    return locked

"""Stocktake through the actions: scanning results, batches, the report, confirmation and refusals."""

import pytest

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent, Location
from pustaka.holdings.models import Item
from pustaka.technical.actions import (
    cancel_stocktake,
    confirm_stocktake,
    finish_stocktake,
    scan_barcodes,
    start_stocktake,
)
from pustaka.technical.choices import StocktakeStatus
from pustaka.technical.errors.stocktake import (
    CallNumberRangeInvalid,
    LocationNotInBranch,
    NothingScanned,
    StocktakeClosed,
    StocktakeNotInReview,
    StocktakeNotOpen,
)
from pustaka.technical.queries.stocktake import ShelfRange, missing_items


@pytest.fixture
def shelf(make_item):
    """Five items on the STACKS shelf in call-number order 100, 200, 300, 400, 500."""
    return [make_item(f"S{n}00", call_number=f"{n}00 ABC a") for n in range(1, 6)]


def _results(scans):
    return [(s.barcode, s.result) for s in scans]


def test_a_shelf_scanned_in_order_is_all_in_place_and_items_are_marked_seen(technician, branch, location, shelf):
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)

    scans = scan_barcodes(stocktake=stocktake, barcodes=[i.barcode for i in shelf], actor=technician)

    assert {r for _, r in _results(scans)} == {"ok"}
    assert [s.position for s in scans] == [1, 2, 3, 4, 5]
    assert all(i.last_seen_at for i in Item.objects.filter(barcode__in=[i.barcode for i in shelf]))
    assert AuditEvent.objects.filter(verb="maintenance.stocktake.seen").count() == 1


def test_each_scan_says_what_is_wrong(technician, branch, location, other_branch, make_item, shelf, record):
    other_place = Location.objects.create(branch=branch, code="REF", name="Referensi")
    make_item("WRONGLOC", call_number="150 X")
    make_item("OTHERBR", call_number="150 Y")
    Item.objects.filter(barcode="WRONGLOC").update(location=other_place)
    Item.objects.filter(barcode="OTHERBR").update(branch=other_branch, location=None)
    make_item("GONE", status="withdrawn", call_number="250 Z")
    make_item("LENT", status="on_loan", call_number="250 Z")
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)

    scans = scan_barcodes(
        stocktake=stocktake,
        barcodes=["S100", "S300", "S200", "WRONGLOC", "OTHERBR", "GONE", "LENT", "NOPE", "S300", "S400", "  "],
        actor=technician,
    )

    assert _results(scans) == [
        ("S100", "ok"),
        ("S300", "ok"),
        ("S200", "out_of_order"),
        ("WRONGLOC", "wrong_shelf"),
        ("OTHERBR", "wrong_shelf"),
        ("GONE", "should_not_be_here"),
        ("LENT", "should_not_be_here"),
        ("NOPE", "unknown"),
        ("S300", "duplicate"),
        ("S400", "ok"),
    ]


def test_order_is_checked_across_batches(technician, branch, location, shelf):
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)
    scan_barcodes(stocktake=stocktake, barcodes=["S100", "S400"], actor=technician)

    scans = scan_barcodes(stocktake=stocktake, barcodes=["S200", "S500"], actor=technician)

    assert _results(scans) == [("S200", "out_of_order"), ("S500", "ok")]
    assert [s.position for s in scans] == [3, 4]


def test_a_batch_costs_the_same_number_of_queries_whatever_its_size(
    technician, branch, location, make_item, django_assert_num_queries
):
    """(Up to one INSERT: SQLite takes at most 999 values in one, so a handheld's 5,000 scans take a few.)"""
    for n in range(120):
        make_item(f"Q{n:04d}", call_number=f"{n:03d}")
    small = start_stocktake(branch=branch, location=location, actor=technician)
    large = start_stocktake(branch=branch, location=location, actor=technician)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        scan_barcodes(stocktake=small, barcodes=[f"Q{n:04d}" for n in range(5)], actor=technician)
    with CaptureQueriesContext(connection) as many:
        scan_barcodes(stocktake=large, barcodes=[f"Q{n:04d}" for n in range(120)] + ["NOPE"] * 10, actor=technician)
    assert len(many) == len(few) <= 12


def test_missing_items_are_shelf_items_in_scope_that_were_not_scanned(technician, branch, location, shelf, make_item):
    make_item("LENT", status="on_loan", call_number="250")
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)
    scan_barcodes(stocktake=stocktake, barcodes=["S100", "S200", "S400"], actor=technician)

    assert [i.barcode for i in missing_items(stocktake)] == ["S300", "S500"]


def test_librarian_confirms_and_only_the_missing_items_become_missing(technician, librarian, branch, location, shelf):
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)
    scan_barcodes(stocktake=stocktake, barcodes=["S100", "S200", "S400"], actor=technician)
    finish_stocktake(stocktake=stocktake, actor=technician)

    missing = confirm_stocktake(stocktake=stocktake, actor=librarian)

    assert sorted(i.barcode for i in missing) == ["S300", "S500"]
    statuses = dict(Item.objects.values_list("barcode", "status"))
    assert statuses == {
        "S100": "available",
        "S200": "available",
        "S300": "missing",
        "S400": "available",
        "S500": "missing",
    }
    stocktake.refresh_from_db()
    assert stocktake.status == StocktakeStatus.CONFIRMED and stocktake.confirmed_by == librarian
    assert AuditEvent.objects.filter(verb="holdings.item.mark_missing").count() == 2


def test_a_partial_stocktake_never_marks_items_outside_its_range_missing(
    technician, librarian, branch, location, shelf
):
    stocktake = start_stocktake(
        branch=branch, location=location, call_number_from="200", call_number_to="300", actor=technician
    )
    scans = scan_barcodes(stocktake=stocktake, barcodes=["S200", "S500"], actor=technician)
    assert _results(scans) == [("S200", "ok"), ("S500", "outside_range")]
    finish_stocktake(stocktake=stocktake, actor=technician)

    missing = confirm_stocktake(stocktake=stocktake, actor=librarian)

    assert [i.barcode for i in missing] == ["S300"]
    statuses = dict(Item.objects.values_list("barcode", "status"))
    assert statuses["S100"] == statuses["S400"] == statuses["S500"] == "available"


def test_the_upper_bound_includes_its_extensions_but_not_later_classes():
    rng = ShelfRange.of(type("S", (), {"call_number_from": "005.1", "call_number_to": "005.2"})())
    from pustaka.catalog.callnumbers import shelf_key

    assert rng.contains(shelf_key("005.2 SUT p"))
    assert rng.contains(shelf_key("005.13 ABC"))
    assert not rng.contains(shelf_key("005.25 ABC"))
    assert not rng.contains(shelf_key("005 ABC"))


def test_a_technician_cannot_confirm_a_stocktake(technician, branch, location, shelf):
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)
    finish_stocktake(stocktake=stocktake, actor=technician)

    with pytest.raises(PermissionDenied):
        confirm_stocktake(stocktake=stocktake, actor=technician)
    assert not Item.objects.filter(status="missing").exists()


def test_circulation_cannot_start_a_stocktake(circulation, branch):
    with pytest.raises(PermissionDenied):
        start_stocktake(branch=branch, actor=circulation)


def test_confirming_twice_is_refused(technician, librarian, branch, location, shelf):
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)
    finish_stocktake(stocktake=stocktake, actor=technician)
    confirm_stocktake(stocktake=stocktake, actor=librarian)

    with pytest.raises(StocktakeNotInReview):
        confirm_stocktake(stocktake=stocktake, actor=librarian)


def test_a_stocktake_still_being_scanned_cannot_be_confirmed(technician, librarian, branch, location, shelf):
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)
    with pytest.raises(StocktakeNotInReview):
        confirm_stocktake(stocktake=stocktake, actor=librarian)
    assert not Item.objects.filter(status="missing").exists()


def test_scanning_into_a_confirmed_or_finished_stocktake_is_refused(technician, librarian, branch, location, shelf):
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)
    finish_stocktake(stocktake=stocktake, actor=technician)
    with pytest.raises(StocktakeNotOpen):
        scan_barcodes(stocktake=stocktake, barcodes=["S100"], actor=technician)
    confirm_stocktake(stocktake=stocktake, actor=librarian)
    with pytest.raises(StocktakeNotOpen, match="Confirmed"):
        scan_barcodes(stocktake=stocktake, barcodes=["S100"], actor=technician)
    assert not stocktake.scans.exists()


def test_a_cancelled_stocktake_marks_nothing_and_cannot_be_cancelled_again(technician, branch, location, shelf):
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)
    cancel_stocktake(stocktake=stocktake, actor=technician)
    assert stocktake.status == StocktakeStatus.CANCELLED
    with pytest.raises(StocktakeClosed):
        cancel_stocktake(stocktake=stocktake, actor=technician)
    with pytest.raises(StocktakeNotOpen):
        finish_stocktake(stocktake=stocktake, actor=technician)


def test_start_refuses_a_location_of_another_branch_and_a_backwards_range(technician, branch, other_branch):
    north = Location.objects.create(branch=other_branch, code="N1", name="Utara")
    with pytest.raises(LocationNotInBranch):
        start_stocktake(branch=branch, location=north, actor=technician)
    with pytest.raises(CallNumberRangeInvalid):
        start_stocktake(branch=branch, call_number_from="900", call_number_to="100", actor=technician)


def test_an_empty_scan_is_refused(technician, branch):
    stocktake = start_stocktake(branch=branch, actor=technician)
    with pytest.raises(NothingScanned):
        scan_barcodes(stocktake=stocktake, barcodes=["", "  "], actor=technician)

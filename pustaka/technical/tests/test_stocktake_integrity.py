"""A stocktake marks missing only copies that stood on their shelf when it started, keeps a frozen
record once confirmed, and brings back a missing copy it finds."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.choices import ItemStatus, Workflow
from pustaka.holdings.models import Item
from pustaka.technical.actions import confirm_stocktake, finish_stocktake, scan_barcodes, start_stocktake
from pustaka.technical.models import StocktakeEntry


@pytest.fixture
def shelf(make_item):
    """Five copies standing on the shelf, S100 to S500, since yesterday."""
    copies = [make_item(f"S{n}00", call_number=f"{n}00 ABC a") for n in range(1, 6)]
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Item.objects.filter(pk__in=[c.pk for c in copies]).update(created_at=yesterday, status_changed_at=yesterday)
    return copies


def _run(technician, librarian, branch, scanned, location=None, before_confirm=None):
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)
    if scanned:
        scan_barcodes(stocktake=stocktake, barcodes=scanned, actor=technician)
    finish_stocktake(stocktake=stocktake, actor=technician)
    if before_confirm:
        before_confirm()
    return stocktake, confirm_stocktake(stocktake=stocktake, actor=librarian)


def _page(client, url, language="en"):
    with translation.override(language):
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def _status(barcode):
    return Item.objects.get(barcode=barcode).status


def test_a_copy_on_the_hold_shelf_or_the_trolley_is_not_marked_missing(
    technician, librarian, branch, shelf, make_item, circulation
):
    from pustaka.holdings.actions import move_item

    move_item(item=shelf[4], to=ItemStatus.ON_HOLD_SHELF, actor=circulation, workflow=Workflow.DESK)
    make_item("T100", status=ItemStatus.READY_FOR_SHELVING, call_number="100 ABC b")

    stocktake, marked = _run(technician, librarian, branch, ["S100", "S200", "S300"])

    assert [item.barcode for item in marked] == ["S400"]
    assert _status("S500") == ItemStatus.ON_HOLD_SHELF  # the hold can still be collected
    assert _status("T100") == ItemStatus.READY_FOR_SHELVING


def test_copies_that_came_onto_the_shelf_after_the_start_are_not_counted(
    client, technician, librarian, branch, shelf, make_item, circulation
):
    """A copy added, or returned to the shelf, after the stocktake started is not expected (nobody
    knows whether it was there when its shelf was scanned); a copy that left the shelf is not either."""
    from pustaka.holdings.actions import move_item

    stocktake = start_stocktake(branch=branch, actor=technician)
    scan_barcodes(stocktake=stocktake, barcodes=["S100", "S200"], actor=technician)
    make_item("NEW1", call_number="150 ABC a")  # catalogued after the start
    move_item(item=shelf[2], to=ItemStatus.ON_LOAN, actor=circulation, workflow=Workflow.DESK)  # S300 lent
    move_item(item=Item.objects.get(barcode="S300"), to=ItemStatus.AVAILABLE, actor=circulation, workflow=Workflow.DESK)
    finish_stocktake(stocktake=stocktake, actor=technician)
    marked = confirm_stocktake(stocktake=stocktake, actor=librarian)

    assert sorted(item.barcode for item in marked) == ["S400", "S500"]
    assert _status("NEW1") == ItemStatus.AVAILABLE
    assert _status("S300") == ItemStatus.AVAILABLE
    stocktake.refresh_from_db()
    assert (stocktake.expected_count, stocktake.seen_count) == (5, 2)  # the shelf when it started
    outcomes = dict(StocktakeEntry.objects.filter(stocktake=stocktake).values_list("item__barcode", "outcome"))
    assert outcomes == {"S100": "seen", "S200": "seen", "S300": "gone", "S400": "missing", "S500": "missing"}
    client.force_login(librarian)
    url = reverse("technical:stocktake_report", args=[stocktake.pk])
    assert "1 copy left the shelf during the stocktake (lent or moved) and was not counted." in _page(client, url)
    assert "1 eksemplar meninggalkan rak selama inventarisasi" in _page(client, url, "id")
    assert ApiClient.as_user(librarian).get(f"/stocktakes/{stocktake.pk}/report").json()["gone"] == 1


def test_a_copy_moved_or_shelved_onto_the_shelf_after_the_start_is_not_marked_missing(
    technician, librarian, branch, location, shelf, make_item
):
    """The expected copies are those standing on the shelf when the stocktake started: one moved
    there from the store, or shelved from the trolley, afterwards was never looked for."""
    from pustaka.core.models import Location
    from pustaka.holdings.actions import move_item, update_item

    store = Location.objects.create(branch=branch, code="STORE", name="Gudang")
    make_item("MOVED", call_number="250 ABC a")
    Item.objects.filter(barcode="MOVED").update(location=store)
    make_item("TROLLEY", call_number="350 ABC a", status=ItemStatus.READY_FOR_SHELVING)
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)
    scan_barcodes(stocktake=stocktake, barcodes=["S100", "S200", "S300", "S400", "S500"], actor=technician)
    update_item(item=Item.objects.get(barcode="MOVED"), actor=librarian, location=location)
    move_item(item=Item.objects.get(barcode="TROLLEY"), to=ItemStatus.AVAILABLE, actor=technician, workflow="shelving")
    finish_stocktake(stocktake=stocktake, actor=technician)

    assert confirm_stocktake(stocktake=stocktake, actor=librarian) == []
    assert _status("MOVED") == _status("TROLLEY") == ItemStatus.AVAILABLE
    stocktake.refresh_from_db()
    assert (stocktake.expected_count, stocktake.seen_count) == (5, 5)


def test_the_stocktake_cannot_mark_a_copy_on_the_hold_shelf_or_the_trolley_missing_at_all(librarian, make_item):
    """The lifecycle table itself: the stocktake's move to missing starts only from a copy that should
    stand on its shelf, so no caller can strand a hold or the trolley."""
    from pustaka.holdings.actions import move_items
    from pustaka.holdings.errors import ItemTransitionNotAllowed

    held = make_item("HELD", status=ItemStatus.ON_HOLD_SHELF)
    trolley = make_item("TROLLEY", status=ItemStatus.READY_FOR_SHELVING)
    for copy in (held, trolley):
        with pytest.raises(ItemTransitionNotAllowed):
            move_items(items=[copy], to=ItemStatus.MISSING, actor=librarian, workflow=Workflow.STOCKTAKE)
    assert (_status("HELD"), _status("TROLLEY")) == (ItemStatus.ON_HOLD_SHELF, ItemStatus.READY_FOR_SHELVING)


def test_the_confirmed_report_is_a_frozen_record(client, technician, librarian, branch, shelf, make_item):
    stocktake, marked = _run(technician, librarian, branch, ["S100", "S200", "S300", "S400"])
    assert [item.barcode for item in marked] == ["S500"]
    # Later: a newspaper is checked in onto the shelf, and S500 turns up and is written off.
    make_item("N001", call_number="300 KOM a")
    Item.objects.filter(barcode="S500").update(status=ItemStatus.WITHDRAWN)
    Item.objects.filter(barcode="S100").update(status=ItemStatus.ON_LOAN)

    client.force_login(librarian)
    page = client.get(reverse("technical:stocktake_report", args=[stocktake.pk])).content.decode()
    api = ApiClient.as_user(librarian)
    report = api.get(f"/stocktakes/{stocktake.pk}/report").json()
    missing = api.get(f"/stocktakes/{stocktake.pk}/missing").json()

    assert "5 copies were expected on the shelf, 4 of them were seen" in page
    assert 'href="/staff/holdings/items/S500/"' in page
    assert "N001" not in page
    assert (report["missing"], report["expected"], report["seen"]) == (1, 5, 4)
    assert [(row["barcode"], row["status"], row["call_number"]) for row in missing["items"]] == [
        ("S500", "missing", "500 ABC a")
    ]
    assert list(StocktakeEntry.objects.filter(outcome="missing").values_list("barcode", flat=True)) == ["S500"]
    scans = api.get(f"/stocktakes/{stocktake.pk}/scans").json()["items"]
    assert [(row["barcode"], row["item_status"]) for row in scans][0] == ("S100", "available")  # as scanned
    with translation.override("id"):
        indonesian = client.get(
            reverse("technical:stocktake_report", args=[stocktake.pk]), HTTP_ACCEPT_LANGUAGE="id"
        ).content.decode()
    assert "5 eksemplar seharusnya ada di rak, 4 di antaranya terlihat" in indonesian


def test_a_missing_copy_scanned_in_its_place_comes_back_to_the_shelf(technician, branch, shelf, location):
    Item.objects.filter(barcode="S300").update(status=ItemStatus.MISSING)
    stocktake = start_stocktake(branch=branch, location=location, actor=technician)

    rows = scan_barcodes(stocktake=stocktake, barcodes=["S100", "s300"], actor=technician)

    assert [row.result for row in rows] == ["ok", "found"]
    assert _status("S300") == ItemStatus.AVAILABLE


def test_a_missing_copy_scanned_on_another_shelf_goes_to_the_trolley(technician, branch, shelf, make_item):
    from pustaka.core.models import Location

    store = Location.objects.create(branch=branch, code="STORE", name="Gudang")
    Item.objects.filter(barcode="S300").update(status=ItemStatus.MISSING)
    stocktake = start_stocktake(branch=branch, location=store, actor=technician)

    rows = scan_barcodes(stocktake=stocktake, barcodes=["S300"], actor=technician)

    assert [row.result for row in rows] == ["found"]
    assert _status("S300") == ItemStatus.READY_FOR_SHELVING  # to be shelved where it belongs


def test_the_found_copy_shows_on_the_report(client, technician, librarian, branch, shelf):
    Item.objects.filter(barcode="S200").update(status=ItemStatus.MISSING)
    stocktake = start_stocktake(branch=branch, actor=technician)
    scan_barcodes(stocktake=stocktake, barcodes=["S200"], actor=technician)

    client.force_login(librarian)
    page = client.get(reverse("technical:stocktake_report", args=[stocktake.pk])).content.decode()

    assert 'id="found"' in page and "Found (was missing)" in page

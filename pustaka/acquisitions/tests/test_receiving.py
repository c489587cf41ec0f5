"""Receiving a delivery: the copies are made `received` with their accession numbers (a purchase from
the vendor at the line's price) and go to processing in one batch; the fund moves from encumbered
to spent; bad deliveries are refused whole."""

from decimal import Decimal

import pytest

from pustaka.accessions.models import Accession
from pustaka.acquisitions import actions, queries
from pustaka.acquisitions.choices import OrderStatus
from pustaka.acquisitions.errors import LineNotInOrder, NothingToReceive, OrderNotOpen, TooManyCopies
from pustaka.core.errors import PermissionDenied
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.errors import BarcodeTaken
from pustaka.holdings.models import Item

pytestmark = pytest.mark.django_db


def test_scanned_copies_are_created_numbered_and_sent_to_processing(technician, sent, line, fund, vendor):
    delivery = actions.receive_delivery(actor=technician, order=sent, barcodes={line.pk: ["A0001", "A0002"]})
    items = list(Item.objects.order_by("barcode"))
    assert [i.barcode for i in items] == ["A0001", "A0002"]
    assert {i.status for i in items} == {ItemStatus.IN_PROCESSING}
    assert {(i.branch_id, i.item_type_id, i.price) for i in items} == {
        (line.branch_id, line.item_type_id, Decimal("85000"))
    }
    accessions = list(Accession.objects.order_by("sequence"))
    assert [a.barcode for a in accessions] == ["A0001", "A0002"]
    assert {(a.source, a.supplier, a.price) for a in accessions} == {("purchase", vendor.name, Decimal("85000"))}
    assert accessions[0].number != accessions[1].number
    assert [c.barcode for c in delivery.copies.all()] == ["A0001", "A0002"]
    sent.refresh_from_db()
    line.refresh_from_db()
    assert (sent.status, line.received, line.outstanding) == (OrderStatus.PARTLY_RECEIVED, 2, 1)
    assert {k: int(v) for k, v in queries.fund_figures(fund).items()} == {
        "budget": 1000000, "encumbered": 85000, "spent": 170000, "available": 745000,
    }  # fmt: skip


def test_ticked_copies_get_made_barcodes_and_the_last_one_completes_the_order(technician, sent, line, make_item):
    make_item("B000041")
    actions.receive_delivery(actor=technician, order=sent, counts={line.pk: 3})
    assert sorted(Item.objects.exclude(barcode="B000041").values_list("barcode", flat=True)) == [
        "B000042", "B000043", "B000044",
    ]  # fmt: skip
    sent.refresh_from_db()
    assert sent.status == OrderStatus.RECEIVED
    with pytest.raises(OrderNotOpen):
        actions.receive_delivery(actor=technician, order=sent, counts={line.pk: 1})


def test_a_title_without_a_call_number_stays_received_for_the_cataloguer(technician, sent, line, record):
    record.call_number = ""
    record.save()
    delivery = actions.receive_delivery(actor=technician, order=sent, barcodes={line.pk: ["A0001"]})
    assert Item.objects.get().status == ItemStatus.RECEIVED
    assert delivery.waiting_for_call_number == ["A0001"]


def test_partly_received_then_the_rest_cancelled_closes_the_order_as_received(technician, librarian, sent, line, fund):
    actions.receive_delivery(actor=technician, order=sent, counts={line.pk: 1})
    actions.cancel_order_line(actor=librarian, line=line, reason="Stok habis")
    sent.refresh_from_db()
    assert sent.status == OrderStatus.RECEIVED
    assert {k: int(v) for k, v in queries.fund_figures(fund).items()}["available"] == 915000


@pytest.mark.parametrize(
    "barcodes, counts, error",
    [
        ({}, {}, NothingToReceive),
        (None, {"999999": 1}, LineNotInOrder),
        ("LINE", {"LINE": 4}, TooManyCopies),
        ({"LINE": ["A1", "A2", "A3", "A4"]}, None, TooManyCopies),
        ({"LINE": ["A1", "a1"]}, None, BarcodeTaken),
        ({"LINE": ["B000001"]}, None, BarcodeTaken),
        ({"LINE": ["bad code!"]}, None, Exception),
    ],
)
def test_a_bad_delivery_is_refused_whole(technician, sent, line, item, barcodes, counts, error):
    def fill(value):
        if value == "LINE":
            return None
        return {(line.pk if k == "LINE" else k): v for k, v in value.items()} if value else value

    with pytest.raises(error):
        actions.receive_delivery(actor=technician, order=sent, barcodes=fill(barcodes), counts=fill(counts))
    assert list(Item.objects.values_list("barcode", flat=True)) == ["B000001"]
    line.refresh_from_db()
    assert line.received == 0


def test_circulation_staff_may_not_receive(circulation, sent, line):
    with pytest.raises(PermissionDenied):
        actions.receive_delivery(actor=circulation, order=sent, counts={line.pk: 1})
    assert not Item.objects.exists()


def test_a_draft_is_not_received(technician, draft):
    with pytest.raises(OrderNotOpen):
        actions.receive_delivery(actor=technician, order=draft, counts={draft.lines.get().pk: 1})

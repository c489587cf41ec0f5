"""Orders: writing, sending (encumbering the fund), cancelling (releasing it), claiming late orders,
fund figures, and the refusals of each."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pustaka.acquisitions import actions, queries
from pustaka.acquisitions.choices import OrderStatus
from pustaka.acquisitions.errors import (
    AcquisitionInvalid,
    FundOverspent,
    OrderEmpty,
    OrderNotDraft,
    OrderNotLate,
    OrderNotOpen,
)
from pustaka.acquisitions.models import Claim, Order, OrderLine
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def figures(fund):
    return {k: int(v) for k, v in queries.fund_figures(fund).items()}


def test_orders_are_numbered_per_year_and_start_as_drafts(librarian, vendor):
    first = actions.create_order(actor=librarian, vendor=vendor)
    second = actions.create_order(actor=librarian, vendor=vendor)
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"PO/{year}/0001", f"PO/{year}/0002")
    assert first.status == OrderStatus.DRAFT


def test_prices_are_read_the_indonesian_way(librarian, draft, record, branch, item_type, fund):
    line = actions.add_order_line(
        actor=librarian, order=draft, record=record, copies=1, branch=branch, item_type=item_type,
        price="5.000,50", fund=fund,
    )  # fmt: skip
    assert line.price == Decimal("5000.50")
    assert draft.lines.first().price == Decimal("85000")


@pytest.mark.parametrize(
    "typed, amount",
    [
        ("5.000", "5000.00"),
        ("5.000,50", "5000.50"),
        ("5000", "5000.00"),
        ("1.250.000", "1250000.00"),
        (85000, "85000.00"),
    ],
)
def test_money_typed_the_indonesian_way_is_read_as_meant(
    librarian, draft, record, branch, item_type, fund, typed, amount
):
    line = actions.add_order_line(
        actor=librarian, order=draft, record=record, copies=1, branch=branch, item_type=item_type, price=typed,
        fund=fund,
    )  # fmt: skip
    line.refresh_from_db()
    assert line.price == Decimal(amount)


@pytest.mark.parametrize("price", ["5.00.0", "abc", "-5000", ""])
def test_a_price_that_is_not_an_amount_is_refused_and_nothing_is_written(
    librarian, draft, record, branch, item_type, fund, price
):
    with pytest.raises(AcquisitionInvalid) as refused:
        actions.add_order_line(
            actor=librarian, order=draft, record=record, copies=1, branch=branch, item_type=item_type, price=price,
            fund=fund,
        )  # fmt: skip
    assert refused.value.field == "price"
    assert draft.lines.count() == 1


def test_a_draft_holds_no_money_a_sent_order_encumbers_it(librarian, draft, fund):
    assert figures(fund) == {"budget": 1000000, "encumbered": 0, "spent": 0, "available": 1000000}
    actions.send_order(actor=librarian, order=draft)
    assert figures(fund) == {"budget": 1000000, "encumbered": 255000, "spent": 0, "available": 745000}
    draft.refresh_from_db()
    assert draft.status == OrderStatus.SENT and draft.sent_at


def test_an_order_the_fund_cannot_pay_is_not_sent(librarian, draft, fund):
    fund.budget = Decimal("200000")
    fund.save()
    with pytest.raises(FundOverspent) as refused:
        actions.send_order(actor=librarian, order=draft)
    assert "Rp 200,000" in str(refused.value) and "Rp 255,000" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == OrderStatus.DRAFT


def test_an_empty_order_is_not_sent(librarian, vendor):
    order = actions.create_order(actor=librarian, vendor=vendor)
    with pytest.raises(OrderEmpty):
        actions.send_order(actor=librarian, order=order)


def test_a_sent_order_takes_no_more_lines(librarian, sent, record, branch, item_type, fund):
    with pytest.raises(OrderNotDraft):
        actions.add_order_line(
            actor=librarian, order=sent, record=record, copies=1, branch=branch, item_type=item_type, price=1000,
            fund=fund,
        )  # fmt: skip


def test_cancelling_a_line_releases_its_money(librarian, sent, line, fund):
    actions.cancel_order_line(actor=librarian, line=line, copies=1, reason="Stok habis")
    assert figures(fund)["encumbered"] == 170000
    actions.cancel_order_line(actor=librarian, line=line, reason="Tidak terbit lagi")
    assert figures(fund) == {"budget": 1000000, "encumbered": 0, "spent": 0, "available": 1000000}
    sent.refresh_from_db()
    assert sent.status == OrderStatus.CANCELLED
    with pytest.raises(OrderNotOpen):
        actions.cancel_order_line(actor=librarian, line=line, reason="lagi")


def test_cancelling_an_order_releases_the_encumbrance(librarian, sent, fund):
    actions.cancel_order(actor=librarian, order=sent, reason="Pemasok tutup")
    sent.refresh_from_db()
    assert sent.status == OrderStatus.CANCELLED and sent.cancelled_reason == "Pemasok tutup"
    assert figures(fund)["available"] == 1000000


def test_a_cancel_needs_a_reason(librarian, sent):
    with pytest.raises(AcquisitionInvalid):
        actions.cancel_order(actor=librarian, order=sent, reason="  ")
    sent.refresh_from_db()
    assert sent.status == OrderStatus.SENT


def test_only_a_late_order_is_claimed_and_each_claim_is_counted(librarian, sent):
    with pytest.raises(OrderNotLate):
        actions.claim_order(actor=librarian, order=sent)
    Order.objects.filter(pk=sent.pk).update(expected_by=timezone.localdate() - datetime.timedelta(days=3))
    actions.claim_order(actor=librarian, order=sent, note="Mohon segera dikirim")
    claim = actions.claim_order(actor=librarian, order=sent)
    sent.refresh_from_db()
    assert (sent.claim_count, claim.number) == (2, 2) and sent.last_claimed_at
    assert list(queries.late_orders()) == [sent]
    assert Claim.objects.filter(order=sent).count() == 2


def test_a_technician_may_not_order_and_a_librarian_may_not_set_funds(technician, librarian, vendor, fund):
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        actions.create_order(actor=technician, vendor=vendor)
    with pytest.raises(PermissionDenied):
        actions.save_fund(actor=librarian, fund=fund, code="BOOKS", name="x", year=fund.year, budget="1")
    assert AuditEvent.objects.count() == events and not Order.objects.exists()


def test_the_administrator_sets_a_fund_but_not_below_what_it_has_committed(administrator, librarian, sent, fund):
    new = actions.save_fund(actor=administrator, code="ref", name="Referensi", year=fund.year, budget="2.500.000")
    assert (new.code, new.budget) == ("REF", Decimal("2500000"))
    with pytest.raises(AcquisitionInvalid) as refused:
        actions.save_fund(actor=administrator, fund=fund, code="BOOKS", name="Buku", year=fund.year, budget="100.000")
    assert refused.value.field == "budget"
    fund.refresh_from_db()
    assert fund.budget == Decimal("1000000")


def test_removing_a_draft_line(librarian, draft):
    actions.remove_order_line(actor=librarian, line=draft.lines.get())
    assert not OrderLine.objects.exists()

"""Withdrawal and sale end to end: withdraw (last-copy warning), offer, sell one or a batch, discard,
the ledger totals; refusals; pages; API."""

import datetime
from decimal import Decimal

import pytest

from pustaka.core.errors import PermissionDenied
from pustaka.core.tests.api_client import ApiClient
from pustaka.technical import actions
from pustaka.technical.errors.sale import InvalidPrice, ItemNotForSale, ItemNotPulledForWeeding, LastCopyWarning
from pustaka.technical.models import SaleEvent
from pustaka.technical.queries.sale import ledger, sales

pytestmark = pytest.mark.django_db


@pytest.fixture
def weeded(make_item):
    """Two copies of one title pulled for weeding, and a third still on the shelf."""
    make_item("KEEP")
    return [
        make_item("W1", status="pulled", pulled_reason="weed"),
        make_item("W2", status="pulled", pulled_reason="weed"),
    ]


@pytest.fixture
def for_sale(weeded, librarian):
    actions.withdraw_items(items=weeded, actor=librarian)
    for item, price in zip(weeded, ("5000", "7500.50"), strict=True):
        actions.offer_for_sale(item=item, price=price, actor=librarian)
    return weeded


def test_librarian_withdraws_pulled_items_and_the_public_no_longer_sees_them(weeded, librarian):
    done = actions.withdraw_items(items=weeded, actor=librarian)
    assert {i.status for i in done} == {"withdrawn"}


def test_withdrawing_the_last_copy_needs_confirmation(make_item, librarian, record):
    only = make_item("ONLY", status="pulled", pulled_reason="weed")
    with pytest.raises(LastCopyWarning) as caught:
        actions.withdraw_item(item=only, actor=librarian)
    assert caught.value.barcodes == ["ONLY"] and "last copy" in str(caught.value)
    only.refresh_from_db()
    assert only.status == "pulled"
    assert actions.withdraw_item(item=only, actor=librarian, confirm_last_copy=True).status == "withdrawn"


def test_an_item_not_pulled_for_weeding_cannot_be_withdrawn(make_item, librarian):
    repair = make_item("R1", status="pulled", pulled_reason="repair")
    with pytest.raises(ItemNotPulledForWeeding, match="Repair"):
        actions.withdraw_item(item=repair, actor=librarian, confirm_last_copy=True)


def test_technician_cannot_withdraw(weeded, technician, senior_technician):
    for actor in (technician, senior_technician):
        with pytest.raises(PermissionDenied):
            actions.withdraw_items(items=weeded, actor=actor)


def test_selling_one_item_defaults_to_the_offer_price_and_a_batch_makes_one_event(for_sale, senior_technician, branch):
    sale = actions.sell_item(item=for_sale[0], payment_method="cash", actor=senior_technician)
    assert sale.price == Decimal("5000.00")
    for_sale[0].refresh_from_db()
    assert for_sale[0].status == "sold" and for_sale[0].sale == sale


def test_a_book_sale_batch_sells_every_scanned_item_at_its_offer_price(for_sale, senior_technician, branch):
    event = actions.create_sale_event(
        name="Bazar buku", branch=branch, held_on=datetime.date(2025, 5, 3), actor=senior_technician
    )
    sold = actions.sell_items(items=for_sale, event=event, payment_method="qris", actor=senior_technician)
    totals = ledger(sales())
    assert [s.price for s in sold] == [Decimal("5000.00"), Decimal("7500.50")]
    assert totals["count"] == 2 and totals["revenue"] == Decimal("12500.50")
    assert totals["by_event"][0]["event__name"] == "Bazar buku"
    assert len(totals["by_month"]) == 1


def test_selling_an_item_not_for_sale_and_a_negative_price_are_refused(for_sale, weeded, make_item, senior_technician):
    with pytest.raises(ItemNotForSale):
        actions.sell_item(item=make_item("SHELF"), payment_method="cash", actor=senior_technician)
    with pytest.raises(InvalidPrice):
        actions.sell_item(item=for_sale[0], payment_method="cash", price="-1", actor=senior_technician)
    with pytest.raises(InvalidPrice):
        actions.offer_for_sale(item=for_sale[0], price="-5", actor=senior_technician)
    for_sale[0].refresh_from_db()
    assert for_sale[0].status == "for_sale"


def test_a_batch_with_one_item_not_for_sale_sells_nothing(for_sale, make_item, senior_technician, branch):
    event = actions.create_sale_event(name="Bazar", branch=branch, actor=senior_technician)
    with pytest.raises(ItemNotForSale):
        actions.sell_items(
            items=[*for_sale, make_item("SHELF")], event=event, payment_method="cash", actor=senior_technician
        )
    assert not sales().exists()


def test_technician_cannot_sell_and_discarding_needs_withdraw_permission(
    for_sale, technician, senior_technician, librarian
):
    with pytest.raises(PermissionDenied):
        actions.sell_item(item=for_sale[0], payment_method="cash", actor=technician)
    with pytest.raises(PermissionDenied):
        actions.discard_item(item=for_sale[0], actor=senior_technician)
    assert actions.discard_item(item=for_sale[0], actor=librarian).status == "discarded"


# --- Pages ---------------------------------------------------------------------------------------


def test_withdrawal_page_warns_about_the_last_copy_then_withdraws_when_confirmed(client, librarian, make_item):
    make_item("ONLY", status="pulled", pulled_reason="weed")
    client.force_login(librarian)
    response = client.post("/staff/technical/withdrawals/", {"barcode": ["ONLY"]})
    page = response.content.decode()
    assert 'id="last-copy-warning"' in page and "confirm_last_copy" in page
    response = client.post(
        "/staff/technical/withdrawals/", {"barcode": ["ONLY"], "confirm_last_copy": "on"}, follow=True
    )
    assert "1 item withdrawn" in response.content.decode()


def test_selling_through_the_pages_and_the_ledger_shows_the_totals(client, for_sale, senior_technician, branch):
    client.force_login(senior_technician)
    client.post("/staff/technical/sale/events/", {"name": "Bazar", "branch": branch.pk, "held_on": "2025-05-03"})
    event_id = SaleEvent.objects.get().pk
    response = client.post(
        "/staff/technical/sale/sell/", {"barcodes": "W1 W2", "payment_method": "cash", "event": event_id}, follow=True
    )
    assert "2 items sold" in response.content.decode()
    page = client.get("/staff/technical/sale/ledger/").content.decode()
    assert "W1" in page and "Bazar" in page and "12,500.50" in page
    response = client.post("/staff/technical/sale/sell/", {"barcodes": "KEEP", "payment_method": "cash"}, follow=True)
    assert "not for sale" in response.content.decode()


def test_technician_cannot_open_the_withdrawal_page_and_patrons_cannot_see_the_ledger(client, technician, patron_user):
    client.force_login(technician)
    assert client.get("/staff/technical/withdrawals/").status_code == 403
    client.force_login(patron_user)
    assert client.get("/staff/technical/sale/ledger/").status_code == 403


def test_the_ledger_page_does_not_grow_queries_with_sales(client, for_sale, librarian, django_assert_max_num_queries):
    actions.sell_item(item=for_sale[0], payment_method="cash", actor=librarian)
    actions.sell_item(item=for_sale[1], payment_method="card", actor=librarian)
    client.force_login(librarian)
    with django_assert_max_num_queries(12):
        assert client.get("/staff/technical/sale/ledger/?date_from=2000-01-01").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/staff/technical/sale/").status_code == 200


# --- API -----------------------------------------------------------------------------------------


def test_the_api_withdraws_offers_sells_a_batch_and_reports_the_ledger(weeded, librarian):
    api = ApiClient.as_user(librarian)
    assert api.get("/withdrawals").json()["count"] == 2
    assert [i["status"] for i in api.post("/withdrawals", {"barcodes": ["W1", "W2"]}).json()] == ["withdrawn"] * 2
    assert api.post("/sales/offers", {"barcode": "W1", "price": "5000"}).status_code == 201
    assert api.post("/sales/offers", {"barcode": "W2", "price": "-1"}).json()["code"] == "invalid_price"
    assert api.post("/sales/offers", {"barcode": "W2", "price": "2500"}).status_code == 201
    event = api.post("/sales/events", {"name": "Bazar", "branch": "MAIN", "held_on": "2025-05-03"}).json()
    sold = api.post("/sales", {"barcodes": ["W1", "W2"], "payment_method": "cash", "event_id": event["id"]})
    assert sold.status_code == 201, sold.content
    assert [s["price"] for s in sold.json()] == ["5000.00", "2500.00"]
    totals = api.get("/sales/ledger").json()
    assert totals["count"] == 2 and Decimal(totals["revenue"]) == Decimal("7500")
    assert totals["by_event"][0]["event"] == "Bazar"
    again = api.post("/sales", {"barcodes": ["W1"], "payment_method": "cash"})
    assert again.status_code == 409 and again.json()["code"] == "item_not_for_sale"


def test_the_api_answers_the_last_copy_warning_with_the_barcodes(make_item, librarian, technician):
    make_item("ONLY", status="pulled", pulled_reason="weed")
    api = ApiClient.as_user(librarian)
    response = api.post("/withdrawals", {"barcodes": ["ONLY"]})
    assert response.status_code == 409 and response.json()["code"] == "last_copy"
    assert response.json()["barcodes"] == ["ONLY"]
    assert (
        ApiClient.as_user(technician)
        .post("/withdrawals", {"barcodes": ["ONLY"], "confirm_last_copy": True})
        .status_code
        == 403
    )
    assert api.post("/withdrawals", {"barcodes": ["ONLY"], "confirm_last_copy": True}).status_code == 200


def test_listing_sales_through_the_api_takes_a_fixed_number_of_queries(
    for_sale, librarian, django_assert_max_num_queries
):
    for item in for_sale:
        actions.sell_item(item=item, payment_method="cash", actor=librarian)
    api = ApiClient.as_user(librarian)
    with django_assert_max_num_queries(8):
        assert api.get("/sales").json()["count"] == 2

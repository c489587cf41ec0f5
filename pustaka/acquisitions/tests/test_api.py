"""The acquisitions API: order, send, receive, cancel, claim, funds with figures, suggestions; refusals
by role; bad money; lists that do not grow in queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pustaka.acquisitions import actions
from pustaka.acquisitions.models import Order, Vendor
from pustaka.holdings.models import Item

pytestmark = pytest.mark.django_db
API = "/api/v1/acquisitions"


def post(client, path, data):
    return client.post(f"{API}{path}", data, content_type="application/json")


def test_a_whole_order_through_the_api(client, librarian, technician, vendor, fund, record, branch, item_type):
    client.force_login(librarian)
    order = post(client, "/orders", {"vendor_id": vendor.pk, "expected_by": "2030-01-31"}).json()
    line = post(client, f"/orders/{order['id']}/lines", {
        "record_id": record.pk, "copies": 2, "branch": branch.code, "item_type": item_type.code,
        "price": "85.000", "fund_id": fund.pk,
    })  # fmt: skip
    assert line.status_code == 201 and line.json()["price"] in ("85000.00", 85000.0, "85000")
    assert post(client, f"/orders/{order['id']}/send", {}).json()["status"] == "sent"
    funds = client.get(f"{API}/funds").json()["items"]
    assert [(f["code"], float(f["encumbered"]), float(f["available"])) for f in funds] == [("BOOKS", 170000, 830000)]
    client.force_login(technician)
    received = post(
        client, f"/orders/{order['id']}/receive", {"barcodes": {str(line.json()["id"]): ["A0001"]}, "counts": {}}
    )
    assert received.status_code == 200
    assert received.json()["barcodes"] == ["A0001"] and received.json()["order"]["status"] == "partly_received"
    assert Item.objects.get().status == "in_processing"
    again = post(client, f"/orders/{order['id']}/receive", {"counts": {str(line.json()["id"]): 5}})
    assert again.status_code == 400 and again.json()["code"] == "too_many_copies"


def test_refusals_by_role_and_bad_input(client, technician, librarian, circulation, vendor, sent, line, fund):
    client.force_login(technician)
    assert post(client, "/orders", {"vendor_id": vendor.pk}).status_code == 403
    client.force_login(librarian)
    assert post(client, "/funds", {"code": "X", "name": "X", "year": 2026, "budget": "1"}).status_code == 403
    bad = post(client, f"/orders/{sent.pk}/claim", {})
    assert bad.status_code == 409 and bad.json()["code"] == "order_not_late"
    assert post(client, "/orders/999999/send", {}).status_code == 404
    client.force_login(circulation)
    assert post(client, f"/orders/{sent.pk}/receive", {"counts": {str(line.pk): 1}}).status_code == 403
    assert not Item.objects.exists()


def test_the_administrator_opens_a_fund_with_an_indonesian_amount(client, administrator):
    client.force_login(administrator)
    response = post(client, "/funds", {"code": "ref", "name": "Referensi", "year": 2026, "budget": "7.500.000"})
    assert response.status_code == 201 and float(response.json()["budget"]) == 7500000
    cents = post(client, "/funds", {"code": "X3", "name": "X", "year": 2026, "budget": "5.000,50"})
    assert cents.status_code == 201 and float(cents.json()["budget"]) == 5000.5
    bad = post(client, "/funds", {"code": "X2", "name": "X", "year": 2026, "budget": "7.50.0"})
    assert bad.status_code == 400 and "budget" in bad.content.decode()


def test_cancelling_through_the_api_releases_the_money(client, librarian, sent, fund):
    client.force_login(librarian)
    assert post(client, f"/orders/{sent.pk}/cancel", {"reason": "Stok habis"}).json()["status"] == "cancelled"
    assert float(client.get(f"{API}/funds").json()["items"][0]["available"]) == 1000000


def test_patron_suggestions_and_the_review(client, patron, librarian, draft, fund, branch, item_type):
    client.force_login(patron.user)
    made = post(client, "/my-suggestions", {"title": "Laut Bercerita", "author": "Leila S. Chudori"})
    assert made.status_code == 201
    client.force_login(librarian)
    assert post(client, "/my-suggestions", {"title": "x"}).status_code == 403
    accepted = post(client, f"/suggestions/{made.json()['id']}/accept", {
        "order_id": draft.pk, "fund_id": fund.pk, "price": "90.000", "branch": branch.code, "item_type": item_type.code,
    })  # fmt: skip
    assert accepted.status_code == 200 and accepted.json()["order_number"] == draft.number
    client.force_login(patron.user)
    mine = client.get(f"{API}/my-suggestions").json()["items"]
    assert [(s["title"], s["status"]) for s in mine] == [("Laut Bercerita", "accepted")]


def test_api_lists_do_not_grow_in_queries(
    client, librarian, vendor, fund, patron, record, branch, item_type, django_assert_max_num_queries
):
    """Orders, one order's lines, vendors, funds, suggestions (staff and the patron's own) and invoices
    answer in as many queries with five rows as with one."""
    paths = ["/orders", "/vendors", "/funds", "/suggestions", "/invoices", "/orders?late=true"]
    counts = {}
    for index, n in enumerate((1, 5)):
        order = actions.create_order(actor=librarian, vendor=vendor)
        for _ in range(n):
            other = Vendor.objects.create(name=f"V{Vendor.objects.count()}")
            actions.create_order(actor=librarian, vendor=other)
            actions.suggest_purchase(actor=patron.user, title=f"T{Order.objects.count()}")
            actions.add_order_line(
                actor=librarian, order=order, record=record, copies=1, branch=branch, item_type=item_type, price=1,
                fund=fund,
            )  # fmt: skip
            actions.record_invoice(
                actor=librarian, vendor=other, number="F-1", date=datetime.date(2026, 1, 5), amount="1.000"
            )
        calls = [(librarian, path) for path in [*paths, f"/orders/{order.pk}"]] + [(patron.user, "/my-suggestions")]
        for number, (user, path) in enumerate(calls):
            client.force_login(user)
            if index == 0:
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(f"{API}{path}").status_code == 200
                counts[number] = len(queries)
            else:
                with django_assert_max_num_queries(counts[number]):
                    assert client.get(f"{API}{path}").status_code == 200

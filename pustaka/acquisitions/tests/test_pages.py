"""Acquisitions pages: orders, keyboard-first receiving, funds, vendors, invoices, suggestions, PDFs,
with the refusals of each role and lists that do not grow in queries."""

import datetime
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pustaka.acquisitions import actions
from pustaka.acquisitions.models import Delivery, Order, Vendor
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_librarian_writes_and_sends_an_order_on_the_pages(
    client, librarian, vendor, fund, record, branch, item_type
):
    client.force_login(librarian)
    response = client.post("/staff/acquisitions/orders/new/", {"vendor": vendor.pk, "expected_by": "", "note": ""})
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/acquisitions/orders/{order.pk}/"
    line = {
        "title": record.isbn,
        "copies": "2",
        "branch": branch.pk,
        "item_type": item_type.pk,
        "price": "85.000",
        "fund": fund.pk,
    }
    assert client.post(f"/staff/acquisitions/orders/{order.pk}/lines/", line).status_code == 302
    bad = client.post(f"/staff/acquisitions/orders/{order.pk}/lines/", {**line, "price": "5.00.0", "title": "0000"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "is not an amount" in text and "No record in the catalogue" in text
    assert order.lines.count() == 1
    client.post(f"/staff/acquisitions/orders/{order.pk}/send/", {})
    order.refresh_from_db()
    assert order.status == "sent"
    page = client.get(f"/staff/acquisitions/orders/{order.pk}/").content.decode()
    assert "Rp 170,000" in page and "Receive a delivery" in page


def test_receiving_by_scanning_then_one_batch(client, technician, sent, line):
    client.force_login(technician)
    url = f"/staff/acquisitions/orders/{sent.pk}/receive/"
    page = client.get(url).content.decode()
    assert 'name="barcode"' in page and "autofocus" in page
    assert client.post(url, {"do": "scan", "barcode": "A0001", "line": line.pk}).status_code == 302
    again = client.post(url, {"do": "scan", "barcode": "a0001", "line": line.pk})
    assert again.status_code == 400 and "already in use" in again.content.decode()
    assert not Item.objects.exists()  # scans are only listed until the delivery is received
    response = client.post(url, {"do": "receive", f"tick-{line.pk}": "1", "note": "SJ-123"})
    assert response.status_code == 302
    assert sorted(Item.objects.values_list("barcode", "status")) == [
        ("A0001", ItemStatus.IN_PROCESSING), ("B000001", ItemStatus.IN_PROCESSING),
    ]  # fmt: skip
    assert Delivery.objects.get().note == "SJ-123"
    refused = client.post(url, {"do": "receive", f"tick-{line.pk}": "5", "note": "SJ-124"})
    text = refused.content.decode()
    assert refused.status_code == 400 and "only 1 are still to come" in text
    assert 'value="5"' in text and 'value="SJ-124"' in text  # what was typed stays to be corrected
    assert Item.objects.count() == 2 and Delivery.objects.count() == 1


def test_the_order_and_claim_pdfs(client, librarian, sent, tmp_path):
    client.force_login(librarian)
    text = pdf_text(client.get(f"/staff/acquisitions/orders/{sent.pk}/order.pdf").content, tmp_path)
    assert "PURCHASE ORDER" in text and sent.number in text and "Pemrograman Python" in text and "Rp 255,000" in text
    Order.objects.filter(pk=sent.pk).update(expected_by=timezone.localdate() - datetime.timedelta(days=5))
    client.post(f"/staff/acquisitions/orders/{sent.pk}/claim/", {"note": ""})
    claim = pdf_text(client.get(f"/staff/acquisitions/orders/{sent.pk}/claims/1.pdf").content, tmp_path)
    assert "CLAIM FOR A LATE ORDER" in claim and f"{sent.number}/1" in claim


def test_the_order_pdf_in_indonesian(client, librarian, sent, tmp_path):
    client.force_login(librarian)
    body = client.get(f"/staff/acquisitions/orders/{sent.pk}/order.pdf", HTTP_ACCEPT_LANGUAGE="id").content
    assert "SURAT PESANAN" in pdf_text(body, tmp_path)


def test_sending_by_email_attaches_the_pdf(client, librarian, draft, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(librarian)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/acquisitions/orders/{draft.pk}/send/", {"email": "on"})
    assert mailoutbox[0].to == ["order@gramedia.example"]
    assert mailoutbox[0].attachments[0][2] == "application/pdf"
    draft.refresh_from_db()
    assert draft.emailed_to == "order@gramedia.example" and draft.email_problem == ""


@pytest.mark.parametrize(
    "who, path, expected",
    [
        ("technician", "/staff/acquisitions/orders/new/", 403),
        ("technician", "/staff/acquisitions/funds/new/", 403),
        ("librarian", "/staff/acquisitions/funds/new/", 403),
        ("administrator", "/staff/acquisitions/funds/new/", 200),
        ("circulation", "/staff/acquisitions/", 403),
        ("technician", "/staff/acquisitions/", 200),
    ],
)
def test_who_may_open_what(client, make_staff, who, path, expected):
    client.force_login(make_staff(who))
    assert client.get(path).status_code == expected


def test_the_receiving_page_refuses_circulation_staff(client, circulation, sent):
    client.force_login(circulation)
    assert client.get(f"/staff/acquisitions/orders/{sent.pk}/receive/").status_code == 403


def test_the_administrator_sets_a_budget_typed_the_indonesian_way(client, administrator, fund):
    client.force_login(administrator)
    data = {"code": "BOOKS", "name": "Buku", "year": fund.year, "budget": "2.500.000,50", "is_active": "on"}
    assert client.post(f"/staff/acquisitions/funds/{fund.pk}/", data).status_code == 302
    fund.refresh_from_db()
    assert str(fund.budget) == "2500000.50"
    assert "Rp 2,500,000.50" in client.get("/staff/acquisitions/funds/").content.decode()


def test_lists_do_not_grow_in_queries(
    client, librarian, technician, vendor, fund, record, branch, item_type, patron, django_assert_max_num_queries
):
    """Every list page answers in as many queries with four rows as with one: orders, late orders, one
    order's lines and deliveries, its receiving list, vendors, funds, invoices, suggestions (staff and
    the patron's own)."""
    past = timezone.localdate() - datetime.timedelta(days=3)

    def make(n):
        """n more of everything, and an order of n lines (sent, late, each line partly received)."""
        order = actions.create_order(actor=librarian, vendor=vendor, expected_by=past)
        for _ in range(n):
            actions.add_order_line(
                actor=librarian, order=order, record=record, copies=2, branch=branch, item_type=item_type, price=1,
                fund=fund,
            )  # fmt: skip
            other = Vendor.objects.create(name=f"Vendor {Vendor.objects.count()}")
            actions.create_order(actor=librarian, vendor=other)
            actions.suggest_purchase(actor=patron.user, title=f"Judul {Order.objects.count()}")
            actions.record_invoice(
                actor=librarian, vendor=other, number=f"F-{Order.objects.count()}", date=past, amount="1.000"
            )
        actions.send_order(actor=librarian, order=order)
        actions.receive_delivery(actor=technician, order=order, counts={line.pk: 1 for line in order.lines.all()})
        actions.claim_order(actor=librarian, order=order)
        return order

    def paths(order):
        staff = ["/", "/orders/late/", "/vendors/", "/funds/", "/suggestions/", "/suggestions/?status=all",
                 "/invoices/", f"/orders/{order.pk}/", f"/orders/{order.pk}/receive/"]  # fmt: skip
        return [(librarian, f"/staff/acquisitions{path}") for path in staff] + [(patron.user, "/account/suggestions/")]

    counts = {}
    for index, n in enumerate((1, 4)):
        order = make(n)
        for number, (user, path) in enumerate(paths(order)):
            client.force_login(user)
            if index == 0:
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(path).status_code == 200
                counts[number] = len(queries)
            else:
                with django_assert_max_num_queries(counts[number]):
                    assert client.get(path).status_code == 200


def test_the_review_page_chooses_the_only_draft_order_and_the_only_open_fund(client, librarian, patron, draft, fund):
    actions.suggest_purchase(actor=patron.user, title="Laut Bercerita")
    client.force_login(librarian)
    page = client.get("/staff/acquisitions/suggestions/").content.decode()
    assert f'<option value="{draft.pk}" selected>{draft.number}</option>' in page
    assert f'<option value="{fund.pk}" selected>' in page

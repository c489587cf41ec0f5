"""Bindery pages: who may use them, a shipment from draft to partly and fully returned through the
pages, the packing slip, overdue shipments, the item page's binding note, vendors, query counts."""

import datetime

import pytest
from django.utils import timezone

from pustaka.holdings.choices import ItemStatus, PullReason
from pustaka.technical import actions
from pustaka.technical.choices import ShipmentStatus
from pustaka.technical.models import BinderyShipment, BinderyVendor

BASE = "/staff/technical/bindery/"


@pytest.fixture
def vendor(db):
    return BinderyVendor.objects.create(name="Jilid Jaya", contact="Jl. Merdeka 1, Bandung")


@pytest.fixture
def shipment(vendor, branch, senior_technician):
    return actions.create_shipment(vendor=vendor, branch=branch, actor=senior_technician)


@pytest.fixture
def to_bind(make_item):
    return [make_item(f"B20000{n}", status=ItemStatus.PULLED, pulled_reason=PullReason.BIND) for n in (1, 2)]


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


PAGES = [
    (BASE, "technician", "circulation"),
    (BASE + "new/", "senior_technician", "technician"),
    (BASE + "vendors/", "technician", "circulation"),
    (BASE + "{shipment}/", "technician", "circulation"),
    (BASE + "{shipment}/slip/", "technician", "circulation"),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PAGES)
def test_each_bindery_page_admits_its_roles_and_refuses_the_others(client, make_staff, shipment, url, allowed, refused):
    url = url.format(shipment=shipment.pk)
    client.force_login(make_staff(allowed, f"{allowed}-page"))
    assert client.get(url).status_code == 200
    client.force_login(make_staff(refused))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [BASE, BASE + "new/", BASE + "vendors/", BASE + "{shipment}/slip/"])
def test_anonymous_visitors_go_to_login_and_patrons_are_refused(client, patron_user, shipment, url):
    url = url.format(shipment=shipment.pk)
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(patron_user)
    assert client.get(url).status_code == 403


def test_technician_cannot_create_a_shipment_on_the_page(client, technician, vendor, branch):
    client.force_login(technician)
    response = client.post(BASE + "new/", {"vendor": vendor.pk, "branch": branch.pk})
    assert response.status_code == 403
    assert not BinderyShipment.objects.exists()


def test_a_shipment_from_draft_to_returned_through_the_pages(
    client, senior_technician, technician, vendor, branch, to_bind, item
):
    client.force_login(senior_technician)
    created = client.post(BASE + "new/", {"vendor": vendor.pk, "branch": branch.pk, "instructions": "Handle gently"})
    shipment = BinderyShipment.objects.get()
    assert created["Location"] == f"{BASE}{shipment.pk}/"

    client.force_login(technician)
    page = client.get(created["Location"])
    assert b"Scan an item pulled for binding" in page.content and b"autofocus" in page.content
    empty = client.post(f"{BASE}{shipment.pk}/send/", {}, follow=True)
    assert "has no items" in _messages(empty)

    refused = client.post(f"{BASE}{shipment.pk}/add/", {"barcode": "B000001"}, follow=True)
    assert "B000001 is “Available”; only items pulled for binding" in _messages(refused)
    unknown = client.post(f"{BASE}{shipment.pk}/add/", {"barcode": "NOPE"}, follow=True)
    assert "No item has the barcode “NOPE”." in _messages(unknown)
    for barcode in ("B200001", "B200002"):
        added = client.post(f"{BASE}{shipment.pk}/add/", {"barcode": barcode, "instructions": "Buckram, green"})
        assert added.status_code == 302
    line = shipment.lines.get(item=to_bind[1])
    client.post(f"{BASE}{shipment.pk}/lines/{line.pk}/instructions/", {"instructions": "Keep cover"})
    line.refresh_from_db()
    assert line.instructions == "Keep cover"

    expected = timezone.localdate() + datetime.timedelta(days=21)
    sent = client.post(f"{BASE}{shipment.pk}/send/", {"expected_on": expected.isoformat()}, follow=True)
    assert "sent" in _messages(sent)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.SENT
    assert b"Scan an item back from the bindery" in sent.content

    slip = client.get(f"{BASE}{shipment.pk}/slip/")
    for text in (b"Jilid Jaya", b"B200001", b"Pemrograman Python", b"005.133 SUT p", b"Keep cover", b"signature"):
        assert text in slip.content
    assert f"shipment #{shipment.pk}".encode() in slip.content

    stranger = client.post(f"{BASE}{shipment.pk}/receive/", {"barcode": "B000001"}, follow=True)
    assert f"Item B000001 is not in shipment #{shipment.pk}." in _messages(stranger)
    client.post(f"{BASE}{shipment.pk}/receive/", {"barcode": "B200001", "binding_note": "Green buckram"})
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.PARTLY_RETURNED
    partly = client.get(f"{BASE}{shipment.pk}/")
    assert b"1 of 2 back" in partly.content and b"Partly returned" in partly.content

    client.post(f"{BASE}{shipment.pk}/receive/", {"barcode": "B200002"})
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.RETURNED
    for thing in to_bind:
        thing.refresh_from_db()
        assert thing.status == ItemStatus.READY_FOR_SHELVING

    item_page = client.get("/staff/holdings/items/B200001/")
    assert b"rebound on" in item_page.content and b"by Jilid Jaya: Green buckram" in item_page.content


def test_overdue_shipments_are_flagged_on_the_bindery_page(client, technician, shipment, to_bind, vendor, branch):
    actions.add_to_shipment(shipment=shipment, item=to_bind[0], actor=technician)
    long_ago = timezone.localdate() - datetime.timedelta(days=60)
    actions.send_shipment(
        shipment=shipment, sent_on=long_ago, expected_on=long_ago + datetime.timedelta(days=30), actor=technician
    )
    on_time = actions.create_shipment(
        vendor=vendor,
        branch=branch,
        expected_on=timezone.localdate() + datetime.timedelta(days=5),
        actor=None,
    )
    actions.add_to_shipment(shipment=on_time, item=to_bind[1], actor=technician)
    actions.send_shipment(shipment=on_time, actor=technician)
    client.force_login(technician)

    page = client.get(BASE)

    assert b"1 shipment is overdue" in page.content
    assert page.content.count(b'<tr class="overdue">') == 1
    only = client.get(BASE + "?overdue=on")
    assert f"#{shipment.pk}<".encode() in only.content and f"#{on_time.pk}<".encode() not in only.content


def test_vendors_are_listed_and_added_by_senior_technicians_only(client, senior_technician, technician, vendor):
    client.force_login(technician)
    assert client.post(BASE + "vendors/new/", {"name": "Buku Kuat"}).status_code == 403
    client.force_login(senior_technician)
    taken = client.post(BASE + "vendors/new/", {"name": "jilid jaya"})
    assert taken.status_code == 400 and "already exists" in taken.content.decode()

    client.post(BASE + "vendors/new/", {"name": "Buku Kuat", "contact": "0812"})

    page = client.get(BASE + "vendors/")
    assert b"Buku Kuat" in page.content and b"Jilid Jaya" in page.content


def test_the_bindery_list_and_a_shipment_do_not_query_per_row(
    client, technician, vendor, branch, make_item, django_assert_max_num_queries
):
    for s in range(6):
        shipment = actions.create_shipment(vendor=vendor, branch=branch, actor=None)
        for n in range(3):
            it = make_item(f"B5{s}{n}", status=ItemStatus.PULLED, pulled_reason=PullReason.BIND)
            actions.add_to_shipment(shipment=shipment, item=it, actor=technician)
    client.force_login(technician)

    with django_assert_max_num_queries(12):
        listing = client.get(BASE)
    with django_assert_max_num_queries(14):
        detail = client.get(f"{BASE}{shipment.pk}/")
    with django_assert_max_num_queries(10):
        client.get(f"{BASE}{shipment.pk}/slip/")

    assert listing.content.count(b"Jilid Jaya") == 6
    assert detail.content.count(b"B55") >= 3


def test_the_bindery_pages_render_in_indonesian(client, technician, shipment, to_bind):
    actions.add_to_shipment(shipment=shipment, item=to_bind[0], actor=technician)
    actions.send_shipment(shipment=shipment, actor=technician)
    actions.receive_from_bindery(shipment=shipment, item=to_bind[0], binding_note="Hijau", actor=technician)
    client.force_login(technician)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    for url in (BASE, BASE + "vendors/", f"{BASE}{shipment.pk}/", f"{BASE}{shipment.pk}/slip/"):
        assert client.get(url).status_code == 200
    assert b"Hijau" in client.get("/staff/holdings/items/B200001/").content
    # The firm that binds is the "Penjilid" (the bindery's name below it), not "Penjilidan" (the work).
    home = client.get(BASE).content.decode()
    assert '<th scope="col">Penjilid</th>' in home and 'data-label="Penjilid">Jilid Jaya</td>' in home


def test_receiving_records_the_condition_so_a_rebound_book_is_no_longer_damaged(client, technician, shipment, to_bind):
    from pustaka.holdings.actions import change_condition
    from pustaka.holdings.choices import Condition
    from pustaka.technical import actions

    for item in to_bind[:2]:
        change_condition(item=item, condition=Condition.DAMAGED, actor=technician, note="Punggung lepas")
        actions.add_to_shipment(shipment=shipment, item=item, actor=technician)
    actions.send_shipment(shipment=shipment, actor=technician)
    client.force_login(technician)

    page = client.get(f"{BASE}{shipment.pk}/").content.decode()
    assert 'name="condition"' in page and '<option value="good" selected>' in page
    client.post(f"{BASE}{shipment.pk}/receive/", {"barcode": "B200001", "condition": "good"})
    client.post(f"{BASE}{shipment.pk}/receive/", {"barcode": "B200002", "condition": "fair"})

    to_bind[0].refresh_from_db()
    to_bind[1].refresh_from_db()
    assert (to_bind[0].condition, to_bind[1].condition) == (Condition.GOOD, Condition.FAIR)
    assert to_bind[0].condition_history.order_by("-id").first().from_condition == Condition.DAMAGED

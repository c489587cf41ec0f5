"""Pull lists end to end: create, add in shelf order, scan, not found, close; refusals; pages; API."""

import pytest

from pustaka.core.errors import PermissionDenied
from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.errors import ItemNotFound
from pustaka.technical import actions
from pustaka.technical.errors.pulling import (
    ItemAlreadyPulled,
    ItemNotOnPullList,
    ItemNotOnShelf,
    ItemOnAnotherPullList,
    PullListClosed,
)
from pustaka.technical.models import PullListEntry
from pustaka.technical.queries.pulling import pull_list_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(make_item):
    """Four items whose call numbers sort differently as text and on the shelf."""
    return [
        make_item("B4", call_number="005.14 ABC a"),
        make_item("B1", call_number="005.133 SUT p"),
        make_item("B3", call_number="10 XYZ x"),
        make_item("B2", call_number="9 ABC a"),
    ]


@pytest.fixture
def pull_list(librarian, branch, shelf):
    pull_list = actions.create_pull_list(name="Rusak", reason="repair", branch=branch, actor=librarian)
    actions.add_to_pull_list(pull_list=pull_list, barcodes=["B4", "B1", "B3", "B2"], actor=librarian)
    return pull_list


def test_a_pull_list_is_shown_in_shelf_order_not_text_order(pull_list):
    assert [e.item.barcode for e in pull_list_entries(pull_list)] == ["B1", "B4", "B2", "B3"]


def test_technician_scans_an_item_and_it_is_pulled_for_the_lists_reason(pull_list, technician, shelf):
    entry = actions.scan_pulled_item(pull_list=pull_list, barcode=" B1 ", actor=technician)

    assert entry.state == "pulled" and entry.handled_by == technician
    item = shelf[1]
    item.refresh_from_db()
    assert item.status == "pulled" and item.pulled_reason == "repair"


def test_scanning_refuses_unknown_barcodes_items_not_on_the_list_and_items_already_pulled(
    pull_list, technician, make_item
):
    make_item("OTHER")
    with pytest.raises(ItemNotFound):
        actions.scan_pulled_item(pull_list=pull_list, barcode="NOPE", actor=technician)
    with pytest.raises(ItemNotOnPullList):
        actions.scan_pulled_item(pull_list=pull_list, barcode="OTHER", actor=technician)
    actions.scan_pulled_item(pull_list=pull_list, barcode="B2", actor=technician)
    with pytest.raises(ItemAlreadyPulled):
        actions.scan_pulled_item(pull_list=pull_list, barcode="B2", actor=technician)


def test_closing_a_list_flags_every_item_still_waiting_as_not_found(pull_list, technician):
    actions.scan_pulled_item(pull_list=pull_list, barcode="B1", actor=technician)
    actions.close_pull_list(pull_list=pull_list, actor=technician)

    states = dict(pull_list.entries.values_list("item__barcode", "state"))
    assert states == {"B1": "pulled", "B2": "not_found", "B3": "not_found", "B4": "not_found"}
    with pytest.raises(PullListClosed):
        actions.scan_pulled_item(pull_list=pull_list, barcode="B2", actor=technician)


def test_an_item_that_is_not_available_is_refused_with_its_status(librarian, branch, make_item):
    make_item("LOANED", status="on_loan")
    pull_list = actions.create_pull_list(name="Jilid", reason="bind", branch=branch, actor=librarian)
    with pytest.raises(ItemNotOnShelf, match="On loan"):
        actions.add_to_pull_list(pull_list=pull_list, barcodes=["LOANED"], actor=librarian)


def test_an_item_on_another_open_list_is_refused_and_nothing_is_added(pull_list, librarian, branch, make_item):
    make_item("FREE")
    second = actions.create_pull_list(name="Siangi", reason="weed", branch=branch, actor=librarian)
    with pytest.raises(ItemOnAnotherPullList, match="Rusak"):
        actions.add_to_pull_list(pull_list=second, barcodes=["FREE", "B1"], actor=librarian)
    assert not second.entries.exists()


def test_circulation_cannot_create_pull_lists_and_technician_cannot_add_to_them(
    circulation, technician, branch, pull_list
):
    with pytest.raises(PermissionDenied):
        actions.create_pull_list(name="x", reason="weed", branch=branch, actor=circulation)
    with pytest.raises(PermissionDenied):
        actions.add_to_pull_list(pull_list=pull_list, barcodes=["B1"], actor=technician)
    with pytest.raises(PermissionDenied):
        actions.scan_pulled_item(pull_list=pull_list, barcode="B1", actor=circulation)
    with pytest.raises(PermissionDenied):
        actions.close_pull_list(pull_list=pull_list, actor=circulation)


# --- Pages ---------------------------------------------------------------------------------------


def test_technician_works_a_list_through_the_pages(client, technician, pull_list):
    client.force_login(technician)
    url = f"/staff/technical/pull-lists/{pull_list.pk}/"

    page = client.get(url).content.decode()
    assert "autofocus" in page and [page.index(f'id="entry-{b}"') for b in ("B1", "B4", "B2", "B3")] == sorted(
        page.index(f'id="entry-{b}"') for b in ("B1", "B4", "B2", "B3")
    )

    response = client.post(url + "scan/", {"barcode": "B1"}, follow=True)
    assert "Pulled B1" in response.content.decode()
    response = client.post(url + "scan/", {"barcode": "NOPE"}, follow=True)
    assert "No item has the barcode “NOPE”." in response.content.decode()

    entry = PullListEntry.objects.get(pull_list=pull_list, item__barcode="B2")
    client.post(url + f"entries/{entry.pk}/not-found/", {})
    client.post(url + "close/", {})
    entry.refresh_from_db()
    assert entry.state == "not_found"
    pull_list.refresh_from_db()
    assert pull_list.status == "closed"
    assert client.get(url + "print/").status_code == 200


def test_librarian_creates_a_list_and_adds_items_through_the_pages(client, librarian, branch, shelf):
    client.force_login(librarian)
    response = client.post(
        "/staff/technical/pull-lists/", {"name": "Siangi 2025", "reason": "weed", "branch": branch.pk}, follow=True
    )
    assert response.status_code == 200
    pull_list = response.context["pull_list"]
    response = client.post(f"/staff/technical/pull-lists/{pull_list.pk}/add/", {"barcodes": "B1\nB2"}, follow=True)
    assert "2 items added" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "patron_user", "it_manager"])
def test_pull_list_pages_are_refused_to_people_without_the_permission(client, who, request, pull_list):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(f"/staff/technical/pull-lists/{pull_list.pk}/")
    assert response.status_code == (302 if who == "anonymous" else 403)


def test_circulation_cannot_create_a_pull_list_from_the_page(client, circulation, branch):
    client.force_login(circulation)
    response = client.post("/staff/technical/pull-lists/", {"name": "x", "reason": "weed", "branch": branch.pk})
    assert response.status_code == 200
    assert "You do not have permission" in response.content.decode()


def test_the_pull_list_pages_do_not_grow_queries_with_entries(
    client, librarian, branch, make_item, django_assert_max_num_queries
):
    pull_list = actions.create_pull_list(name="Besar", reason="weed", branch=branch, actor=librarian)
    actions.add_to_pull_list(
        pull_list=pull_list, barcodes=[make_item(f"X{n:03}").barcode for n in range(30)], actor=librarian
    )
    client.force_login(librarian)
    with django_assert_max_num_queries(12):
        assert client.get(f"/staff/technical/pull-lists/{pull_list.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/staff/technical/pull-lists/").status_code == 200


# --- API -----------------------------------------------------------------------------------------


def test_the_api_creates_adds_scans_and_closes_a_list(librarian, technician, shelf):
    api = ApiClient.as_user(librarian)
    created = api.post("/pull-lists", {"name": "Jilid", "reason": "bind", "branch": "MAIN"})
    assert created.status_code == 201, created.content
    list_id = created.json()["id"]
    added = api.post(f"/pull-lists/{list_id}/items", {"barcodes": ["B3", "B2", "B1"]})
    assert [e["barcode"] for e in added.json()["entries"]] == ["B1", "B2", "B3"]

    tech = ApiClient.as_user(technician)
    scanned = tech.post(f"/pull-lists/{list_id}/scan", {"barcode": "B2"})
    assert scanned.status_code == 200 and scanned.json()["state"] == "pulled"
    assert tech.post(f"/pull-lists/{list_id}/scan", {"barcode": "B2"}).json()["code"] == "item_already_pulled"
    assert tech.post(f"/pull-lists/{list_id}/items", {"barcodes": ["B4"]}).status_code == 403

    closed = tech.post(f"/pull-lists/{list_id}/close")
    assert [e["state"] for e in closed.json()["entries"]] == ["not_found", "pulled", "not_found"]
    listing = tech.get("/pull-lists", {"status": "closed"}).json()
    assert listing["count"] == 1 and listing["items"][0]["not_found_count"] == 2


def test_the_api_refuses_an_item_not_on_the_shelf_with_a_code(librarian, make_item):
    make_item("GONE", status="on_loan")
    api = ApiClient.as_user(librarian)
    list_id = api.post("/pull-lists", {"name": "x", "reason": "weed", "branch": "MAIN"}).json()["id"]
    response = api.post(f"/pull-lists/{list_id}/items", {"barcodes": ["GONE"]})
    assert response.status_code == 409 and response.json()["code"] == "item_not_on_shelf"
    assert ApiClient.as_user(librarian).get("/pull-lists/999999").json()["code"] == "pull_list_not_found"


def test_circulation_cannot_create_a_pull_list_through_the_api_and_patrons_cannot_read(circulation, patron_user):
    response = ApiClient.as_user(circulation).post("/pull-lists", {"name": "x", "reason": "weed", "branch": "MAIN"})
    assert response.status_code == 403
    assert ApiClient.as_user(patron_user).get("/pull-lists").status_code == 403
    assert ApiClient().get("/pull-lists").status_code == 401


def test_listing_pull_lists_through_the_api_takes_a_fixed_number_of_queries(
    librarian, branch, make_item, django_assert_max_num_queries
):
    for n in range(10):
        pull_list = actions.create_pull_list(name=f"L{n}", reason="weed", branch=branch, actor=librarian)
        actions.add_to_pull_list(pull_list=pull_list, barcodes=[make_item(f"Y{n}").barcode], actor=librarian)
    api = ApiClient.as_user(librarian)
    with django_assert_max_num_queries(8):
        assert api.get("/pull-lists").json()["count"] == 10
    with django_assert_max_num_queries(8):
        assert len(api.get(f"/pull-lists/{pull_list.pk}").json()["entries"]) == 1

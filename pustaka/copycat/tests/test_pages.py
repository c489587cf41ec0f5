"""The copy cataloguing pages: the scan box on the new-record page, the search with each catalogue's results
beside the local records they may duplicate, the import with copies, the list of catalogues and its
form, the copied records (fixed numbers of queries); who may not open them."""

import pytest

from pustaka.catalog import actions as catalog_actions
from pustaka.catalog.models import Record
from pustaka.copycat.models import CopiedRecord, Target
from pustaka.holdings.models import Item

from .conftest import LOOM, MONK

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_new_record_page_offers_the_isbn_scan_to_a_librarian_only(logged_in, librarian, it_manager):
    page = logged_in(librarian).get("/staff/catalog/new/").content.decode()
    assert "Copy a record from another catalogue: scan the ISBN" in page and 'action="/staff/copycat/"' in page
    page = logged_in(it_manager).get("/staff/catalog/new/").content.decode()
    assert "Copy a record from another catalogue" not in page


def test_an_isbn_scan_shows_both_catalogues_beside_the_local_duplicate(
    logged_in, librarian, sru_target, z3950_target, closed_port
):
    Target.objects.create(name="Closed door", protocol="z3950", host="127.0.0.1", port=closed_port, priority=9)
    local = catalog_actions.create_record(actor=librarian, title="The loom of destiny", isbn=LOOM[0])
    response = logged_in(librarian).get("/staff/copycat/", {"isbn": LOOM[1]})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Remote Pustaka") < page.index("Local Zebra") < page.index("Closed door cannot be reached")
    assert page.count("The loom of destiny</h3>") == 2
    assert page.count(f'href="/staff/catalog/{local.pk}/"') == 2  # the local duplicate beside each result
    assert page.count("This may already be catalogued") == 2 and "Copy anyway" in page
    assert 'src="https://covers.example.org/0836932722.jpg"' in page


def test_a_search_by_title_and_author_and_an_empty_search(logged_in, librarian, z3950_target):
    client = logged_in(librarian)
    page = client.get("/staff/copycat/", {"title": "monk", "author": "Smith"}).content.decode()
    assert "The monk and the dancer" in page and "No local record with this ISBN or title." in page
    page = client.get("/staff/copycat/", {"isbn": "", "title": ""}).content.decode()
    assert "Give an ISBN, a title or an author, or keywords to search for." in page
    page = client.get("/staff/copycat/", {"isbn": "9780836932723"}).content.decode()
    assert "is not a valid ISBN" in page


def test_copying_a_result_from_the_page_creates_the_record_and_its_copies(
    logged_in, librarian, z3950_target, branch, item_type, location
):
    client = logged_in(librarian)
    page = client.get("/staff/copycat/", {"isbn": MONK[1]}).content.decode()
    token = page.split('name="result" value="')[1].split('"')[0]
    response = client.post(
        "/staff/copycat/import/",
        {
            "result": token,
            "copies": "2",
            "barcodes": "K-1\nK-2\n",
            "branch": branch.pk,
            "location": location.pk,
            "item_type": item_type.pk,
            "status": "in_processing",
        },
    )
    record = Record.objects.get(title="The monk and the dancer")
    assert response.status_code == 302 and response["Location"] == f"/staff/catalog/{record.pk}/"
    assert sorted(record.items.values_list("barcode", flat=True)) == ["K-1", "K-2"]
    assert set(record.items.values_list("location", flat=True)) == {location.pk}
    shown = client.get(response["Location"]).content.decode()
    assert "copied from Local Zebra with 2 copies" in shown


def test_a_refused_copy_says_why_and_writes_nothing(logged_in, librarian, branch, item_type, make_item):
    from .test_import import file_records

    make_item("TAKEN-1")
    before = Record.objects.count()
    response = logged_in(librarian).post(
        "/staff/copycat/import/",
        {
            "result": file_records()[0].token,
            "copies": "1",
            "barcodes": "TAKEN-1",
            "branch": branch.pk,
            "item_type": item_type.pk,
            "status": "in_processing",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The record was not copied" in page and "TAKEN-1" in page
    assert Record.objects.count() == before and Item.objects.count() == 1
    forged = logged_in(librarian).post(
        "/staff/copycat/import/",
        {"result": "forged", "copies": "0", "branch": branch.pk, "item_type": item_type.pk, "status": "available"},
    )
    assert forged.status_code == 400 and "search again" in forged.content.decode()


def test_the_list_of_catalogues_in_a_fixed_number_of_queries_and_its_form(
    logged_in, librarian, django_assert_max_num_queries
):
    client = logged_in(librarian)
    for n in range(20):
        Target.objects.create(name=f"Catalogue {n:02d}", protocol="sru", base_url=f"http://c{n}.example.org/sru")
    with django_assert_max_num_queries(10):
        page = client.get("/staff/copycat/catalogues/").content.decode()
    assert "Catalogue 19" in page and "http://c0.example.org/sru" in page
    fields = {
        "name": "Perpusnas",
        "protocol": "z3950",
        "host": "opac.perpusnas.go.id",
        "port": "210",
        "database": "",
        "record_syntax": "usmarc",
        "schema": "marcxml",
        "timeout": "10",
        "priority": "5",
        "note": "",
    }
    assert client.post("/staff/copycat/catalogues/new/", fields).status_code == 302
    target = Target.objects.get(name="Perpusnas")
    assert target.enabled is False  # an unticked box: not searched
    bad = client.post(f"/staff/copycat/catalogues/{target.pk}/", {**fields, "host": ""})
    assert bad.status_code == 400 and "needs its host name" in bad.content.decode()
    assert client.post(f"/staff/copycat/catalogues/{target.pk}/", {**fields, "enabled": "on"}).status_code == 302
    target.refresh_from_db()
    assert target.enabled and target.host == "opac.perpusnas.go.id"
    assert client.post(f"/staff/copycat/catalogues/{target.pk}/delete/").status_code == 302
    assert not Target.objects.filter(name="Perpusnas").exists()


def test_the_copied_records_in_a_fixed_number_of_queries(logged_in, librarian, django_assert_max_num_queries):
    for n in range(25):
        record = catalog_actions.create_record(actor=librarian, title=f"Copied title {n:02d}")
        CopiedRecord.objects.create(record=record, target_name="LoC", remote_id=f"{n:08d}", imported_by=librarian)
    client = logged_in(librarian)
    with django_assert_max_num_queries(10):
        page = client.get("/staff/copycat/copied/").content.decode()
    assert "Copied title 24" in page and "Copied title 00" in page and "librarian-user" in page


PAGES = [
    ("get", "/staff/copycat/"),
    ("get", "/staff/copycat/?isbn=9780836932720"),
    ("post", "/staff/copycat/import/"),
    ("get", "/staff/copycat/copied/"),
    ("get", "/staff/copycat/catalogues/"),
    ("get", "/staff/copycat/catalogues/new/"),
    ("post", "/staff/copycat/catalogues/new/"),
    ("get", "/staff/copycat/catalogues/{pk}/"),
    ("post", "/staff/copycat/catalogues/{pk}/delete/"),
]


@pytest.fixture
def loc(db):
    return Target.objects.create(name="LoC", protocol="sru", base_url="http://lx2.loc.gov:210/LCDB")


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_anonymous_visitors_go_to_the_login_page(client, loc, method, url):
    response = getattr(client, method)(url.format(pk=loc.pk))
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("who", ["patron_user", "technician", "circulation"])
@pytest.mark.parametrize(("method", "url"), PAGES)
def test_patrons_and_other_roles_are_refused_and_nothing_changes(request, logged_in, loc, who, method, url):
    client = logged_in(request.getfixturevalue(who))
    response = getattr(client, method)(url.format(pk=loc.pk), {"name": "Changed"} if method == "post" else None)
    assert response.status_code == 403
    assert Target.objects.get().name == "LoC" and not Record.objects.exists()

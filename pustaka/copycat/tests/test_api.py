"""The copy cataloguing API: search (every catalogue's answer or its error, duplicates beside each record),
import with copies (201; 400 naming the field; nothing written), the list of catalogues (a fixed number
of queries) and its changes; refusals for anonymous callers, patrons and roles without the permission."""

import pytest

from pustaka.catalog import actions as catalog_actions
from pustaka.catalog.models import Record
from pustaka.copycat.models import CopiedRecord, Target
from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.models import Item

from .conftest import COVER, LOOM, MONK

pytestmark = pytest.mark.django_db


def test_a_librarian_searches_every_catalogue_and_sees_a_down_one_by_name(
    librarian, sru_target, z3950_target, closed_port
):
    Target.objects.create(name="Down", protocol="sru", base_url=f"http://127.0.0.1:{closed_port}/sru", priority=0)
    local = catalog_actions.create_record(actor=librarian, title="Loom, an old copy", isbn=LOOM[1])
    response = ApiClient.as_user(librarian).get("/copycat/search", {"isbn": LOOM[0]})
    assert response.status_code == 200, response.content
    down, remote, zebra = response.json()["targets"]
    assert down["target"] == "Down" and down["error"]["code"] == "copycat_target_unreachable"
    assert down["error"]["message"].startswith("Down cannot be reached") and down["records"] == []
    for answer, protocol in ((remote, "sru"), (zebra, "z3950")):
        assert answer["protocol"] == protocol and answer["error"] is None and answer["hits"] == 1
        (found,) = answer["records"]
        assert found["title"] == "The loom of destiny" and found["cover_url"] == COVER and found["token"]
        assert found["duplicates"] == [{"id": local.pk, "title": "Loom, an old copy", "isbn": LOOM[1], "year": None}]


def test_one_catalogue_by_name_and_a_title_search(librarian, sru_target, z3950_target):
    response = ApiClient.as_user(librarian).get(
        "/copycat/search", {"target": "local zebra", "title": "monk and the dancer"}
    )
    (answer,) = response.json()["targets"]
    assert answer["target"] == "Local Zebra" and [r["isbn"] for r in answer["records"]] == [MONK[1]]


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "isbn"), ({"isbn": "12345"}, "isbn"), ({"isbn": LOOM[1], "target": "Nowhere"}, "target")],
)
def test_a_bad_search_is_400_or_404_naming_the_field(librarian, db, params, field):
    Target.objects.create(name="Never asked", protocol="sru", base_url="http://127.0.0.1:9/sru")
    response = ApiClient.as_user(librarian).get("/copycat/search", params)
    assert response.status_code in (400, 404), response.content
    assert response.json()["field"] == field


def test_importing_a_result_with_copies(librarian, z3950_target, branch, item_type):
    client = ApiClient.as_user(librarian)
    (answer,) = client.get("/copycat/search", {"isbn": MONK[1], "target": z3950_target.pk}).json()["targets"]
    token = answer["records"][0]["token"]
    response = client.post(
        "/copycat/import",
        {
            "token": token,
            "copies": 2,
            "barcodes": ["M-1"],
            "branch": "MAIN",
            "item_type": "BOOK",
            "status": "available",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "The monk and the dancer" and body["copied_from"] == "Local Zebra"
    assert body["barcodes"] == ["M-1", "B000001"]
    assert Item.objects.filter(record_id=body["record_id"], status="available", branch=branch).count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"token": "forged"}, "result"),
        ({"branch": "NOPE"}, "branch"),
        ({"item_type": "NOPE"}, "item_type"),
        ({"copies": 99}, "copies"),
        ({"status": "on_loan"}, "status"),
        ({"barcodes": ["bad barcode!"]}, "barcode"),
        ({"shelf": "A1"}, "shelf"),
    ],
)
def test_a_bad_import_is_400_naming_the_field_and_writes_nothing(librarian, branch, item_type, change, field):
    from .test_import import file_records

    payload = {"token": file_records()[0].token, "copies": 1, "branch": "MAIN", "item_type": "BOOK", **change}
    response = ApiClient.as_user(librarian).post("/copycat/import", payload)
    assert response.status_code in (400, 404, 422), response.content
    body = response.json()
    assert field in (body.get("field"), *[e.get("field") for e in body.get("errors", [])]), body
    assert not Record.objects.exists() and not Item.objects.exists() and not CopiedRecord.objects.exists()


def test_the_catalogues_are_listed_in_a_fixed_number_of_queries_and_changed(
    librarian, db, django_assert_max_num_queries
):
    client = ApiClient.as_user(librarian)
    for n in range(15):
        Target.objects.create(name=f"Catalogue {n:02d}", protocol="sru", base_url=f"http://c{n}.example.org/sru")
    with django_assert_max_num_queries(6):
        listed = client.get("/copycat/targets")
    assert listed.status_code == 200 and len(listed.json()) == 15
    made = client.post(
        "/copycat/targets", {"name": "Perpusnas", "protocol": "z3950", "host": "opac.perpusnas.go.id", "port": 210}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["address"] == "opac.perpusnas.go.id:210" and body["record_schema"] == "marcxml"
    changed = client.patch(f"/copycat/targets/{body['id']}", {"enabled": False, "timeout": 20})
    assert changed.status_code == 200 and changed.json()["enabled"] is False and changed.json()["timeout"] == 20
    bad = client.patch(f"/copycat/targets/{body['id']}", {"port": 0})
    assert bad.status_code == 400 and bad.json()["field"] == "port"
    assert client.delete(f"/copycat/targets/{body['id']}").status_code == 204
    assert client.delete(f"/copycat/targets/{body['id']}").status_code == 404
    assert not Target.objects.filter(name="Perpusnas").exists()


def test_anonymous_callers_are_401(db):
    client = ApiClient()
    assert client.get("/copycat/search", {"isbn": LOOM[1]}).status_code == 401
    assert client.post("/copycat/import", {"token": "x"}).status_code == 401
    assert client.get("/copycat/targets").status_code == 401
    assert client.post("/copycat/targets", {"name": "X"}).status_code == 401


@pytest.mark.parametrize("who", ["patron_user", "technician", "circulation"])
def test_patrons_and_other_roles_are_403_and_nothing_changes(request, db, branch, item_type, who):
    from .test_import import file_records

    user = request.getfixturevalue(who)
    target = Target.objects.create(name="LoC", protocol="sru", base_url="http://lx2.loc.gov:210/LCDB")
    client = ApiClient.as_user(user)
    assert client.get("/copycat/search", {"isbn": LOOM[1]}).status_code == 403
    token = file_records()[0].token
    imported = client.post("/copycat/import", {"token": token, "copies": 1, "branch": "MAIN", "item_type": "BOOK"})
    assert imported.status_code == 403
    assert client.post("/copycat/targets", {"name": "X", "base_url": "http://x.org/sru"}).status_code == 403
    assert client.patch(f"/copycat/targets/{target.pk}", {"enabled": False}).status_code == 403
    assert client.delete(f"/copycat/targets/{target.pk}").status_code == 403
    assert not Record.objects.exists() and Target.objects.get().enabled

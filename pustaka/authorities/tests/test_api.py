"""The authorities API: lists (paginated, a fixed number of queries), one authority, create (409 on a
duplicate, 400 on bad input), edit, linked records, link and unlink, merge; refusals by role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pustaka.authorities import actions
from pustaka.authorities.models import Authority, AuthorityLink
from pustaka.core.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def test_a_librarian_creates_an_authority_and_it_links_the_records(librarian, novels):
    client = ApiClient.as_user(librarian)
    response = client.post(
        "/authorities",
        {
            "kind": "topical",
            "heading": "Fiksi Indonesia",
            "see_from": ["Novel Indonesia"],
            "see_also": [{"relation": "broader", "heading": "Kesusastraan Indonesia"}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["see_from"] == ["Novel Indonesia"] and body["see_also"] == [
        {"relation": "broader", "heading": "Kesusastraan Indonesia", "authority_id": None}
    ]
    records = client.get(f"/authorities/{body['id']}/records").json()
    assert records["count"] == 3
    assert {row["title"] for row in records["items"]} == {"Bumi manusia", "Anak semua bangsa", "Laskar pelangi"}
    duplicate = client.post("/authorities", {"kind": "topical", "heading": "FIKSI INDONESIA"})
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate_authority"


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "geographic", "heading": "Jawa"},
        {"kind": "topical", "heading": ""},
        {"kind": "topical", "heading": "..."},
        {"kind": "topical", "heading": "Gizi", "colour": "red"},
        {"kind": "topical", "heading": "Gizi", "see_also": [{"relation": "sibling", "heading": "Kesehatan"}]},
    ],
)
def test_bad_input_is_400_and_writes_nothing(librarian, db, payload):
    response = ApiClient.as_user(librarian).post("/authorities", payload)
    assert response.status_code == 400, response.content
    assert response.json()["message"]
    assert not Authority.objects.exists()


def test_editing_merging_linking_and_unlinking(librarian, novels):
    client = ApiClient.as_user(librarian)
    winner = actions.create_authority(actor=librarian, kind="personal", heading="Toer, Pramoedya Ananta")
    loser = actions.create_authority(actor=librarian, kind="personal", heading="Pramoedya Ananta Toer")
    edited = client._send(
        "put",
        f"/authorities/{winner.pk}",
        {"kind": "personal", "heading": "Toer, Pramoedya Ananta", "dates": "1925-2006"},
    )
    assert edited.status_code == 200 and edited.json()["dates"] == "1925-2006"
    merged = client.post(f"/authorities/{winner.pk}/merge", {"other_id": loser.pk})
    assert merged.status_code == 200, merged.content
    assert merged.json()["see_from"] == ["Pramoedya Ananta Toer"]
    assert client.get(f"/authorities/{loser.pk}").status_code == 404
    assert AuthorityLink.objects.filter(authority=winner).count() == 2
    link = AuthorityLink.objects.get(record=novels["anak"])
    assert client.delete(f"/authorities/{winner.pk}/records/{link.pk}").status_code == 204
    again = client.post(f"/authorities/{winner.pk}/records", {"record_id": novels["anak"].pk})
    assert again.status_code == 201 and again.json()["heading"] == "Pramoedya Ananta Toer"
    missing = client.post(f"/authorities/{winner.pk}/records", {"record_id": 999999})
    assert missing.status_code == 404 and missing.json()["code"] == "record_not_found"
    assert client.post(f"/authorities/{winner.pk}/merge", {"other_id": winner.pk}).status_code == 400


@pytest.mark.parametrize("role", ["technician", "circulation", "senior_technician"])
def test_other_staff_read_but_may_not_write(request, librarian, novels, role):
    authority = actions.create_authority(actor=librarian, kind="topical", heading="Fiksi Indonesia")
    other = actions.create_authority(actor=librarian, kind="topical", heading="Novel Indonesia")
    client = ApiClient.as_user(request.getfixturevalue(role))
    assert client.get("/authorities").status_code == 200
    assert client.get(f"/authorities/{authority.pk}").status_code == 200
    assert client.post("/authorities", {"kind": "topical", "heading": "Gizi"}).status_code == 403
    assert client.post(f"/authorities/{authority.pk}/merge", {"other_id": other.pk}).status_code == 403
    link = authority.links.first()
    assert client.delete(f"/authorities/{authority.pk}/records/{link.pk}").status_code == 403
    assert Authority.objects.count() == 2 and authority.links.count() == 2


def test_patrons_and_anonymous_are_refused(patron_user, db):
    assert ApiClient.as_user(patron_user).get("/authorities").status_code == 403
    assert ApiClient().get("/authorities").status_code == 401


def test_the_list_is_searchable_by_see_from_form_and_does_not_grow_in_queries(librarian, make_record):
    client = ApiClient.as_user(librarian)

    def list_queries(params=None) -> int:
        client.get("/authorities", params)
        with CaptureQueriesContext(connection) as seen:
            assert client.get("/authorities", params).status_code == 200
        return len(seen)

    actions.create_authority(actor=librarian, kind="topical", heading="Gizi", variants=["Nutrisi"])
    few = list_queries()
    for n in range(15):
        actions.create_authority(actor=librarian, kind="topical", heading=f"Tajuk {n}", variants=[f"Varian {n}"])
    assert list_queries() == few
    body = client.get("/authorities", {"q": "nutrisi"}).json()
    assert [row["heading"] for row in body["items"]] == ["Gizi"] and body["count"] == 1
    assert client.get("/authorities", {"page_size": 5}).json()["pages"] == 4

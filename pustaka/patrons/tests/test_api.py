"""The patrons API: staff only, per-role permissions, branch scope, field errors, blocks, query counts."""

import pytest

from pustaka.core.tests.api_client import ApiClient
from pustaka.patrons.models import Patron, PatronBlock

NEW = {
    "card_number": "A0100",
    "first_name": "Rudi",
    "last_name": "Hartono",
    "category": "PUBLIC",
    "home_branch": "MAIN",
}


def test_without_a_token_the_api_answers_401(db, client):
    assert client.get("/api/v1/patrons").status_code == 401


def test_a_patrons_token_gets_403_everywhere(patron, patron_user):
    api = ApiClient.as_user(patron_user)
    assert api.get("/patrons").status_code == 403
    assert api.get(f"/patrons/{patron.pk}").status_code == 403
    assert api.get(f"/patrons/{patron.pk}/blocks").status_code == 403
    assert api.post("/patrons", NEW).status_code == 403
    assert api.patch(f"/patrons/{patron.pk}", {"phone": "1"}).status_code == 403


def test_desk_staff_list_and_search_patrons_of_their_branch(circulation, make_patron, other_branch):
    make_patron("A0001", first_name="Rudi", last_name="Hartono")
    make_patron("A0002", first_name="Sari", last_name="Dewi")
    make_patron("N0001", last_name="Hartono Utara", home_branch=other_branch)
    api = ApiClient.as_user(circulation)
    body = api.get("/patrons", {"q": "hartono"}).json()
    assert [p["card_number"] for p in body["items"]] == ["A0001"]
    assert body["items"][0]["category"] == "PUBLIC" and body["items"][0]["home_branch"] == "MAIN"
    assert "pin" not in body["items"][0] and body["items"][0]["has_pin"] is False
    assert api.get("/patrons").json()["count"] == 2


def test_the_list_takes_a_fixed_number_of_queries(circulation, make_patron, guardian, django_assert_max_num_queries):
    for n in range(40):
        make_patron(f"Q{n:04d}", guardian=guardian if n % 2 else None)
    api = ApiClient.as_user(circulation)
    with django_assert_max_num_queries(8):
        body = api.get("/patrons", {"page_size": 100}).json()
    assert body["count"] == 41 and {p["guardian"] for p in body["items"]} == {None, "G0001"}


def test_a_patron_of_another_branch_is_not_found(north_circulation, patron):
    api = ApiClient.as_user(north_circulation)
    response = api.get(f"/patrons/{patron.pk}")
    assert response.status_code == 404 and response.json()["code"] == "patron_not_found"
    assert api.get("/patrons/0").status_code == 404
    too_big = api.get(f"/patrons/{2**70}")  # too big for an id: no such patron, not a server error
    assert too_big.status_code == 404 and too_big.json()["code"] == "patron_not_found"


def test_create_and_update_a_patron(circulation, patron_category, branch):
    api = ApiClient.as_user(circulation)
    response = api.post("/patrons", {**NEW, "pin": "1234", "email": "rudi@example.org"})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["card_number"] == "A0100" and created["has_pin"] is True
    response = api.patch(f"/patrons/{created['id']}", {"phone": "0812", "pin": "4321"})
    assert response.status_code == 200 and response.json()["phone"] == "0812"
    patron = Patron.objects.get(pk=created["id"])
    assert patron.check_pin("4321") and patron.email == "rudi@example.org"


@pytest.mark.parametrize(
    "change, field, status",
    [
        ({"email": "rudi@"}, "email", 400),
        ({"category": "NOPE"}, "category", 400),
        ({"home_branch": "NOPE"}, "home_branch", 400),
        ({"date_of_birth": "1/2/2003"}, "date_of_birth", 400),
        ({"card_number": "P0001"}, "card_number", 409),
        ({"colour": "red"}, "colour", 400),
        ({"keep_history": "perhaps"}, "keep_history", 400),
        ({"pin": "12"}, "pin", 400),
    ],
)
def test_a_bad_field_is_a_4xx_naming_it(circulation, patron, change, field, status):
    response = ApiClient.as_user(circulation).post("/patrons", {**NEW, **change})
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert Patron.objects.count() == 1


def test_a_child_without_a_guardian_is_refused_by_the_api(circulation, child_category):
    response = ApiClient.as_user(circulation).post("/patrons", {**NEW, "category": "CHILD"})
    assert response.status_code == 400 and response.json()["code"] == "guardian_required"


@pytest.mark.parametrize("role", ["it_manager"])
def test_a_role_that_may_only_view_cannot_write(make_staff, role, patron):
    api = ApiClient.as_user(make_staff(role))
    assert api.get(f"/patrons/{patron.pk}").status_code == 200
    assert api.post("/patrons", NEW).status_code == 403
    assert api.patch(f"/patrons/{patron.pk}", {"phone": "1"}).status_code == 403
    assert api.post(f"/patrons/{patron.pk}/blocks", {"reason": "x"}).status_code == 403


def test_blocks_endpoint_lists_reasons_and_librarians_block_and_lift(librarian, circulation, patron):
    api = ApiClient.as_user(librarian)
    assert api.get(f"/patrons/{patron.pk}/blocks").json() == {
        "patron": patron.pk,
        "card_number": "P0001",
        "blocked": False,
        "blocks": [],
    }
    assert ApiClient.as_user(circulation).post(f"/patrons/{patron.pk}/blocks", {"reason": "x"}).status_code == 403
    response = api.post(f"/patrons/{patron.pk}/blocks", {"reason": "Kartu hilang"})
    assert response.status_code == 201
    assert response.json()["blocks"] == [{"reason": "manual", "label": "Blocked by staff", "detail": "Kartu hilang"}]
    assert api.post(f"/patrons/{patron.pk}/blocks", {"reason": ""}).json()["field"] == "reason"
    response = api.post(f"/patrons/{patron.pk}/blocks/lift", {"reason": "Ditemukan"})
    assert response.status_code == 200 and response.json()["blocked"] is False
    assert api.post(f"/patrons/{patron.pk}/blocks/lift", {"reason": "again"}).status_code == 409
    assert PatronBlock.objects.get().lift_note == "Ditemukan"

"""The API base (auth, errors, pagination, OpenAPI) and the core endpoints: /me, branches, locations."""

import json

import pytest
from django.test import Client

from pustaka.core.actions import issue_api_token, revoke_api_token
from pustaka.core.models import ApiToken, AuditEvent, Branch, Location
from pustaka.core.tests.api_client import API, ApiClient


def _written(verb: str) -> bool:
    return AuditEvent.objects.filter(verb=verb).exists()


# --- Who may call the API -------------------------------------------------------------------------


def test_a_bearer_token_from_issue_api_token_identifies_the_user(librarian):
    token = issue_api_token(user=librarian, actor=librarian)

    response = ApiClient(token).get("/me")

    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "librarian-user"
    assert me["roles"] == ["librarian"]
    assert me["is_staff_member"] is True
    assert me["home_branch"] == {"code": "MAIN", "name": "Perpustakaan Pusat"}
    assert "catalog.catalogue" in me["permissions"]
    assert "core.manage_branches" not in me["permissions"]


def test_using_a_token_notes_when_it_was_last_used(librarian):
    api = ApiClient.as_user(librarian)
    assert api.get("/me").status_code == 200
    assert ApiToken.objects.get(user=librarian).last_used_at is not None


def test_a_wrong_token_is_refused_with_401(librarian):
    issue_api_token(user=librarian, actor=None)

    response = ApiClient("pst_not-a-real-token").get("/me")

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_a_revoked_token_is_refused_with_401(librarian):
    token = issue_api_token(user=librarian, actor=None)
    revoke_api_token(token=ApiToken.objects.get(user=librarian), actor=librarian)

    response = ApiClient(token).get("/me")

    assert response.status_code == 401


def test_the_token_of_a_deactivated_user_stops_working(librarian):
    token = issue_api_token(user=librarian, actor=None)
    librarian.is_active = False
    librarian.save()

    assert ApiClient(token).get("/me").status_code == 401


def test_a_wrong_token_is_refused_even_with_a_logged_in_session(client, librarian):
    client.force_login(librarian)
    response = client.get(f"{API}/me", headers={"Authorization": "Bearer pst_wrong"})
    assert response.status_code == 401


def test_a_caller_without_token_or_session_gets_401_with_a_code(db):
    for path in ("/me", "/branches", "/records", "/items", "/item-statuses"):
        response = ApiClient().get(path)
        assert response.status_code == 401, path
        assert response.json() == {"code": "not_authenticated", "message": "Log in or send an API token."}


def test_anonymous_writes_are_refused_and_nothing_is_written(db):
    response = ApiClient().post("/branches", {"code": "EAST", "name": "Timur"})
    assert response.status_code == 401
    assert not Branch.objects.filter(code="EAST").exists()


def test_a_patron_may_ask_who_they_are_but_gets_403_on_staff_endpoints(patron_user, branch):
    api = ApiClient.as_user(patron_user)

    me = api.get("/me").json()
    assert me["is_staff_member"] is False
    assert me["roles"] == []
    for path in ("/branches", "/branches/MAIN", "/records", "/items", "/item-types", "/item-statuses"):
        response = api.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "permission_denied"
    assert api.post("/branches", {"code": "EAST", "name": "Timur"}).status_code == 403
    assert not Branch.objects.filter(code="EAST").exists()


def test_a_staff_session_can_read_the_api(client, librarian, branch):
    client.force_login(librarian)

    response = client.get(f"{API}/branches")

    assert response.status_code == 200
    assert response.json()["items"][0]["code"] == "MAIN"


def test_a_session_write_without_the_csrf_token_is_refused_and_nothing_is_written(administrator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(administrator)

    response = browser.post(
        f"{API}/branches", json.dumps({"code": "EAST", "name": "Timur"}), content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Branch.objects.filter(code="EAST").exists()


def test_a_session_write_with_the_csrf_token_is_accepted(administrator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(administrator)
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret

    response = browser.post(
        f"{API}/branches",
        json.dumps({"code": "EAST", "name": "Timur"}),
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )

    assert response.status_code == 201
    assert Branch.objects.filter(code="EAST").exists()


def test_a_token_write_needs_no_csrf_token(administrator):
    token = issue_api_token(user=administrator, actor=None)
    api = ApiClient(token, client=Client(enforce_csrf_checks=True))

    assert api.post("/branches", {"code": "EAST", "name": "Timur"}).status_code == 201


# --- Errors ----------------------------------------------------------------------------------------


def test_error_messages_follow_accept_language_english(librarian):
    api = ApiClient.as_user(librarian, language="en")

    response = api.get("/branches/NOWHERE")

    assert response.status_code == 404
    assert response.json() == {"code": "branch_not_found", "message": "No branch has the code “NOWHERE”."}


def test_a_body_that_is_not_json_is_a_400_not_a_500(administrator):
    response = ApiClient.as_user(administrator).post("/branches", "{not json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert list(Branch.objects.values_list("code", flat=True)) == ["MAIN"]


def test_an_unknown_field_is_refused_naming_it_and_nothing_is_written(administrator):
    response = ApiClient.as_user(administrator).post("/branches", {"code": "EAST", "name": "Timur", "colour": "red"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["field"] == "colour"
    assert body["message"] == "The field “colour” is not valid."
    assert not Branch.objects.filter(code="EAST").exists()


def test_a_missing_field_is_named(administrator):
    response = ApiClient.as_user(administrator).post("/branches", {"code": "EAST"})
    assert response.status_code == 400
    assert response.json()["field"] == "name"


def test_the_openapi_document_lists_the_paths(db):
    response = Client().get(f"{API}/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/me",
        "/api/v1/branches",
        "/api/v1/branches/{code}/locations",
        "/api/v1/records",
        "/api/v1/records/{record_id}",
        "/api/v1/records/{record_id}/marc",
        "/api/v1/items",
        "/api/v1/items/{barcode}/status",
        "/api/v1/item-statuses",
    ):
        assert path in paths, path
    assert "404" in paths["/api/v1/records/{record_id}"]["get"]["responses"]
    assert "ErrorOut" in response.json()["components"]["schemas"]


# --- Pagination ------------------------------------------------------------------------------------


def test_lists_are_paginated_with_a_count_and_page_numbers(librarian, branch):
    for code in ("B1", "B2", "B3", "B4"):
        Branch.objects.create(code=code, name=f"Cabang {code}")
    api = ApiClient.as_user(librarian)

    first = api.get("/branches", {"page_size": 2}).json()
    last = api.get("/branches", {"page_size": 2, "page": 3}).json()

    assert first["count"] == 5 and first["pages"] == 3 and first["page"] == 1 and first["page_size"] == 2
    assert [b["code"] for b in first["items"]] == ["B1", "B2"]
    assert [b["code"] for b in last["items"]] == ["MAIN"]


@pytest.mark.parametrize("params, field", [({"page_size": 101}, "page_size"), ({"page": 0}, "page")])
def test_a_page_size_above_the_maximum_or_a_page_below_one_is_refused(librarian, params, field):
    response = ApiClient.as_user(librarian).get("/branches", params)
    assert response.status_code == 400
    assert response.json()["field"] == field


# --- Branches and locations ------------------------------------------------------------------------


def test_it_manager_opens_a_branch(it_manager):
    response = ApiClient.as_user(it_manager).post(
        "/branches", {"code": "south", "name": "Cabang Selatan", "opening_hours": {"0": [["08:00", "16:00"]]}}
    )

    assert response.status_code == 201
    assert response.json()["code"] == "SOUTH"
    assert response.json()["opening_hours"] == {"0": [["08:00", "16:00"]]}
    event = AuditEvent.objects.get(verb="core.branch.create")
    assert event.actor == it_manager


def test_librarian_cannot_open_a_branch(librarian):
    response = ApiClient.as_user(librarian).post("/branches", {"code": "EAST", "name": "Timur"})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Branch.objects.filter(code="EAST").exists()
    assert not _written("core.branch.create")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"code": "no spaces!", "name": "Timur"}, "code"),
        ({"code": "EAST", "name": "  "}, "name"),
        ({"code": "EAST", "name": "Timur", "opening_hours": {"9": [["08:00", "16:00"]]}}, "opening_hours"),
        ({"code": "EAST", "name": "Timur", "email": "not-an-email"}, "email"),
        ({"code": "EAST", "name": "Timur", "phone": "1" * 51}, "phone"),
    ],
)
def test_a_bad_branch_field_is_refused_naming_it(administrator, data, field):
    response = ApiClient.as_user(administrator).post("/branches", data)

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Branch.objects.filter(code="EAST").exists()


def test_a_second_branch_with_the_same_code_is_a_conflict(administrator, branch):
    response = ApiClient.as_user(administrator).post("/branches", {"code": "main", "name": "Lagi"})
    assert response.status_code == 409
    assert response.json()["field"] == "code"


def test_patching_a_branch_changes_only_what_is_sent(it_manager, branch):
    response = ApiClient.as_user(it_manager).patch("/branches/main", {"phone": "0274-123456"})

    assert response.status_code == 200
    branch.refresh_from_db()
    assert branch.phone == "0274-123456"
    assert branch.name == "Perpustakaan Pusat"
    event = AuditEvent.objects.get(verb="core.branch.update")
    assert event.after == {"phone": "0274-123456"}


def test_a_branch_name_cannot_be_patched_to_null(it_manager, branch):
    response = ApiClient.as_user(it_manager).patch("/branches/MAIN", {"name": None})
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    branch.refresh_from_db()
    assert branch.name == "Perpustakaan Pusat"


def test_technician_cannot_change_a_branch(technician, branch):
    response = ApiClient.as_user(technician).patch("/branches/MAIN", {"name": "Diganti"})
    assert response.status_code == 403
    branch.refresh_from_db()
    assert branch.name == "Perpustakaan Pusat"


def test_an_unknown_branch_is_a_404_with_a_code(it_manager):
    api = ApiClient.as_user(it_manager)
    for response in (
        api.get("/branches/XX"),
        api.patch("/branches/XX", {"name": "a"}),
        api.get("/branches/XX/locations"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "branch_not_found"


def test_librarian_adds_a_location_and_staff_see_it(librarian, circulation, branch, location):
    response = ApiClient.as_user(librarian).post("/branches/MAIN/locations", {"code": "ref", "name": "Referensi"})

    assert response.status_code == 201
    assert response.json()["code"] == "REF"
    assert _written("core.location.create")
    listed = ApiClient.as_user(circulation).get("/branches/MAIN/locations").json()
    assert [loc["code"] for loc in listed] == ["REF", "STACKS"]


def test_technician_cannot_add_a_location(technician, branch):
    response = ApiClient.as_user(technician).post("/branches/MAIN/locations", {"code": "REF", "name": "Referensi"})
    assert response.status_code == 403
    assert not Location.objects.filter(code="REF").exists()


def test_the_api_docs_load_everything_from_this_server(client):
    """/api/v1/docs works without internet: Swagger UI's script and style come from our static files,
    and whitenoise serves them."""
    import re

    page = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert not [s for s in sources if s.startswith(("http://", "https://", "//"))], sources
    for source in sources:
        if source.startswith("/static/"):
            response = client.get(source)
            assert response.status_code == 200, source

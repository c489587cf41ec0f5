"""The clearance API: check a patron, issue (409 with every blocker), list, revoke; refusals by role."""

from pustaka.clearance import actions
from pustaka.clearance.models import ClearanceLetter
from pustaka.core.tests.api_client import ApiClient


def test_the_check_lists_every_blocker(circulation, patron, owing):
    body = ApiClient.as_user(circulation).get("/clearance/check", {"card": "P0001"}).json()
    assert body["cleared"] is False
    assert [b["kind"] for b in body["blockers"]] == ["loans", "charges", "holds"]
    assert body["blockers"][0]["details"] == ["B000001 · Pemrograman Python"]


def test_issuing_while_owing_is_409_with_the_blockers_and_writes_nothing(circulation, patron, owing):
    response = ApiClient.as_user(circulation).post("/clearance/letters", {"card": "P0001"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "clearance_blocked" and len(body["blockers"]) == 3
    assert not ClearanceLetter.objects.exists()


def test_staff_issue_list_and_revoke(circulation, librarian, patron):
    response = ApiClient.as_user(circulation).post(
        "/clearance/letters", {"card": "p0001", "purpose": "graduation", "purpose_note": "S1"}
    )
    assert response.status_code == 201, response.content
    letter = response.json()
    assert letter["number"].startswith("001/BP/") and letter["is_valid"] and letter["card_number"] == "P0001"
    listed = ApiClient.as_user(circulation).get("/clearance/letters").json()
    assert [row["number"] for row in listed["items"]] == [letter["number"]]
    assert (
        ApiClient.as_user(circulation).post(f"/clearance/letters/{letter['id']}/revoke", {"reason": "x"}).status_code
        == 403
    )
    revoked = ApiClient.as_user(librarian).post(f"/clearance/letters/{letter['id']}/revoke", {"reason": "Salah"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"


def test_blocking_loans_without_the_block_permission_is_refused(circulation, patron):
    response = ApiClient.as_user(circulation).post("/clearance/letters", {"card": "P0001", "blocks_loans": True})
    assert response.status_code == 403
    assert not ClearanceLetter.objects.exists()


def test_roles_without_the_permission_and_patrons_are_refused(technician, patron_user, patron, it_manager):
    for user in (patron_user, it_manager):
        assert ApiClient.as_user(user).post("/clearance/letters", {"card": "P0001"}).status_code == 403
    assert ApiClient.as_user(patron_user).get("/clearance/letters").status_code == 403
    assert not ClearanceLetter.objects.exists()


def test_the_list_does_not_grow_in_queries_with_the_letters(circulation, make_patron):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = ApiClient.as_user(circulation)

    def queries_for_the_list() -> int:
        client.get("/clearance/letters")  # the token's first use is remembered once
        with CaptureQueriesContext(connection) as seen:
            body = client.get("/clearance/letters").json()
        return len(seen.captured_queries), body["count"]

    actions.issue_clearance(actor=None, patron=make_patron("P2000"))
    one, count = queries_for_the_list()
    assert count == 1
    for n in range(1, 15):
        actions.issue_clearance(actor=None, patron=make_patron(f"P2{n:03d}"))
    many, count = queries_for_the_list()
    assert count == 15 and many == one

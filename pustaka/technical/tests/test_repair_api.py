"""The repairs API (/api/v1/repairs): a ticket from open to finished, typed refusals, who may call it,
pagination and query counts."""

import pytest

from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.choices import ItemStatus, PullReason
from pustaka.technical import actions
from pustaka.technical.models import RepairTicket


@pytest.fixture
def pulled(make_item):
    return make_item("B100001", status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR)


def test_technician_opens_works_on_and_finishes_a_repair(technician, pulled):
    api = ApiClient.as_user(technician)

    opened = api.post("/repairs", {"barcode": "B100001", "damage_type": "broken_spine", "notes": "Spine"})
    assert opened.status_code == 201, opened.content
    ticket = opened.json()
    assert ticket["status"] == "open" and ticket["item"]["status"] == "in_repair"
    assert ticket["opened_by"] == "technician-user" and ticket["damage_label"] == "Broken spine"

    worked = api.post(f"/repairs/{ticket['id']}/work", {"minutes": 30, "materials_cost": "2500.00"})
    assert worked.json()["minutes_spent"] == 30 and worked.json()["materials_cost"] == "2500.00"
    finished = api.post(f"/repairs/{ticket['id']}/finish", {"condition_after": "fair"})
    assert finished.status_code == 200
    body = finished.json()
    assert body["status"] == "done" and body["condition_after"] == "fair"
    assert body["item"]["status"] == "ready_for_shelving" and body["item"]["condition"] == "fair"
    assert api.get(f"/repairs/{ticket['id']}").json()["status"] == "done"


def test_refusals_are_typed(technician, pulled, item):
    api = ApiClient.as_user(technician)

    wrong_state = api.post("/repairs", {"barcode": "B000001", "damage_type": "water"})
    assert wrong_state.status_code == 409 and wrong_state.json()["code"] == "item_not_pulled_for_repair"
    unknown = api.post("/repairs", {"barcode": "NOPE", "damage_type": "water"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "item_not_found"
    bad_damage = api.post("/repairs", {"barcode": "B100001", "damage_type": "fire"})
    assert bad_damage.status_code == 400 and bad_damage.json()["field"] == "damage_type"
    ticket = api.post("/repairs", {"barcode": "B100001", "damage_type": "water"}).json()
    again = api.post("/repairs", {"barcode": "B100001", "damage_type": "water"})
    assert again.status_code == 409 and again.json()["code"] == "repair_already_open"
    negative = api.post(f"/repairs/{ticket['id']}/work", {"materials_cost": "-5"})
    assert negative.status_code == 400
    api.post(f"/repairs/{ticket['id']}/beyond-repair", {"notes": "hopeless"})
    closed = api.post(f"/repairs/{ticket['id']}/finish", {"condition_after": "good"})
    assert closed.status_code == 409 and closed.json()["code"] == "repair_ticket_closed"
    missing = api.get("/repairs/999999")
    assert missing.status_code == 404 and missing.json()["code"] == "repair_ticket_not_found"


def test_circulation_and_patrons_cannot_use_repairs(circulation, patron_user, pulled):
    refused = ApiClient.as_user(circulation).post("/repairs", {"barcode": "B100001", "damage_type": "water"})
    assert refused.status_code == 403
    assert ApiClient.as_user(circulation).get("/repairs").status_code == 403
    assert ApiClient.as_user(patron_user).get("/repairs").status_code == 403
    assert ApiClient().get("/repairs").status_code == 401
    assert not RepairTicket.objects.exists()


def test_repairs_are_listed_paginated_and_filtered_without_a_query_per_row(
    technician, make_item, django_assert_max_num_queries
):
    for n in range(8):
        it = make_item(f"B3000{n}", status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR)
        ticket = actions.open_repair(item=it, damage_type="torn_pages", actor=technician)
        if n < 3:
            actions.finish_repair(ticket=ticket, condition_after="good", actor=technician)
    api = ApiClient.as_user(technician)

    with django_assert_max_num_queries(8):
        page = api.get("/repairs", {"page_size": 5})
    assert page.json()["count"] == 8 and len(page.json()["items"]) == 5 and page.json()["pages"] == 2
    open_only = api.get("/repairs", {"status": "open"}).json()
    assert open_only["count"] == 5
    one = api.get("/repairs", {"barcode": "B30001"}).json()
    assert [t["item"]["barcode"] for t in one["items"]] == ["B30001"]

"""The /api/v1/processing and /api/v1/shelving resources: queues, progress, ticks, profiles, shelving."""

import pytest

from pustaka.technical.choices import StepKind
from pustaka.technical.models import ProcessingStepDone
from pustaka.technical.queries.processing import library_profile

pytestmark = pytest.mark.django_db


def steps():
    return [s for s in library_profile().steps.all() if s.is_enabled]


def test_technician_ticks_a_step_for_a_batch_and_the_items_reach_the_shelving_queue(client, technician, make_item):
    make_item("B100", status="received")
    make_item("B101", status="in_processing")
    client.force_login(technician)
    for step in steps():
        response = client.post(
            "/api/v1/processing/ticks", {"barcodes": ["B100", "B101"], "step": step.pk}, content_type="application/json"
        )
        assert response.status_code == 200, response.json()
    body = response.json()
    assert [i["status"] for i in body] == ["ready_for_shelving", "ready_for_shelving"]
    assert body[0]["steps_done"] == body[0]["steps_total"]

    queue = client.get("/api/v1/shelving").json()
    assert [i["barcode"] for i in queue["items"]] == ["B100", "B101"]
    response = client.post("/api/v1/shelving/confirmations", {"barcodes": ["B100"]}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()[0]["status"] == "available"


def test_ticking_twice_answers_409_already_done(client, technician, make_item):
    make_item("B100", status="in_processing")
    client.force_login(technician)
    payload = {"barcodes": ["B100"], "step": steps()[0].pk}
    client.post("/api/v1/processing/ticks", payload, content_type="application/json")
    response = client.post("/api/v1/processing/ticks", payload, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "step_already_done"


def test_unknown_barcode_and_wrong_state_are_typed_errors(client, technician, make_item):
    make_item("B100", status="available")
    client.force_login(technician)
    step = steps()[0].pk
    response = client.post(
        "/api/v1/processing/ticks", {"barcodes": ["NOPE"], "step": step}, content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (404, "item_not_found")
    response = client.post(
        "/api/v1/processing/ticks", {"barcodes": ["B100"], "step": step}, content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "not_in_processing")
    response = client.post("/api/v1/shelving/confirmations", {"barcodes": ["B100"]}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (409, "not_ready_for_shelving")
    assert not ProcessingStepDone.objects.exists()


def test_scanning_a_received_item_starts_processing(client, technician, make_item):
    make_item("B100", status="received")
    client.force_login(technician)
    response = client.post("/api/v1/processing/scans", {"barcode": "B100"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "in_processing"
    progress = client.get("/api/v1/processing/items/B100").json()
    assert progress["call_number"] == "005.133 SUT p"
    assert progress["steps_done"] == 0


def test_circulation_cannot_tick_steps_or_see_the_processing_queue(client, circulation, make_item):
    make_item("B100", status="in_processing")
    client.force_login(circulation)
    response = client.post(
        "/api/v1/processing/ticks", {"barcodes": ["B100"], "step": steps()[0].pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client.get("/api/v1/processing").status_code == 403


def test_technician_cannot_change_the_profile_but_a_senior_technician_can(
    client, technician, senior_technician, branch
):
    step = steps()[0]
    client.force_login(technician)
    response = client.patch(
        f"/api/v1/processing/steps/{step.pk}", {"is_enabled": False}, content_type="application/json"
    )
    assert response.status_code == 403
    client.force_login(senior_technician)
    response = client.post("/api/v1/processing/profiles", {"branch": "MAIN"}, content_type="application/json")
    assert response.status_code == 201
    profile = response.json()
    assert profile["branch"] == "MAIN"
    label = next(s for s in profile["steps"] if s["kind"] == StepKind.SPINE_LABEL)
    response = client.patch(
        f"/api/v1/processing/steps/{label['id']}", {"is_enabled": False}, content_type="application/json"
    )
    assert response.status_code == 200
    assert not next(s for s in response.json()["steps"] if s["id"] == label["id"])["is_enabled"]
    ids = [s["id"] for s in profile["steps"]][::-1]
    response = client.put(
        f"/api/v1/processing/profiles/{profile['id']}/order", {"steps": ids}, content_type="application/json"
    )
    assert [s["id"] for s in response.json()["steps"]] == ids
    assert client.get("/api/v1/processing/profiles/for-branch/MAIN").json()["id"] == profile["id"]


def test_anonymous_and_patrons_are_refused(client, patron_user):
    assert client.get("/api/v1/processing").status_code == 401
    assert client.get("/api/v1/shelving").status_code == 401
    client.force_login(patron_user)
    assert client.get("/api/v1/processing").status_code == 403
    assert client.get("/api/v1/shelving").status_code == 403


def test_the_queue_lists_are_paginated_without_a_query_per_row(
    client, librarian, make_item, django_assert_max_num_queries
):
    library_profile()
    for n in range(40):
        make_item(f"P{n:03d}", status="in_processing")
        make_item(f"S{n:03d}", status="ready_for_shelving")
    client.force_login(librarian)
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/processing?page_size=30").json()
    assert body["count"] == 40 and len(body["items"]) == 30
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/shelving?page_size=30").json()
    assert body["count"] == 40 and len(body["items"]) == 30
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/processing/cataloguing").json()["count"] == 0
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/processing/profiles").json()["count"] == 1

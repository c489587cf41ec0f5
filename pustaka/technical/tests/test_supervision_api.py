"""Supervision API: /queues, /assignments and /reviews, with typed errors, refusals and query counts."""

import pytest

from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.models import Item
from pustaka.technical.models import Assignment, Review


@pytest.fixture
def new_items(make_item):
    return [make_item(f"N{i}", status="in_processing") for i in range(1, 4)]


def test_queues_answer_counts_oldest_age_and_assigned_counts(technician, new_items, make_item):
    from datetime import timedelta

    from django.utils import timezone

    Item.objects.filter(barcode="N1").update(status_changed_at=timezone.now() - timedelta(days=3))
    Assignment.objects.create(item=new_items[0], queue="processing", assigned_to=technician)
    make_item("S1", status="ready_for_shelving")

    response = ApiClient.as_user(technician).get("/queues", {"branch": "MAIN"})

    assert response.status_code == 200, response.content
    queues = {q["queue"]: q for q in response.json()}
    assert list(queues) == [
        "cataloguing",
        "processing",
        "shelving",
        "pulling",
        "repair",
        "bindery",
        "withdrawal",
        "sale",
    ]
    processing = queues["processing"]
    assert (processing["count"], processing["assigned"], processing["unassigned"]) == (3, 1, 2)
    assert 3 * 86400 - 60 < processing["oldest_age_seconds"] < 3 * 86400 + 60
    assert queues["shelving"]["count"] == 1
    assert queues["sale"] == {
        "queue": "sale",
        "label": "Sale",
        "count": 0,
        "assigned": 0,
        "unassigned": 0,
        "oldest_since": None,
        "oldest_age_seconds": None,
    }


def test_queues_refuse_an_unknown_branch_patrons_and_the_it_manager(technician, patron_user, it_manager):
    response = ApiClient.as_user(technician).get("/queues", {"branch": "NOPE"})
    assert response.status_code == 404 and response.json()["code"] == "branch_not_found"
    assert ApiClient.as_user(patron_user).get("/queues").status_code == 403
    assert ApiClient.as_user(it_manager).get("/queues").status_code == 403
    assert ApiClient().get("/queues").status_code == 401


def test_supervisor_assigns_through_the_api_and_the_technician_finishes(senior_technician, technician, new_items):
    api = ApiClient.as_user(senior_technician)

    response = api.post(
        "/assignments", {"queue": "processing", "barcodes": ["N1", "N2"], "assigned_to": technician.username}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert [a["item"]["barcode"] for a in body] == ["N1", "N2"]
    assert body[0]["assigned_to"] == technician.username and body[0]["assigned_by"] == senior_technician.username
    assert body[0]["queue_label"] == "Processing" and body[0]["finished_at"] is None

    finished = ApiClient.as_user(technician).post(f"/assignments/{body[0]['id']}/finish")
    assert finished.status_code == 200 and finished.json()["finished_at"] is not None
    again = ApiClient.as_user(technician).post(f"/assignments/{body[0]['id']}/finish")
    assert again.status_code == 409 and again.json()["code"] == "assignment_finished"


def test_technician_takes_work_through_the_api_but_cannot_assign_it_to_others(technician, make_staff, new_items):
    api = ApiClient.as_user(technician)

    taken = api.post("/assignments", {"queue": "processing", "barcodes": ["N1"]})
    assert taken.status_code == 201 and taken.json()[0]["assigned_to"] == technician.username

    refused = api.post("/assignments", {"queue": "processing", "barcodes": ["N2"], "assigned_to": "tika"})
    assert refused.status_code == 403
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"queue": "processing", "barcodes": ["NOPE"], "assigned_to": "technician-user"}, 404, "item_not_found"),
        ({"queue": "sale", "barcodes": ["N1"], "assigned_to": "technician-user"}, 409, "item_not_in_queue"),
        ({"queue": "processing", "barcodes": ["N1"], "assigned_to": "circulation-user"}, 400, "not_a_technician"),
        ({"queue": "processing", "barcodes": ["N1"], "assigned_to": "nobody"}, 404, "technician_not_found"),
        ({"queue": "knitting", "barcodes": ["N1"], "assigned_to": "technician-user"}, 400, "invalid"),
        ({"queue": "processing", "barcodes": [], "assigned_to": "technician-user"}, 400, "invalid"),
        ({"queue": "processing", "barcodes": ["N1"], "extra": 1}, 400, "invalid"),
    ],
)
def test_bad_assignments_are_refused_with_a_typed_error_and_assign_nothing(
    senior_technician, technician, circulation, new_items, payload, status, code
):
    response = ApiClient.as_user(senior_technician).post("/assignments", payload)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Assignment.objects.exists()


def test_assignments_are_listed_with_filters_in_a_constant_number_of_queries(
    senior_technician, technician, make_item, django_assert_max_num_queries
):
    for i in range(30):
        item = make_item(f"L{i:02}", status="in_processing")
        Assignment.objects.create(item=item, queue="processing", assigned_to=technician, assigned_by=senior_technician)
    Assignment.objects.filter(item__barcode="L00").update(finished_at="2026-01-01T00:00:00Z")
    api = ApiClient.as_user(technician)

    with django_assert_max_num_queries(8):
        response = api.get("/assignments", {"page_size": 100, "open": "true", "assigned_to": technician.username})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 29 and len(body["items"]) == 29
    assert api.get("/assignments", {"barcode": "L00"}).json()["items"][0]["finished_at"] is not None
    assert api.get("/assignments", {"queue": "shelving"}).json()["count"] == 0


def test_reviews_are_created_and_listed(librarian, technician, make_item, django_assert_max_num_queries):
    make_item("R1", status="ready_for_shelving")
    api = ApiClient.as_user(librarian)

    missing_note = api.post("/reviews", {"barcode": "R1", "queue": "processing", "outcome": "sent_back"})
    assert missing_note.status_code == 400
    assert missing_note.json() == {
        "code": "note_required",
        "message": "Say in a note what needs to be done again before sending the work back.",
        "field": "note",
    }
    created = api.post("/reviews", {"barcode": "R1", "queue": "processing", "outcome": "sent_back", "note": "Relabel"})
    assert created.status_code == 201, created.content
    assert created.json()["item"]["status"] == "in_processing"
    assert created.json()["reviewer"] == librarian.username

    for i in range(20):
        item = make_item(f"Q{i}", status="ready_for_shelving")
        Review.objects.create(item=item, queue="shelving", outcome="approved", reviewer=librarian)
    reader = ApiClient.as_user(technician)
    with django_assert_max_num_queries(8):
        listed = reader.get("/reviews", {"page_size": 100})
    assert listed.json()["count"] == 21
    sent_back = reader.get("/reviews", {"outcome": "sent_back"}).json()["items"]
    assert [(r["item"]["barcode"], r["note"]) for r in sent_back] == [("R1", "Relabel")]


def test_technician_cannot_review_through_the_api(technician, make_item):
    make_item("R1", status="ready_for_shelving")
    response = ApiClient.as_user(technician).post(
        "/reviews", {"barcode": "R1", "queue": "processing", "outcome": "approved"}
    )
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_patrons_and_circulation_cannot_read_assignments_or_reviews(patron_user, circulation):
    for user in (patron_user, circulation):
        api = ApiClient.as_user(user)
        assert api.get("/assignments").status_code == 403
        assert api.get("/reviews").status_code == 403

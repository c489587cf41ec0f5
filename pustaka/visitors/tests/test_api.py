"""The visitor-book API: a gate counter records visits, staff list and count them; refusals by role."""

import datetime

from django.utils import timezone

from pustaka.core.tests.api_client import ApiClient
from pustaka.visitors import actions
from pustaka.visitors.models import Visit


def test_a_gate_counter_records_a_group_of_people(circulation, branch, reading):
    response = ApiClient.as_user(circulation).post(
        "/visits", {"branch": "MAIN", "purpose": "membaca", "name": "Penghitung pintu", "count": 12}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["count"] == 12 and body["source"] == "gate" and body["branch"] == "MAIN"
    assert Visit.objects.get().count == 12


def test_a_member_is_recorded_by_card(circulation, branch, reading, patron):
    response = ApiClient.as_user(circulation).post("/visits", {"branch": "MAIN", "purpose": "membaca", "card": "P0001"})
    assert response.status_code == 201
    assert response.json()["card_number"] == "P0001" and response.json()["category"] == "member"


def test_bad_input_names_the_field_and_writes_nothing(circulation, branch, reading):
    client = ApiClient.as_user(circulation)
    response = client.post("/visits", {"branch": "MAIN", "purpose": "membaca", "card": "NOPE"})
    assert response.status_code == 404 and response.json()["field"] == "card"
    response = client.post("/visits", {"branch": "MAIN", "purpose": "bogus", "name": "Ayu"})
    assert response.status_code == 404 and response.json()["field"] == "purpose"
    response = client.post("/visits", {"branch": "XX", "purpose": "membaca", "name": "Ayu"})
    assert response.status_code == 404 and response.json()["field"] == "branch"
    response = client.post("/visits", {"branch": "MAIN", "purpose": "membaca", "name": "Ayu", "count": 0})
    assert response.status_code == 422 or response.status_code == 400
    assert not Visit.objects.exists()


def test_a_role_without_the_permission_is_refused(it_manager, patron_user, branch, reading):
    for user in (it_manager, patron_user):
        response = ApiClient.as_user(user).post("/visits", {"branch": "MAIN", "purpose": "membaca", "name": "Ayu"})
        assert response.status_code == 403
    assert not Visit.objects.exists()


def test_the_summary_counts_by_purpose_and_hour(circulation, branch, purposes):
    day = timezone.localdate() - datetime.timedelta(days=1)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 15)))
    actions.record_visits(
        actor=circulation,
        rows=[
            {"branch": branch, "purpose": "membaca", "name": "A", "at": at},
            {"branch": branch, "purpose": "membaca", "name": "B", "count": 4, "at": at},
            {"branch": branch, "purpose": "internet", "name": "C", "at": at},
        ],
    )
    client = ApiClient.as_user(circulation)
    body = client.get("/visits/summary", {"start": day.isoformat(), "end": day.isoformat(), "by": "purpose"}).json()
    assert body["people"] == 6 and body["visits"] == 3
    assert [(r["key"], r["people"]) for r in body["rows"]] == [("membaca", 5), ("internet", 1)]
    body = client.get("/visits/summary", {"start": day.isoformat(), "by": "hour"}).json()
    assert body["rows"] == [{"key": "10", "label": "10", "people": 6, "visits": 3}]


def test_the_list_does_not_grow_in_queries_with_the_visits(circulation, branch, reading, patron):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = ApiClient.as_user(circulation)

    def queries_for_the_list():
        client.get("/visits")
        with CaptureQueriesContext(connection) as seen:
            body = client.get("/visits", {"page_size": 100}).json()
        return len(seen.captured_queries), body["count"]

    actions.record_visits(actor=circulation, rows=[{"branch": branch, "purpose": reading, "patron": patron}])
    one, count = queries_for_the_list()
    rows = [{"branch": branch, "purpose": reading, "patron": patron} for _ in range(25)]
    rows += [{"branch": branch, "purpose": reading, "name": f"Tamu {n}"} for n in range(25)]
    actions.record_visits(actor=circulation, rows=rows)
    many, count = queries_for_the_list()
    assert count == 51 and many == one

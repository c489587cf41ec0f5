"""API: /programs (and sessions, attendance) and /registrations — who may call what,
errors naming the field, and query counts on lists."""

import pytest

from pustaka.core.tests.api_client import ApiClient
from pustaka.programs.models import Attendance, Program

from .conftest import years_ago

pytestmark = pytest.mark.django_db


def api(user=None):
    return ApiClient.as_user(user) if user is not None else ApiClient()


# --- programs -----------------------------------------------------------------------------------


def test_programs_need_a_login_and_a_staff_role(program, patron):
    assert api().get("/programs").status_code == 401
    assert api(patron.user).get("/programs").status_code == 403
    assert api(patron.user).post("/programs", {"title": "X", "branch": "MAIN", "capacity": 3}).status_code == 403


def test_staff_list_programs_with_counts_in_few_queries(
    circulation, make_program, make_session, make_patron, make_registration, django_assert_max_num_queries
):
    for n in range(6):
        program = make_program(f"P{n}", capacity=1)
        make_session(program)
        make_registration(program, make_patron(f"A{n}"))
        make_registration(program, make_patron(f"B{n}"), "waiting")
    client = api(circulation)
    with django_assert_max_num_queries(8):
        response = client.get("/programs", {"upcoming": "true"})
    body = response.json()
    assert body["count"] == 6
    first = body["items"][0]
    assert (first["registered_count"], first["waiting_count"], first["places_left"]) == (1, 1, 0)


def test_senior_technician_creates_and_updates_a_program_with_sessions(senior_technician, tomorrow):
    client = api(senior_technician)
    response = client.post(
        "/programs",
        {"title": "Kelas Komputer Dasar", "branch": "main", "capacity": 2, "kind": "computer_class", "min_age": 15},
    )
    assert response.status_code == 201, response.json()
    program_id = response.json()["id"]
    response = client.post(
        f"/programs/{program_id}/sessions",
        {"date": tomorrow.isoformat(), "start_time": "13:00", "end_time": "15:00", "room": "Lab"},
    )
    assert response.status_code == 201 and response.json()["branch"] == "MAIN"
    session_id = response.json()["id"]
    assert client.patch(f"/sessions/{session_id}", {"room": "Lab 2"}).json()["room"] == "Lab 2"
    assert client.patch(f"/programs/{program_id}", {"capacity": 5}).json()["capacity"] == 5
    assert len(client.get(f"/programs/{program_id}/sessions").json()) == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"branch": "NOWHERE"}, "branch"),
        ({"kind": "party"}, "kind"),
        ({"min_age": 9, "max_age": 3}, "max_age"),
        ({"leader": "nobody"}, "leader"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_program_fields_are_named(librarian, branch, payload, field):
    response = api(librarian).post("/programs", {"title": "X", "branch": "MAIN", "capacity": 3} | payload)
    # an unknown branch code is "branch_not_found" (404) on every path (core.lookups)
    assert response.status_code == (404 if field == "branch" else 400) and response.json()["field"] == field
    assert not Program.objects.exists()


def test_a_session_ending_before_it_starts_is_refused(librarian, program, tomorrow):
    response = api(librarian).post(
        f"/programs/{program.pk}/sessions", {"date": tomorrow.isoformat(), "start_time": "10:00", "end_time": "09:00"}
    )
    assert response.status_code == 400 and response.json()["field"] == "end_time"


def test_circulation_may_not_create_programs(circulation, branch):
    assert api(circulation).post("/programs", {"title": "X", "branch": "MAIN", "capacity": 3}).status_code == 403


def test_an_unknown_program_is_a_404(circulation):
    response = api(circulation).get("/programs/999999")
    assert response.status_code == 404 and response.json()["code"] == "program_not_found"


# --- registrations ------------------------------------------------------------------------------


def test_staff_register_and_the_full_program_puts_the_next_on_the_waiting_list(circulation, make_program, make_patron):
    program = make_program(capacity=1)
    make_patron("P0001")
    make_patron("P0002")
    client = api(circulation)
    first = client.post("/registrations", {"program": program.pk, "card": "P0001"})
    second = client.post("/registrations", {"program": program.pk, "card": "p0002"})
    assert first.status_code == 201 and first.json()["status"] == "registered"
    assert second.json()["status"] == "waiting" and second.json()["position"] == 1
    again = client.post("/registrations", {"program": program.pk, "card": "P0001"})
    assert again.status_code == 409 and again.json()["code"] == "already_registered"
    cancelled = client.post(f"/registrations/{first.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert client.get(f"/registrations/{second.json()['id']}").json()["status"] == "registered"


def test_registration_refusals_are_4xx_with_a_code(circulation, make_program, make_patron):
    program = make_program(min_age=4, max_age=8, registration_open=True)
    make_patron("C0001", date_of_birth=years_ago(12))
    client = api(circulation)
    response = client.post("/registrations", {"program": program.pk, "card": "C0001"})
    assert response.status_code == 409 and response.json()["code"] == "age_out_of_range"
    response = client.post("/registrations", {"program": program.pk, "card": "NOPE"})
    assert response.status_code == 404 and response.json()["field"] == "card"
    response = client.post("/registrations", {"program": program.pk})
    assert response.status_code == 400 and response.json()["field"] == "card"


def test_a_patron_lists_only_their_own_registrations_and_registers_themselves(
    program, patron, make_patron, make_registration
):
    other = make_registration(program, make_patron("P0002"))
    client = api(patron.user)
    response = client.post("/registrations", {"program": program.pk, "card": "P0001"})
    assert response.status_code == 201
    rows = client.get("/registrations").json()["items"]
    assert [r["card_number"] for r in rows] == ["P0001"]
    assert client.get(f"/registrations/{other.pk}").status_code == 404
    assert client.post(f"/registrations/{other.pk}/cancel").status_code == 404
    response = client.post("/registrations", {"program": program.pk, "card": "P0002"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == "registered"


def test_registration_list_is_paginated_in_few_queries(
    librarian, make_program, make_patron, make_registration, django_assert_max_num_queries
):
    program = make_program(capacity=3)
    for n in range(8):
        make_registration(program, make_patron(f"P{n:04d}"), "registered" if n < 3 else "waiting", minutes_ago=60 - n)
    client = api(librarian)
    with django_assert_max_num_queries(8):
        response = client.get("/registrations", {"program": program.pk, "status": "waiting"})
    assert [r["position"] for r in response.json()["items"]] == [1, 2, 3, 4, 5]


def test_attendance_through_the_api(circulation, it_manager, program, session, patron, make_registration):
    registration = make_registration(program, patron)
    client = api(circulation)
    response = client._send("put", f"/sessions/{session.pk}/attendance", {"present": [registration.pk]})
    assert response.status_code == 200 and response.json()[0]["present"] is True
    response = client._send("put", f"/sessions/{session.pk}/attendance", {"present": ["x"]})
    assert response.status_code == 400 and response.json()["field"].startswith("present")
    assert api(it_manager)._send("put", f"/sessions/{session.pk}/attendance", {"present": []}).status_code == 403
    assert (
        api(it_manager).post(f"/registrations/{registration.pk}/attendance", {"session": session.pk}).status_code == 403
    )
    assert api(patron.user).get(f"/sessions/{session.pk}/attendance").status_code == 403
    assert Attendance.objects.count() == 1
    Attendance.objects.all().delete()
    response = client.post(f"/registrations/{registration.pk}/attendance", {"session": session.pk})
    assert response.status_code == 200 and Attendance.objects.count() == 1


# --- help requests ------------------------------------------------------------------------------

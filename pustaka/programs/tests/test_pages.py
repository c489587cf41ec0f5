"""Programs and help pages: staff pages (who may and may not), attendance, the help queue; the public
program list and page, registering in the catalogue, asking a question, and the patron's account pages."""

import pytest
from django.urls import reverse

from pustaka.core.tests.pages import without_tokens
from pustaka.programs.models import Attendance, Program, Registration

from .conftest import years_ago

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


# --- who may use the staff pages ----------------------------------------------------------------

STAFF_PAGES = [
    ("programs:program_list", None, "programs.view_program"),
    ("programs:program_detail", "program", "programs.view_program"),
    ("programs:program_create", None, "programs.manage_programs"),
    ("programs:program_edit", "program", "programs.manage_programs"),
    ("programs:session_create", "program", "programs.manage_programs"),
    ("programs:session_edit", "session", "programs.manage_programs"),
    ("programs:attendance", "session", "programs.take_attendance"),
    ("reference:help_queue", None, "reference.view_helprequest"),
    ("reference:help_detail", "help_request", "reference.view_helprequest"),
]


@pytest.fixture
def page_objects(program, session, help_request):
    return {"program": program.pk, "session": session.pk, "help_request": help_request.pk}


@pytest.mark.parametrize(("name", "arg", "perm"), STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_and_patrons_are_refused(
    client, page_objects, patron, name, arg, perm
):
    url = reverse(name, args=[page_objects[arg]] if arg else [])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert login(client, patron.user).get(url).status_code == 403


@pytest.mark.parametrize(
    "role", ["administrator", "it_manager", "librarian", "senior_technician", "technician", "circulation"]
)
def test_each_role_sees_exactly_the_staff_pages_its_permissions_allow(client, make_staff, page_objects, role):
    user = make_staff(role)
    login(client, user)
    for name, arg, perm in STAFF_PAGES:
        response = client.get(reverse(name, args=[page_objects[arg]] if arg else []))
        assert response.status_code == (200 if user.has_perm(perm) else 403), (role, name)


def test_the_it_manager_may_not_take_attendance_but_the_desk_may(client, it_manager, circulation, session):
    url = reverse("programs:attendance", args=[session.pk])
    assert login(client, it_manager).post(url, {"present": []}).status_code == 403
    assert login(client, circulation).get(url).status_code == 200


# --- staff program pages ------------------------------------------------------------------------


def test_program_list_and_detail_show_counts_without_n_plus_one(
    client, librarian, make_program, make_session, make_patron, make_registration, django_assert_max_num_queries
):
    for n in range(5):
        program = make_program(f"Program {n}", capacity=1)
        make_session(program)
        make_registration(program, make_patron(f"P{n}01"))
        make_registration(program, make_patron(f"P{n}02"), "waiting")
    login(client, librarian)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("programs:program_list"))
    assert response.content.decode().count("<tr>") == 6
    with django_assert_max_num_queries(14):
        response = client.get(reverse("programs:program_detail", args=[program.pk]))
    assert "Waiting list" in response.content.decode()


def test_staff_create_a_program_then_its_sessions(client, senior_technician, branch, tomorrow):
    login(client, senior_technician)
    response = client.post(
        reverse("programs:program_create"),
        {
            "title": "Kelas Komputer Dasar",
            "kind": "computer_class",
            "branch": branch.pk,
            "capacity": 10,
            "registration_mode": "public",
            "registration_open": "on",
            "min_age": "",
            "max_age": "",
        },
    )
    assert response.status_code == 302
    program = Program.objects.get()
    response = client.post(
        reverse("programs:session_create", args=[program.pk]),
        {"date": tomorrow.isoformat(), "start_time": "13:00", "end_time": "15:00", "room": "Lab", "branch": branch.pk},
    )
    assert response.status_code == 302 and program.sessions.count() == 1


def test_a_bad_age_range_shows_on_the_field(client, librarian, branch):
    login(client, librarian)
    response = client.post(
        reverse("programs:program_create"),
        {
            "title": "X",
            "kind": "other",
            "branch": branch.pk,
            "capacity": 5,
            "registration_mode": "public",
            "min_age": 10,
            "max_age": 5,
        },
    )
    assert response.status_code == 200
    assert "The maximum age cannot be below the minimum age." in response.content.decode()


def test_staff_register_by_card_and_see_the_refusal(client, circulation, make_program, patron, make_patron):
    program = make_program(capacity=1, min_age=4, max_age=8)
    make_patron("C0001", date_of_birth=years_ago(6))
    login(client, circulation)
    url = reverse("programs:program_register", args=[program.pk])
    response = client.post(url, {"card": "c0001"}, follow=True)
    assert "is registered" in response.content.decode()
    patron.date_of_birth = years_ago(30)
    patron.save()
    response = client.post(url, {"card": "P0001"}, follow=True)
    assert "is 30 years old" in response.content.decode()
    response = client.post(url, {"card": "NOPE"}, follow=True)
    assert "No patron has the card number" in response.content.decode()


def test_attendance_page_ticks_and_scans(client, circulation, program, session, make_patron, make_registration):
    a = make_registration(program, make_patron("P0001", first_name="Ani"))
    b = make_registration(program, make_patron("P0002", first_name="Budi"))
    login(client, circulation)
    url = reverse("programs:attendance", args=[session.pk])
    response = client.get(url)
    assert "autofocus" in response.content.decode() and "Present: 0 of 2" in response.content.decode()
    client.post(url, {"present": [a.pk]})
    assert list(Attendance.objects.values_list("registration_id", flat=True)) == [a.pk]
    response = client.post(reverse("programs:attendance_scan", args=[session.pk]), {"card": "P0002"}, follow=True)
    assert "is present" in response.content.decode() and "Present: 2 of 2" in response.content.decode()
    response = client.post(reverse("programs:attendance_scan", args=[session.pk]), {"card": "X9"}, follow=True)
    assert "No patron has the card number “X9”" in response.content.decode()
    assert Attendance.objects.filter(registration=b).exists()


# --- help queue ---------------------------------------------------------------------------------


# --- public pages -------------------------------------------------------------------------------


def test_the_public_program_list_shows_places_left(
    client, make_program, make_session, make_patron, make_registration, django_assert_max_num_queries
):
    open_program = make_program("Dongeng Anak", capacity=3)
    full = make_program("Pelatihan Perpustakaan Digital", capacity=1)
    make_program("Old", capacity=1)  # no session to come: not listed
    make_session(open_program)
    make_session(full)
    make_registration(full, make_patron("P0001"))
    make_registration(full, make_patron("P0002"), "waiting")
    with django_assert_max_num_queries(6):
        response = client.get("/programs/")
    text = without_tokens(response.content.decode())
    assert "3 places left" in text and "Full · 1 on the waiting list" in text and "Old" not in text


def test_anonymous_visitors_are_asked_to_log_in_to_register(client, program, session):
    response = client.get(f"/programs/{program.pk}/")
    assert "Log in to register" in response.content.decode()
    response = client.post(f"/programs/{program.pk}/register/", {"patron": 1})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Registration.objects.exists()


def test_a_patron_registers_in_the_catalogue_and_joins_the_waiting_list_when_full(
    client, make_program, session, patron, make_patron, make_registration
):
    program = session.program
    program.capacity = 1
    program.save()
    make_registration(program, make_patron("P0009"))
    login(client, patron.user)
    response = client.post(f"/programs/{program.pk}/register/", {"patron": patron.pk}, follow=True)
    assert "number 1 on the waiting list" in response.content.decode()
    response = client.get("/account/programs/")
    assert "number 1" in response.content.decode() and "Dongeng Anak" in response.content.decode()


def test_a_guardian_registers_a_child_but_not_a_stranger(client, make_program, session, patron, make_patron):
    program = make_program("Story", min_age=4, max_age=8)
    child = make_patron("C0001", first_name="Adik", guardian=patron, date_of_birth=years_ago(5))
    stranger = make_patron("C0002", date_of_birth=years_ago(5))
    login(client, patron.user)
    page = client.get(f"/programs/{program.pk}/").content.decode()
    assert "Who is coming?" in page and "Adik" in page
    client.post(f"/programs/{program.pk}/register/", {"patron": child.pk})
    assert Registration.objects.filter(patron=child).exists()
    response = client.post(f"/programs/{program.pk}/register/", {"patron": stranger.pk}, follow=True)
    assert "Choose whom to register." in response.content.decode()
    assert not Registration.objects.filter(patron=stranger).exists()


def test_a_patron_sees_only_their_own_registrations_and_cannot_cancel_anothers(
    client, make_program, program, session, patron, make_patron, make_registration, django_assert_max_num_queries
):
    make_registration(program, patron)
    for n in range(5):
        make_registration(make_program(f"Extra {n}"), patron)
    other = make_registration(program, make_patron("P0002", last_name="Orang Lain"))
    login(client, patron.user)
    with django_assert_max_num_queries(12):
        page = client.get("/account/programs/").content.decode()
    assert page.count("Extra ") == 5
    assert "Rahmawati" in page and "Orang Lain" not in page
    response = client.post(f"/programs/registrations/{other.pk}/cancel/")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "registered"


def test_a_patron_cancels_and_the_waiting_list_moves_up(
    client, make_program, session, patron, make_patron, make_registration
):
    program = session.program
    program.capacity = 1
    program.save()
    mine = make_registration(program, patron, minutes_ago=5)
    waiting = make_registration(program, make_patron("P0002"), "waiting")
    login(client, patron.user)
    client.post(f"/programs/registrations/{mine.pk}/cancel/", {"next": "account"})
    waiting.refresh_from_db()
    assert waiting.status == "registered"


def test_account_pages_need_a_patron_login(client, circulation):
    assert client.get("/account/programs/").status_code == 302
    assert login(client, circulation).get("/account/questions/").status_code == 403

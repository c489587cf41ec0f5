"""The visitor kiosk and the staff pages of the visitor book.

A clerk opens the kiosk on a screen and logs out; the screen then records visits (and only that) with
its kiosk cookie, greets the member, and stops when staff close it.
"""

import pytest
from django.test import Client

from pustaka.core.models import AuditEvent
from pustaka.visitors import kiosk as kiosk_cookie
from pustaka.visitors.models import KioskSession, Visit

KIOSK = "/visitors/kiosk/"


@pytest.fixture
def screen(circulation, branch, reading):
    """A browser on which a circulation clerk opened the kiosk for MAIN, then logged out."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(circulation)
    response = client.post("/staff/visitors/kiosk/open/", {"branch": branch.pk, "label": "Tablet pintu masuk"})
    assert response.status_code == 302 and response["Location"] == KIOSK
    client.post("/staff/logout/")  # the real log-out (the test client's logout() drops every cookie)
    assert client.get("/staff/visitors/").status_code == 302
    return client


def test_opening_the_kiosk_is_audited_and_the_screen_works_after_staff_log_out(screen, circulation, reading):
    kiosk = KioskSession.objects.get()
    assert kiosk.opened_by == circulation and kiosk.is_open and kiosk.label == "Tablet pintu masuk"
    assert AuditEvent.objects.filter(verb="visitors.kiosk.open", object_id=str(kiosk.pk)).exists()
    page = screen.get(KIOSK)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Scan your member card" in text and "autofocus" in text and "Reading" in text


def test_a_member_scans_their_card_and_is_greeted_by_name(screen, patron, reading):
    response = screen.post(KIOSK, {"form": "card", "card": "P0001", "purpose": reading.pk}, follow=True)
    assert "Welcome, Siti! Enjoy your visit." in response.content.decode()
    visit = Visit.objects.get()
    assert visit.patron == patron and visit.source == "kiosk" and visit.branch.code == "MAIN"
    assert visit.recorded_by.username == "circulation-user"


def test_an_unknown_card_says_so_on_the_card_field_and_records_nothing(screen, reading):
    response = screen.post(KIOSK, {"form": "card", "card": "ZZZ9", "purpose": reading.pk})
    assert response.status_code == 400
    assert "No member has the card “ZZZ9”" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_group_of_visitors_who_are_not_members_counts_as_many(screen, reading):
    data = {
        "form": "visitor",
        "v-name": "Rombongan SD 3",
        "v-institution": "SD Negeri 3",
        "v-category": "school_student",
        "v-purpose": reading.pk,
        "v-count": "28",
    }
    response = screen.post(KIOSK, data, follow=True)
    assert "Welcome, Rombongan SD 3! 28 people recorded." in response.content.decode()
    assert Visit.objects.get().count == 28


def test_the_visitor_form_names_a_missing_name(screen, reading):
    response = screen.post(KIOSK, {"form": "visitor", "v-purpose": reading.pk, "v-count": "1", "v-category": "public"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Visit.objects.exists()


def test_the_kiosk_cookie_opens_no_staff_page(screen):
    assert screen.get("/staff/visitors/").status_code == 302  # to the login page
    assert screen.get("/staff/circulation/desk/").status_code == 302


def test_a_browser_without_the_kiosk_cookie_is_told_to_ask_staff(client, reading):
    response = client.get(KIOSK)
    assert response.status_code == 403
    assert "not open on this screen" in response.content.decode()
    assert client.post(KIOSK, {"form": "visitor", "v-name": "X", "v-purpose": reading.pk}).status_code == 403
    assert not Visit.objects.exists()


def test_a_forged_cookie_records_nothing(client, reading, screen):
    kiosk = KioskSession.objects.get()
    client.cookies[kiosk_cookie.COOKIE] = f"{kiosk.pk}:guessed"
    assert client.post(KIOSK, {"form": "visitor", "v-name": "X", "v-purpose": reading.pk}).status_code == 403
    assert not Visit.objects.exists()


def test_staff_close_the_kiosk_and_the_screen_stops(screen, circulation, reading):
    kiosk = KioskSession.objects.get()
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(circulation)
    assert "Close the kiosk" in staff.get(f"/staff/visitors/kiosks/{kiosk.pk}/close/").content.decode()
    assert staff.post(f"/staff/visitors/kiosks/{kiosk.pk}/close/").status_code == 302
    kiosk.refresh_from_db()
    assert not kiosk.is_open
    assert screen.post(KIOSK, {"form": "visitor", "v-name": "X", "v-purpose": reading.pk}).status_code == 403
    assert not Visit.objects.exists()


def test_the_kiosk_speaks_indonesian(screen, reading):
    screen.post("/i18n/setlang/", {"language": "id", "next": KIOSK})
    text = screen.get(KIOSK, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Pindai kartu anggota Anda" in text and "Membaca" in text


def test_the_desk_records_a_member_by_card(client, circulation, patron, branch, reading):
    client.force_login(circulation)
    response = client.post(
        "/staff/visitors/record/",
        {"card": "P0001", "purpose": reading.pk, "count": "1", "branch": branch.pk, "category": "public"},
        follow=True,
    )
    assert "Visit of Siti Rahmawati recorded (1 person)." in response.content.decode()
    assert Visit.objects.get().patron == patron


def test_the_summary_shows_the_periods_counts_in_a_fixed_number_of_queries(
    client, circulation, branch, reading, django_assert_max_num_queries
):
    from django.utils import timezone

    from pustaka.visitors import actions

    rows = [
        {"branch": branch, "purpose": reading, "name": f"Tamu {n}", "count": 2, "at": timezone.now()} for n in range(40)
    ]
    actions.record_visits(actor=circulation, rows=rows)
    client.force_login(circulation)
    with django_assert_max_num_queries(20):
        response = client.get("/staff/visitors/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "<strong>80</strong> people came in" in text and "<strong>40</strong> visits recorded" in text
    assert "<svg" in text


def test_librarians_add_a_purpose_and_a_bad_code_is_named(client, librarian):
    client.force_login(librarian)
    response = client.post("/staff/visitors/purposes/", {"code": "Bad Code", "name_id": "Diskusi", "sort_order": "0"})
    assert "Code: 1 to 32 small letters" in response.content.decode()
    response = client.post(
        "/staff/visitors/purposes/",
        {"code": "diskusi", "name_id": "Diskusi", "name_en": "Discussion", "sort_order": "5", "is_active": "on"},
        follow=True,
    )
    assert "Purpose “Discussion” added." in response.content.decode()


def test_a_long_period_is_charted_per_month(client, circulation, branch, reading):
    import datetime

    from django.utils import timezone

    from pustaka.visitors import actions

    start = datetime.date(2026, 1, 1)
    rows = [
        {
            "branch": branch,
            "purpose": reading,
            "name": f"Tamu {n}",
            "at": timezone.make_aware(datetime.datetime(2026, 1 + n % 6, 10, 9)),
        }
        for n in range(12)
    ]
    actions.record_visits(actor=circulation, rows=rows)
    client.force_login(circulation)
    text = client.get("/staff/visitors/", {"start": start.isoformat(), "end": "2026-06-30"}).content.decode()
    assert "People per month" in text and "People per day of the month" not in text
    assert text.count("<rect ") == 6 + 15  # a bar a month, and one per hour from 07 to 21

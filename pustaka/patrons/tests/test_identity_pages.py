"""Pages and API of patron identity: the patron form's new fields, classes and programmes, the new
academic year's preview, start and undo, and who may use them."""

import datetime

import pytest
from django.utils import timezone

from pustaka.core.tests.api_client import ApiClient
from pustaka.patrons import actions
from pustaka.patrons.academic_year import plan
from pustaka.patrons.models import AcademicYearRun, Patron


@pytest.fixture
def classes(librarian, patron_category):
    ix = actions.create_unit(actor=librarian, code="IX-A", name="Kelas IX A", is_final=True)
    vii = actions.create_unit(actor=librarian, code="VII-A", name="Kelas VII A", next_unit=ix)
    far = timezone.localdate() + datetime.timedelta(days=700)
    for card, unit in [("S1", vii), ("S2", vii), ("S3", ix)]:
        actions.create_patron(
            actor=librarian,
            card_number=card,
            first_name="Putri",
            last_name=f"Siswa {card}",
            category="PUBLIC",
            home_branch="MAIN",
            unit=unit,
            expires_on=far,
        )
    return {"VII-A": vii, "IX-A": ix}


def test_staff_enrol_a_pupil_with_nisn_class_and_channels(client, librarian, classes, branch, patron_category):
    client.force_login(librarian)
    response = client.post(
        "/staff/patrons/new/",
        {
            "card_number": "S9",
            "last_name": "Wijaya",
            "category": patron_category.pk,
            "home_branch": branch.pk,
            "language": "id",
            "id_type": "nisn",
            "id_number": "0087 6543 21",
            "unit": classes["VII-A"].pk,
            "phone": "081234567890",
            "notice_channels": ["whatsapp"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    patron = Patron.objects.get(card_number="S9")
    assert (patron.id_number, patron.unit.code, patron.notice_channels) == ("0087654321", "VII-A", ["whatsapp"])
    html = client.get(f"/staff/patrons/{patron.pk}/").content.decode()
    assert "0087654321" in html and "VII-A" in html and "WhatsApp" in html


def test_a_bad_nik_is_shown_on_its_field_in_indonesian(client, librarian, branch, patron_category):
    client.force_login(librarian)
    response = client.post(
        "/staff/patrons/new/",
        {
            "card_number": "S9",
            "last_name": "Wijaya",
            "category": patron_category.pk,
            "home_branch": branch.pk,
            "language": "id",
            "id_type": "nik",
            "id_number": "1234",
        },
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 200
    assert "NIK: dibutuhkan 16 angka; “1234” berisi 4." in response.content.decode()
    assert not Patron.objects.filter(card_number="S9").exists()


def test_the_academic_year_page_previews_starts_and_undoes(client, librarian, classes):
    client.force_login(librarian)
    page = client.get("/staff/patrons/academic-year/?label=2026/2027&leave_on=2026-07-15")
    html = page.content.decode()
    assert "2 members move up" in html and "1 member graduates" in html
    token = plan(leave_on=datetime.date(2026, 7, 15)).token
    assert f'value="{token}"' in html

    response = client.post(
        "/staff/patrons/academic-year/", {"label": "2026/2027", "leave_on": "2026-07-15", "token": token, "start": "1"}
    )
    assert response.status_code == 302
    assert Patron.objects.filter(unit__code="IX-A").count() == 3
    run = AcademicYearRun.objects.get()
    html = client.get("/staff/patrons/academic-year/").content.decode()
    assert "Undo (until" in html

    client.post(f"/staff/patrons/academic-year/{run.pk}/undo/")
    assert Patron.objects.filter(unit__code="VII-A").count() == 2
    assert Patron.objects.get(card_number="S3").expires_on > datetime.date(2026, 7, 15)


def test_a_stale_preview_is_refused_on_the_page_and_nothing_moves(client, librarian, classes):
    client.force_login(librarian)
    response = client.post(
        "/staff/patrons/academic-year/",
        {"label": "2026/2027", "leave_on": "2026-07-15", "token": "not-the-preview", "start": "1"},
        follow=True,
    )
    assert "Classes or members changed since the preview" in response.content.decode()
    assert Patron.objects.filter(unit__code="VII-A").count() == 2
    assert not AcademicYearRun.objects.exists()


@pytest.mark.parametrize(
    "url, allowed, refused",
    [
        ("/staff/patrons/units/", "circulation", None),
        ("/staff/patrons/units/new/", "librarian", "circulation"),
        ("/staff/patrons/academic-year/", "librarian", "senior_technician"),
    ],
)
def test_each_identity_page_admits_its_roles_and_refuses_the_others(client, make_staff, url, allowed, refused):
    client.force_login(make_staff(allowed, username=f"{allowed}-x"))
    assert client.get(url).status_code == 200
    if refused:
        client.force_login(make_staff(refused, username=f"{refused}-x"))
        assert client.get(url).status_code == 403


def test_a_circulation_clerk_cannot_undo_a_year(client, circulation, librarian, classes):
    leave_on = datetime.date(2026, 7, 15)
    run = actions.start_academic_year(
        actor=librarian, label="2026/2027", leave_on=leave_on, token=plan(leave_on=leave_on).token
    )
    client.force_login(circulation)
    assert client.post(f"/staff/patrons/academic-year/{run.pk}/undo/").status_code == 403
    assert AcademicYearRun.objects.get(pk=run.pk).undone_at is None


def test_the_patron_chooses_channels_in_the_catalogue_account(client, patron):
    client.force_login(patron.user)
    response = client.post(
        "/account/",
        {"email": "siti@example.org", "phone": "0812", "language": "id", "notice_channels": ["email", "sms"]},
    )
    assert response.status_code == 302
    patron.refresh_from_db()
    assert patron.notice_channels == ["email", "sms"]
    response = client.post("/account/", {"email": "siti@example.org", "language": "id", "notice_channels": ["sms"]})
    # The patron reads Indonesian now (the language they chose), so the refusal is in Indonesian.
    assert "Pemberitahuan lewat SMS memerlukan nomor telepon." in response.content.decode()
    patron.refresh_from_db()
    assert patron.notice_channels == ["email", "sms"]


def test_the_api_shows_and_changes_identity_without_a_query_per_patron(
    librarian, classes, django_assert_max_num_queries
):
    api = ApiClient.as_user(librarian)
    with django_assert_max_num_queries(10):
        body = api.get("/patrons?page_size=100").json()
    assert {p["card_number"]: p["unit"] for p in body["items"]} == {"S1": "VII-A", "S2": "VII-A", "S3": "IX-A"}
    patron = Patron.objects.get(card_number="S1")
    response = api.patch(f"/patrons/{patron.pk}", {"id_type": "nik", "id_number": "3273015208900003"})
    assert response.status_code == 200, response.content
    assert response.json()["id_number"] == "3273015208900003"
    bad = api.patch(f"/patrons/{patron.pk}", {"id_type": "nip", "id_number": "123"})
    assert bad.status_code == 400 and bad.json()["field"] == "id_number"

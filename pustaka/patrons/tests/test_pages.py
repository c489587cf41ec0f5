"""Staff patron pages: who may use which page, the list and its query count, forms, blocks, cards, import."""

import datetime
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pustaka.patrons.models import Patron, PatronBlock, PatronCategory

PASSWORD = "test-password-123"


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def desk(client, circulation):
    return login(client, circulation)


def test_anonymous_users_are_sent_to_the_login_page(client, patron):
    for url in [reverse("patrons:list"), reverse("patrons:detail", args=[patron.pk]), reverse("patrons:import")]:
        response = client.get(url)
        assert response.status_code == 302 and "/staff/login/" in response["Location"]


@pytest.mark.parametrize(
    "name, args, allowed, refused",
    [
        ("patrons:list", [], ["circulation", "it_manager", "librarian"], []),
        ("patrons:create", [], ["circulation", "librarian"], ["it_manager"]),
        ("patrons:edit", ["pk"], ["circulation", "librarian"], ["it_manager"]),
        ("patrons:pin", ["pk"], ["circulation"], ["it_manager"]),
        ("patrons:card", ["pk"], ["circulation", "technician"], ["it_manager"]),
        ("patrons:import", [], ["librarian", "administrator"], ["circulation", "technician", "it_manager"]),
        ("patrons:category_list", [], ["circulation", "librarian"], []),
        ("patrons:category_create", [], ["librarian"], ["circulation", "senior_technician"]),
    ],
)
def test_each_page_admits_exactly_the_roles_holding_its_permission(
    client, make_staff, patron, patron_user, name, args, allowed, refused
):
    url = reverse(name, args=[patron.pk if a == "pk" else a for a in args])
    for role in allowed:
        client.force_login(make_staff(role, f"{role}-ok"))
        assert client.get(url).status_code == 200, role
    for role in refused:
        client.force_login(make_staff(role, f"{role}-no"))
        assert client.get(url).status_code == 403, role
    client.force_login(patron_user)  # a patron is no member of staff
    assert client.get(url).status_code == 403


def test_the_list_searches_by_card_and_by_name(desk, make_patron):
    make_patron("A0001", first_name="Rudi", last_name="Hartono")
    make_patron("A0002", first_name="Sari", last_name="Dewi")
    body = desk.get(reverse("patrons:list"), {"q": "hartono"}).content.decode()
    assert "A0001" in body and "A0002" not in body
    body = desk.get(reverse("patrons:list"), {"q": "a000"}).content.decode()
    assert "A0001" in body and "A0002" in body


def test_a_scanned_card_goes_straight_to_the_patron(desk, patron):
    response = desk.get(reverse("patrons:list"), {"q": "p0001"})
    assert response.status_code == 302 and response["Location"] == reverse("patrons:detail", args=[patron.pk])


def test_the_list_takes_a_fixed_number_of_queries(desk, make_patron, librarian, django_assert_max_num_queries):
    for n in range(60):
        patron = make_patron(f"Q{n:04d}")
        if n % 3 == 0:
            PatronBlock.objects.create(patron=patron, note="x", created_by=librarian)
    with django_assert_max_num_queries(9):
        response = desk.get(reverse("patrons:list"))
    assert response.status_code == 200
    assert response.content.decode().count('name="id"') == 50  # one page
    assert "Blocked" in response.content.decode()


def test_staff_see_only_patrons_of_their_home_branch(desk, make_patron, other_branch, administrator, client):
    there = make_patron("N0001", last_name="Utara", home_branch=other_branch)
    assert "N0001" not in desk.get(reverse("patrons:list")).content.decode()
    assert desk.get(reverse("patrons:detail", args=[there.pk])).status_code == 404
    assert desk.get(reverse("patrons:card", args=[there.pk])).status_code == 404
    client.force_login(administrator)
    assert client.get(reverse("patrons:detail", args=[there.pk])).status_code == 200


def test_the_detail_page_shows_blocks_with_reasons_guardian_and_wards(
    client, librarian, guardian, child_category, make_patron
):
    child = make_patron("K0001", first_name="Putri", category=child_category, guardian=guardian)
    guardian.expires_on = datetime.date(2020, 1, 1)
    guardian.save()
    PatronBlock.objects.create(patron=guardian, note="Kartu hilang", created_by=librarian)
    client.force_login(librarian)
    body = client.get(reverse("patrons:detail", args=[guardian.pk])).content.decode()
    assert "Kartu hilang" in body and "Membership expired" in body
    assert "K0001" in body  # the ward
    body = client.get(reverse("patrons:detail", args=[child.pk])).content.decode()
    assert "G0001" in body  # the guardian
    assert "Lift the blocks" not in body


def test_enrolling_through_the_form_and_the_refusals_shown_on_the_fields(desk, patron_category, branch, patron):
    data = {
        "card_number": "A0100",
        "first_name": "Rudi",
        "last_name": "Hartono",
        "category": patron_category.pk,
        "home_branch": branch.pk,
        "email": "rudi@example.org",
        "language": "id",
        "pin": "1234",
    }
    response = desk.post(reverse("patrons:create"), {**data, "card_number": "p0001"})
    assert response.status_code == 200
    assert "already belongs to Siti Rahmawati" in response.content.decode()
    response = desk.post(reverse("patrons:create"), {**data, "email": "rudi@"})
    assert "is not a valid email address" in response.content.decode()
    assert Patron.objects.count() == 1
    response = desk.post(reverse("patrons:create"), data)
    created = Patron.objects.get(card_number="A0100")
    assert response.status_code == 302 and response["Location"] == reverse("patrons:detail", args=[created.pk])
    assert created.check_pin("1234")


def test_desk_staff_cannot_enrol_at_another_branch(desk, patron_category, other_branch):
    data = {"card_number": "N1", "last_name": "X", "category": patron_category.pk, "home_branch": other_branch.pk}
    response = desk.post(reverse("patrons:create"), {**data, "language": "id"})
    assert response.status_code == 200 and not Patron.objects.exists()  # NORTH is not offered


def test_editing_keeps_the_expiry_when_left_empty(desk, patron, patron_category, branch):
    expiry = patron.expires_on
    data = {
        "card_number": "P0001",
        "first_name": "Siti",
        "last_name": "Rahmawati-Putri",
        "category": patron_category.pk,
        "home_branch": branch.pk,
        "language": "id",
        "is_active": "on",
    }
    assert desk.post(reverse("patrons:edit", args=[patron.pk]), data).status_code == 302
    patron.refresh_from_db()
    assert patron.last_name == "Rahmawati-Putri" and patron.expires_on == expiry


def test_block_and_unblock_buttons_need_the_permission_and_a_reason(client, desk, librarian, patron):
    url = reverse("patrons:block", args=[patron.pk])
    assert desk.post(url, {"reason": "x"}).status_code == 403
    client.force_login(librarian)
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Say why" in response.content.decode() and not PatronBlock.objects.exists()
    client.post(url, {"reason": "Buku rusak belum diganti"})
    assert PatronBlock.objects.get().note == "Buku rusak belum diganti"
    client.post(reverse("patrons:unblock", args=[patron.pk]), {"reason": "Sudah diganti"})
    assert PatronBlock.objects.get().lifted_by == librarian


def test_renew_and_set_pin(desk, patron):
    before = patron.expires_on
    desk.post(reverse("patrons:renew", args=[patron.pk]))
    patron.refresh_from_db()
    assert patron.expires_on == before + datetime.timedelta(days=365)
    response = desk.post(reverse("patrons:pin", args=[patron.pk]), {"pin": "9876", "pin_again": "9875"})
    assert "not the same" in response.content.decode()
    desk.post(reverse("patrons:pin", args=[patron.pk]), {"pin": "9876", "pin_again": "9876"})
    patron.refresh_from_db()
    assert patron.check_pin("9876")


def test_creating_the_catalogue_login_from_the_detail_page(desk, make_patron, client):
    reader = make_patron("D0001", first_name="Dewi", last_name="Lestari")
    desk.post(reverse("patrons:login", args=[reader.pk]), {"password": "pustaka-demo"})
    reader.refresh_from_db()
    assert reader.user.username == "D0001"
    client.logout()
    response = client.post(reverse("account:login"), {"username": "d0001", "password": "pustaka-demo"})
    assert response.status_code == 302 and response["Location"] == reverse("account:home")


def pdf_text(body: bytes, tmp_path) -> str:
    path = tmp_path / "cards.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_one_card_pdf_has_the_card_number_name_category_and_expiry(desk, patron, tmp_path):
    response = desk.get(reverse("patrons:card", args=[patron.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "P0001" in text and "Siti Rahmawati" in text and "Public" in text
    assert "Perpustakaan Pusat" in text
    assert str(patron.expires_on.year) in text


def test_a_selection_of_cards_fills_a4_sheets_of_ten(desk, make_patron, other_branch, tmp_path):
    chosen = [make_patron(f"S{n:04d}", last_name=f"Anggota {n}") for n in range(12)]
    hidden = make_patron("N0001", last_name="Cabang Utara", home_branch=other_branch)
    ids = [p.pk for p in chosen] + [hidden.pk, "x"]
    response = desk.get(reverse("patrons:cards"), {"id": ids})
    text = pdf_text(response.content, tmp_path)
    assert all(f"S{n:04d}" in text for n in range(12))
    assert "N0001" not in text  # not a patron this desk may see
    assert text.count("\f") == 2  # two pages


@pytest.mark.parametrize("bad", ["²", "٣", "1²", "abc", "-1", "0", "1" * 25, " 1", "9223372036854775808"])
def test_a_bad_card_id_is_ignored_not_a_server_error(desk, patron, bad):
    """Only ASCII digits from 1 to the largest id count; the rest is as if nothing was ticked."""
    response = desk.get(reverse("patrons:cards"), {"id": bad})
    assert response.status_code == 302 and response["Location"] == reverse("patrons:list")
    follow = desk.get(response["Location"])
    assert "Tick the patrons whose cards you want to print." in follow.content.decode()


def test_the_card_barcode_is_code128_of_the_card_number():
    from pustaka.printing.barcodes import code128_modules

    modules = code128_modules("D0001")
    assert modules.startswith("11010010000")  # Start B
    assert modules.endswith("1100011101011")  # Stop
    assert code128_modules("D0002") != modules


def test_the_import_page_imports_and_reports_rejected_rows(client, librarian, patron_category):
    client.force_login(librarian)
    csv = b"card_number,last_name,category,home_branch\nA1,Hartono,PUBLIC,MAIN\nA2,Dewi,NOPE,MAIN\n"
    upload = SimpleUploadedFile("anggota.csv", csv, content_type="text/csv")
    body = client.post(reverse("patrons:import"), {"file": upload}).content.decode()
    assert "Created 1, updated 0, rejected 1." in body
    assert "no patron category with the code “NOPE”" in body
    assert list(Patron.objects.values_list("card_number", flat=True)) == ["A1"]


def test_the_import_page_refuses_a_file_that_is_too_large_or_not_text(client, librarian, patron_category, settings):
    client.force_login(librarian)
    upload = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", content_type="text/csv")
    body = client.post(reverse("patrons:import"), {"file": upload}).content.decode()
    assert "not a text file" in body
    settings.PUSTAKA_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.csv", b"card_number,last_name\n" + b"x" * (1024 * 1024 + 1))
    body = client.post(reverse("patrons:import"), {"file": big}).content.decode()
    assert "larger than 1 MB" in body
    assert not Patron.objects.exists()


def test_librarians_manage_categories_on_their_page(client, librarian):
    client.force_login(librarian)
    data = {
        "code": "student",
        "name": "Pelajar/Mahasiswa",
        "membership_days": 180,
        "max_overdues": 3,
        "max_fines": "20000",
    }
    assert client.post(reverse("patrons:category_create"), data).status_code == 302
    category = PatronCategory.objects.get(code="STUDENT")
    body = client.post(reverse("patrons:category_create"), data).content.decode()
    assert "already exists" in body
    client.post(reverse("patrons:category_edit", args=[category.pk]), {**data, "code": "STUDENT", "is_child": "on"})
    category.refresh_from_db()
    assert category.is_child
    body = client.get(reverse("patrons:category_list")).content.decode()
    assert "Pelajar/Mahasiswa" in body

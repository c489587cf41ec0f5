"""Clearance letters on the staff pages, in the patron's account, as a PDF and on the public
verification page (which shows the number, the name, the date and validity; nothing more)."""

import re

import pytest
from django.test import Client

from pustaka.clearance import actions
from pustaka.clearance.models import ClearanceLetter

from .conftest import pdf_text


@pytest.fixture
def desk(circulation):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(circulation)
    return client


@pytest.fixture
def reader(patron_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(patron_user)
    return client


def test_the_desk_sees_every_blocker_and_no_issue_button(desk, patron, owing):
    response = desk.get(f"/staff/clearance/patrons/{patron.pk}/")
    text = response.content.decode()
    assert "1 item is still on loan." in text and "Unpaid charges of Rp 5,000." in text
    assert "1 hold is still waiting" in text and "Pemrograman Python" in text
    assert "Issue the clearance letter" not in text


def test_a_refused_post_lists_the_blockers_on_the_page_and_writes_nothing(desk, patron, owing, branch):
    response = desk.post(f"/staff/clearance/patrons/{patron.pk}/", {"purpose": "graduation", "branch": branch.pk})
    assert "A clearance letter cannot be issued yet" in response.content.decode()
    assert not ClearanceLetter.objects.exists()


def test_the_desk_issues_a_letter_and_prints_it(desk, patron, branch, tmp_path):
    response = desk.post(
        f"/staff/clearance/patrons/{patron.pk}/",
        {"purpose": "graduation", "purpose_note": "S1 Ilmu Perpustakaan", "branch": branch.pk},
        follow=True,
    )
    letter = ClearanceLetter.objects.get()
    assert f"Clearance letter {letter.number} issued." in response.content.decode()
    pdf = desk.get(f"/staff/clearance/{letter.pk}/letter.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path)
    # The letter is in the patron's language (Indonesian by default).
    assert "SURAT KETERANGAN BEBAS PUSTAKA" in text
    assert f"Nomor: {letter.number}" in text
    assert "Siti Rahmawati" in text and "P0001" in text
    assert "Perpustakaan Pusat" in text
    assert "S1 Ilmu Perpustakaan" in text
    assert letter.code in text


def test_the_pdf_has_a_qr_code_of_the_verification_page(desk, patron, tmp_path, monkeypatch):
    from reportlab.graphics.barcode import qr

    from pustaka.clearance import pdf

    encoded = []

    class Spy(qr.QrCodeWidget):
        def __init__(self, value, **kwargs):
            encoded.append(value)
            super().__init__(value, **kwargs)

    monkeypatch.setattr(pdf, "QrCodeWidget", Spy)
    letter = actions.issue_clearance(actor=None, patron=patron)
    body = desk.get(f"/staff/clearance/{letter.pk}/letter.pdf").content
    assert encoded == [f"http://testserver/clearance/{letter.code}/"]
    text = pdf_text(body, tmp_path)
    assert re.sub(r"\s", "", text).count(f"/clearance/{letter.code}/") == 1  # the address printed beside it


def test_the_verification_page_shows_only_number_name_date_and_validity(client, patron):
    letter = actions.issue_clearance(actor=None, patron=patron)
    text = client.get(f"/clearance/{letter.code}/").content.decode()
    assert "This clearance letter is genuine and valid." in text
    assert letter.number in text and "Siti Rahmawati" in text
    assert "P0001" not in text and "siti@example.org" not in text
    assert 'name="robots" content="noindex"' in text


def test_a_revoked_or_unknown_letter_is_said_to_be_not_valid(client, patron, librarian):
    letter = actions.issue_clearance(actor=None, patron=patron)
    actions.revoke_clearance(actor=librarian, letter=letter, reason="Salah cetak")
    assert "was revoked by the library" in client.get(f"/clearance/{letter.code}/").content.decode()
    response = client.get("/clearance/NOTACODE/")
    assert response.status_code == 404 and "No clearance letter has this code" in response.content.decode()


def test_the_patron_is_shown_what_blocks_their_letter(reader, owing):
    text = reader.get("/account/clearance/").content.decode()
    assert "1 item is still on loan." in text and "Ask for my clearance letter" not in text
    response = reader.post("/account/clearance/", {"purpose": "graduation"}, follow=True)
    assert "A clearance letter cannot be issued yet" in response.content.decode()
    assert not ClearanceLetter.objects.exists()


def test_the_patron_asks_for_the_letter_and_downloads_it(reader, patron, tmp_path):
    response = reader.post(
        "/account/clearance/", {"purpose": "graduation", "purpose_note": "SMA kelas XII"}, follow=True
    )
    letter = ClearanceLetter.objects.get()
    assert f"Your clearance letter {letter.number} is ready" in response.content.decode()
    assert letter.blocks_loans  # the library's default rule
    pdf = reader.get(f"/account/clearance/{letter.pk}/letter.pdf")
    assert "SURAT KETERANGAN BEBAS PUSTAKA" in pdf_text(pdf.content, tmp_path)


def test_a_patron_cannot_download_another_patrons_letter(reader, patron, make_patron):
    other = actions.issue_clearance(actor=None, patron=make_patron("P0002"))
    assert reader.get(f"/account/clearance/{other.pk}/letter.pdf").status_code == 404


def test_the_list_of_a_year_is_a_fixed_number_of_queries(desk, patron, make_patron, django_assert_max_num_queries):
    for n in range(12):
        actions.issue_clearance(actor=None, patron=make_patron(f"P1{n:03d}"))
    with django_assert_max_num_queries(12):
        response = desk.get("/staff/clearance/")
    assert response.content.decode().count("/BP/") == 12


def test_a_card_scan_goes_to_the_patrons_clearance_page(desk, patron):
    response = desk.get("/staff/clearance/find/", {"card": "p0001"})
    assert response.status_code == 302 and response["Location"] == f"/staff/clearance/patrons/{patron.pk}/"
    assert "No patron has the card number" in desk.get("/staff/clearance/find/", {"card": "NOPE"}).content.decode()


def test_a_bad_number_pattern_is_named_on_its_field(librarian):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(librarian)
    response = client.post("/staff/clearance/settings/", {"number_pattern": "{seq}/BP", "signatory_title": "Kepala"})
    assert "Number pattern: “{seq}/BP” cannot be used" in response.content.decode()

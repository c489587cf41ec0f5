"""The authority pages: list and search, an authority with its linked records, create and edit, link
and unlink, merge after a confirmation, import with its report, export; who may not."""

import io

import pymarc
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pustaka.authorities import actions
from pustaka.authorities.models import Authority, AuthorityLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_list_finds_an_authority_by_a_see_from_form_in_a_fixed_number_of_queries(
    logged_in, librarian, django_assert_max_num_queries
):
    client = logged_in(librarian)
    for n in range(30):
        actions.create_authority(
            actor=librarian, kind="topical", heading=f"Tajuk {n:02d}", variants=[f"Varian {n:02d}"]
        )
    actions.create_authority(actor=librarian, kind="topical", heading="Gizi", variants=["Nutrisi"])
    with django_assert_max_num_queries(12):
        page = client.get("/staff/authorities/").content.decode()
    assert "Tajuk 29" in page and "31 authority records" in page
    page = client.get("/staff/authorities/", {"q": "Nutrisi"}).content.decode()
    assert "Gizi" in page and "Tajuk" not in page


def test_a_librarian_creates_edits_and_sees_the_linked_records(logged_in, librarian, novels):
    client = logged_in(librarian)
    response = client.post(
        "/staff/authorities/new/",
        {
            "kind": "topical",
            "heading": "Fiksi Indonesia",
            "variants": "Novel Indonesia\n\nCerita rekaan Indonesia",
            "see_also": "BT Kesusastraan Indonesia",
        },
    )
    authority = Authority.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/authorities/{authority.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "4 linked record headings" in page and "Ronggeng Dukuh Paruk" in page and "Broader term" in page
    response = client.post(
        f"/staff/authorities/{authority.pk}/edit/",
        {"kind": "topical", "heading": "Fiksi Indonesia", "variants": "", "see_also": ""},
    )
    assert response.status_code == 302 and not authority.variants.exists()


def test_a_bad_see_also_line_is_shown_on_the_form_and_nothing_is_written(logged_in, librarian, db):
    response = logged_in(librarian).post(
        "/staff/authorities/new/", {"kind": "topical", "heading": "Gizi", "see_also": "Kesehatan"}
    )
    assert response.status_code == 400
    assert "start the line with BT, NT or RT" in response.content.decode()
    assert not Authority.objects.exists()


def test_a_duplicate_heading_is_refused_on_the_form(logged_in, librarian, db):
    actions.create_authority(actor=librarian, kind="topical", heading="Gizi")
    response = logged_in(librarian).post("/staff/authorities/new/", {"kind": "topical", "heading": "gizi"})
    assert response.status_code == 400 and "already an authority record" in response.content.decode()
    assert Authority.objects.count() == 1


def test_linking_and_unlinking_a_record_by_hand(logged_in, librarian, novels):
    client = logged_in(librarian)
    authority = actions.create_authority(actor=librarian, kind="personal", heading="Hirata, Andrea", link=False)
    bad = client.post(f"/staff/authorities/{authority.pk}/link/", {"record": 999999})
    assert bad.status_code == 400 and "There is no bibliographic record #999999" in bad.content.decode()
    response = client.post(f"/staff/authorities/{authority.pk}/link/", {"record": novels["laskar"].pk})
    assert response.status_code == 302
    link = AuthorityLink.objects.get()
    client.post(f"/staff/authorities/{authority.pk}/links/{link.pk}/unlink/")
    assert not AuthorityLink.objects.exists()


def test_a_merge_asks_for_confirmation_then_relinks_every_record(logged_in, librarian, novels):
    client = logged_in(librarian)
    winner = actions.create_authority(actor=librarian, kind="topical", heading="Fiksi Indonesia")
    loser = actions.create_authority(actor=librarian, kind="topical", heading="Novel Indonesia")
    page = client.get(f"/staff/authorities/{winner.pk}/merge/", {"other": loser.pk}).content.decode()
    assert "1 record heading linked to “Novel Indonesia” will be linked to “Fiksi Indonesia”" in page
    assert Authority.objects.count() == 2  # nothing happens before the confirmation
    client.post(f"/staff/authorities/{winner.pk}/merge/", {"other": loser.pk})
    assert Authority.objects.count() == 2
    response = client.post(f"/staff/authorities/{winner.pk}/merge/", {"other": loser.pk, "confirm": "1"})
    assert response.status_code == 302
    assert list(Authority.objects.values_list("heading", flat=True)) == ["Fiksi Indonesia"]
    assert winner.links.count() == 3
    missing = client.get(f"/staff/authorities/{winner.pk}/merge/", {"other": 999999})
    assert missing.status_code == 400 and "There is no authority record #999999" in missing.content.decode()


def test_importing_a_subject_list_reports_counts_and_rejected_lines(logged_in, librarian, db):
    upload = SimpleUploadedFile("tajuk.txt", b"Gizi\n  UF Nutrisi\n  ZZ salah\nKesehatan\n")
    response = logged_in(librarian).post(
        "/staff/authorities/import/", {"format": "subjects", "file": upload, "source": "DTSPN", "link": "on"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Import finished" in page
    assert "line 3" in page and Authority.objects.count() == 2


def test_an_unreadable_import_is_shown_on_the_form(logged_in, librarian, db):
    upload = SimpleUploadedFile("x.xml", b"<collection><record>")
    response = logged_in(librarian).post("/staff/authorities/import/", {"format": "marc", "file": upload})
    assert response.status_code == 400 and "well-formed" in response.content.decode()
    empty = logged_in(librarian).post(
        "/staff/authorities/import/", {"format": "marc", "file": SimpleUploadedFile("e.mrc", b"")}
    )
    assert empty.status_code == 400 and not Authority.objects.exists()


def test_the_export_downloads_marc_that_pymarc_reads(logged_in, technician, librarian, db):
    actions.create_authority(actor=librarian, kind="topical", heading="Gizi", variants=["Nutrisi"])
    client = logged_in(technician)
    body = client.get("/staff/authorities/export.mrc").content
    (rec,) = pymarc.MARCReader(io.BytesIO(body), to_unicode=True, force_utf8=True)
    assert rec["150"]["a"] == "Gizi" and rec["450"]["a"] == "Nutrisi"
    xml = client.get("/staff/authorities/export.xml")
    assert xml["Content-Type"].startswith("application/marcxml+xml") and b"Nutrisi" in xml.content


@pytest.mark.parametrize("role", ["technician", "circulation"])
def test_technicians_and_the_desk_read_but_may_not_change(logged_in, request, librarian, novels, role):
    authority = actions.create_authority(actor=librarian, kind="topical", heading="Fiksi Indonesia")
    client = logged_in(request.getfixturevalue(role))
    page = client.get(f"/staff/authorities/{authority.pk}/").content.decode()
    assert "Bumi manusia" in page and "Unlink" not in page and "Edit" not in page
    assert client.get("/staff/authorities/new/").status_code == 403
    assert (
        client.post(f"/staff/authorities/{authority.pk}/edit/", {"kind": "topical", "heading": "X"}).status_code == 403
    )
    assert client.post(f"/staff/authorities/{authority.pk}/delete/").status_code == 403
    assert client.get("/staff/authorities/import/").status_code == 403
    assert Authority.objects.get().heading == "Fiksi Indonesia" and authority.links.count() == 2


def test_a_patron_and_anonymous_are_kept_out(client, patron_user, db):
    assert client.get("/staff/authorities/")["Location"].startswith("/staff/login/")
    client.force_login(patron_user)
    assert client.get("/staff/authorities/").status_code == 403

"""Cataloguing pages: who may use them, the record form with the call-number helper, the record list,
record downloads and the MARC upload."""

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pustaka.catalog import actions
from pustaka.catalog.models import Record
from pustaka.core.models import AuditEvent


def record_data(**overrides):
    data = {
        "material_type": "book",
        "title": "Belajar Django",
        "subtitle": "dari nol",
        "contributors": "Sutanto, Budi | author\nWahyuni, Sri | editor",
        "publisher": "Informatika",
        "place": "Bandung",
        "year": "2023",
        "isbns": "978-602-03-1234-7",
        "language": "ind",
        "subjects": "Django (Framework)\nPemrograman web",
        "classification_scheme": "ddc",
        "class_number": "005.133",
        "call_number": "",
    }
    data.update(overrides)
    return data


# Who may use the pages ----------------------------------------------------------------------------

PAGES = [
    # (url, a role that may, a role that may not)
    ("/staff/catalog/", "circulation", None),
    ("/staff/catalog/{pk}/", "technician", None),
    ("/staff/catalog/new/", "librarian", "technician"),
    ("/staff/catalog/{pk}/edit/", "it_manager", "circulation"),
    ("/staff/catalog/{pk}/delete/", "librarian", "it_manager"),
    ("/staff/catalog/call-number/?class_number=005", "librarian", "technician"),
    ("/staff/catalog/import/", "librarian", "it_manager"),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PAGES)
def test_each_catalogue_page_admits_its_roles_and_refuses_the_others(client, make_staff, record, url, allowed, refused):
    url = url.format(pk=record.pk)
    client.force_login(make_staff(allowed))
    assert client.get(url).status_code == 200
    if refused:
        client.force_login(make_staff(refused))
        assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url", [p[0] for p in PAGES] + ["/staff/catalog/{pk}/export/marc/", "/staff/catalog/import/report/abc/"]
)
def test_anonymous_visitors_go_to_the_login_page_and_patrons_are_refused(client, patron_user, record, url):
    url = url.format(pk=record.pk)
    response = client.get(url)
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]
    client.force_login(patron_user)
    assert client.get(url).status_code == 403


def test_technician_cannot_post_a_new_record(client, technician):
    client.force_login(technician)
    assert client.post("/staff/catalog/new/", record_data()).status_code == 403
    assert not Record.objects.exists()


# Create and edit ----------------------------------------------------------------------------------


def test_librarian_catalogues_a_record_and_the_call_number_is_suggested(client, librarian):
    client.force_login(librarian)
    response = client.post("/staff/catalog/new/", record_data())
    record = Record.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/catalog/{record.pk}/"
    assert record.title == "Belajar Django"
    assert record.contributors == [
        {"name": "Sutanto, Budi", "role": "author"},
        {"name": "Wahyuni, Sri", "role": "editor"},
    ]
    assert record.subjects == ["Django (Framework)", "Pemrograman web"]
    assert record.isbns == ["9786020312347"]
    assert record.year == 2023
    assert record.call_number == "005.133 SUT b"
    event = AuditEvent.objects.get(verb="catalog.record.create")
    assert event.actor == librarian
    assert event.object_id == str(record.pk)


def test_roles_may_be_written_by_their_label(client, librarian):
    client.force_login(librarian)
    client.post("/staff/catalog/new/", record_data(contributors="Wahyuni, Sri | Translator\nSutanto, Budi"))
    assert Record.objects.get().contributors == [
        {"name": "Wahyuni, Sri", "role": "translator"},
        {"name": "Sutanto, Budi", "role": "author"},
    ]


def test_a_bad_isbn_check_digit_is_shown_on_the_isbn_field_and_nothing_is_saved(client, librarian):
    client.force_login(librarian)
    response = client.post("/staff/catalog/new/", record_data(isbns="9786020312346"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "isbns" in errors
    assert "wrong check digit" in errors["isbns"][0]
    assert "wrong check digit" in response.content.decode()
    assert not Record.objects.exists()
    assert not AuditEvent.objects.filter(verb="catalog.record.create").exists()


def test_an_unknown_contributor_role_is_refused_on_the_contributors_field(client, librarian):
    client.force_login(librarian)
    response = client.post("/staff/catalog/new/", record_data(contributors="Sutanto, Budi | singer"))
    assert response.status_code == 200
    assert "singer" in response.context["form"].errors["contributors"][0]
    assert not Record.objects.exists()


def test_a_record_without_a_title_is_refused(client, librarian):
    client.force_login(librarian)
    response = client.post("/staff/catalog/new/", record_data(title=""))
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not Record.objects.exists()


def test_librarian_edits_a_record_and_the_change_is_audited(client, librarian, record):
    client.force_login(librarian)
    form = client.get(f"/staff/catalog/{record.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    assert data["contributors"] == "Sutanto, Budi | author"
    data["title"] = "Pemrograman Python Lanjut"
    data["is_suppressed"] = ""
    del data["is_suppressed"]
    response = client.post(f"/staff/catalog/{record.pk}/edit/", data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "Pemrograman Python Lanjut"
    assert record.call_number == "005.133 SUT p"  # kept as it was
    event = AuditEvent.objects.get(verb="catalog.record.update")
    assert event.before == {"title": "Pemrograman Python"}
    assert event.after == {"title": "Pemrograman Python Lanjut"}


def test_the_call_number_helper_answers_htmx_with_the_filled_field(client, librarian):
    client.force_login(librarian)
    response = client.get(
        "/staff/catalog/call-number/",
        {"class_number": "005.133", "contributors": "Sutanto, Budi | author", "title": "Pemrograman Python"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="call-number-field"' in html
    assert 'value="005.133 SUT p"' in html
    assert "<html" not in html


def test_the_call_number_helper_works_without_javascript_and_saves_nothing(client, librarian):
    client.force_login(librarian)
    response = client.post("/staff/catalog/new/", record_data(suggest="1", title="Pemrograman Python"))
    assert response.status_code == 200
    assert 'value="005.133 SUT p"' in response.content.decode()
    assert not response.context["form"].errors
    assert not Record.objects.exists()


def test_the_record_form_has_the_suggest_button_wired_to_htmx(client, librarian):
    client.force_login(librarian)
    html = client.get("/staff/catalog/new/").content.decode()
    assert 'hx-get="/staff/catalog/call-number/"' in html
    assert 'name="suggest"' in html
    # Enter in a text field presses the first submit button: it must save, not suggest.
    assert html.index('type="submit"') < html.index('name="suggest"')


# Delete -------------------------------------------------------------------------------------------


def test_a_record_with_items_is_not_deleted_and_the_page_says_why(client, librarian, record, item):
    client.force_login(librarian)
    response = client.post(f"/staff/catalog/{record.pk}/delete/", follow=True)
    assert "still has 1 item" in response.content.decode()
    assert Record.objects.filter(pk=record.pk).exists()
    assert not AuditEvent.objects.filter(verb="catalog.record.delete").exists()


def test_librarian_deletes_a_record_without_items(client, librarian, record):
    client.force_login(librarian)
    response = client.post(f"/staff/catalog/{record.pk}/delete/")
    assert response.status_code == 302
    assert not Record.objects.filter(pk=record.pk).exists()
    assert AuditEvent.objects.filter(verb="catalog.record.delete", object_id=str(record.pk), actor=librarian).exists()


def test_it_manager_cannot_delete_a_record(client, it_manager, record):
    client.force_login(it_manager)
    assert client.post(f"/staff/catalog/{record.pk}/delete/").status_code == 403
    assert Record.objects.filter(pk=record.pk).exists()


# List and detail ----------------------------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    titles = [("Sejarah Indonesia", "Kartodirdjo, Sartono", "ind", "book")] * 1
    records = []
    for i in range(30):
        records.append(
            Record(
                title=f"Buku nomor {i}",
                contributors=[{"name": f"Penulis {i}", "role": "author"}],
                language="ind" if i % 2 else "eng",
                material_type="book" if i % 3 else "magazine",
                call_number=f"{i:03d} PEN b",
            )
        )
    for title, author, language, kind in titles:
        records.append(
            Record(
                title=title,
                contributors=[{"name": author, "role": "author"}],
                language=language,
                material_type=kind,
                isbn="9789794610008",
                isbns=["9789794610008"],
                control_number="ocm12345",
            )
        )
    return Record.objects.bulk_create(records)


def test_the_record_list_finds_records_whose_fields_match_every_word(client, circulation, catalogue):
    client.force_login(circulation)
    found = client.get("/staff/catalog/", {"q": "sejarah kartodirdjo"}).context["records"]
    assert [r.title for r in found] == ["Sejarah Indonesia"]
    assert not client.get("/staff/catalog/", {"q": "sejarah penulis"}).context["records"]
    assert [r.title for r in client.get("/staff/catalog/", {"q": "978-979-461-000-8"}).context["records"]] == [
        "Sejarah Indonesia"
    ]
    assert [r.title for r in client.get("/staff/catalog/", {"q": "ocm12345"}).context["records"]] == [
        "Sejarah Indonesia"
    ]
    assert [r.title for r in client.get("/staff/catalog/", {"q": "007 PEN"}).context["records"]] == ["Buku nomor 7"]


def test_the_record_list_filters_by_material_type_and_language(client, circulation, catalogue):
    client.force_login(circulation)
    page = client.get("/staff/catalog/", {"material_type": "magazine", "language": "eng"}).context["page"]
    assert page.paginator.count == 5  # 0, 6, 12, 18, 24
    assert all(r.material_type == "magazine" and r.language == "eng" for r in page.object_list)


def test_the_record_list_pages_by_fifty_and_does_not_grow_queries(
    client, librarian, catalogue, django_assert_max_num_queries
):
    Record.objects.bulk_create([Record(title=f"Tambahan {i}") for i in range(30)])
    client.force_login(librarian)
    with django_assert_max_num_queries(10):
        response = client.get("/staff/catalog/")
    assert response.status_code == 200
    assert len(response.context["records"]) == 50
    assert response.context["page"].paginator.num_pages == 2
    assert "Page 1 of 2" in response.content.decode()


def test_the_record_page_shows_fields_roles_items_and_links(client, librarian, record, make_item):
    record.contributors.append({"name": "Wahyuni, Sri", "role": "editor"})
    record.save()
    make_item("B000001")
    make_item("B000002", status="withdrawn", condition="damaged")
    client.force_login(librarian)
    html = client.get(f"/staff/catalog/{record.pk}/").content.decode()
    assert "Pemrograman Python" in html and "untuk pemula" in html
    assert "Wahyuni, Sri" in html and "(Editor)" in html
    assert "Python (Bahasa pemrograman)" in html
    assert "005.133 SUT p" in html
    assert '<span class="badge green" data-value="available">Available</span>' in html
    assert '<span class="badge grey" data-value="withdrawn">Withdrawn</span>' in html
    assert '<span class="badge red" data-value="damaged">Damaged</span>' in html
    assert "/staff/holdings/items/B000002/" in html
    assert f"/staff/holdings/records/{record.pk}/new-item/" in html
    assert f"/staff/core/history/catalog/record/{record.pk}/" in html
    assert f"/staff/catalog/{record.pk}/export/marcxml/" in html


def test_circulation_sees_a_record_without_editing_links(client, circulation, record):
    client.force_login(circulation)
    html = client.get(f"/staff/catalog/{record.pk}/").content.decode()
    assert f"/staff/catalog/{record.pk}/edit/" not in html
    assert "/export/" not in html
    assert "/staff/core/history/" not in html


# Downloads ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "needle"), [("marc", b"Pemrograman Python"), ("marcxml", b"<record"), ("dc", b"dc:title")]
)
def test_a_record_downloads_as_marc_marcxml_and_dublin_core(client, librarian, record, fmt, needle):
    client.force_login(librarian)
    response = client.get(f"/staff/catalog/{record.pk}/export/{fmt}/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert needle in response.content


def test_technician_cannot_download_marc(client, technician, record):
    client.force_login(technician)
    assert client.get(f"/staff/catalog/{record.pk}/export/marc/").status_code == 403


# MARC upload --------------------------------------------------------------------------------------


def marc_bytes(*titles: str) -> bytes:
    """An ISO 2709 file; a title of None gives a record without field 245 (which the importer rejects)."""
    from pymarc import Field, Subfield
    from pymarc import Record as MarcRecord

    out = io.BytesIO()
    for number, title in enumerate(titles, start=1):
        rec = MarcRecord()
        rec.add_field(Field(tag="001", data=f"test{number}"))
        if title is not None:
            rec.add_field(Field(tag="245", indicators=["0", "0"], subfields=[Subfield("a", title)]))
        out.write(rec.as_marc())
    return out.getvalue()


@pytest.fixture
def fake_import(monkeypatch, tmp_path):
    """Stands in for the importer: records what it was given and answers with a report."""
    calls = []
    report = tmp_path / "import-report.txt"
    report.write_text("2\ttest2\tno title\n")

    def import_marc(*, source, actor, format="auto"):
        with open(source, "rb") as handle:
            calls.append({"source": source, "actor": actor, "format": format, "content": handle.read()})
        return SimpleNamespace(
            created=3, updated=1, rejected=1, rejections=[(2, "test2", "The record has no title.")], report_path=report
        )

    monkeypatch.setattr(actions, "import_marc", import_marc, raising=False)
    return calls


def test_librarian_uploads_a_marc_file_and_sees_the_counts_and_rejections(client, librarian, fake_import):
    client.force_login(librarian)
    content = marc_bytes("Satu", "Dua")
    upload = SimpleUploadedFile("../../etc/passwd.mrc", content, content_type="application/marc")
    response = client.post("/staff/catalog/import/", {"file": upload, "format": "auto"})
    assert response.status_code == 200
    html = response.content.decode()
    assert [c["format"] for c in fake_import] == ["iso2709"]
    assert fake_import[0]["content"] == content
    assert fake_import[0]["actor"] == librarian
    source = Path(fake_import[0]["source"])
    assert source.name == "passwd.mrc"  # the name only, in a folder of our own
    assert source.parent.name.startswith("pustaka-upload-")
    assert response.context["result"].created == 3
    assert "The record has no title." in html and "test2" in html
    token = response.context["report_token"]
    assert token
    report = client.get(f"/staff/catalog/import/report/{token}/")
    assert report.status_code == 200
    assert b"no title" in b"".join(report.streaming_content)


def test_the_temporary_upload_is_removed_after_the_import(client, librarian, fake_import):
    import os

    client.force_login(librarian)
    client.post("/staff/catalog/import/", {"file": SimpleUploadedFile("a.mrc", marc_bytes("Satu")), "format": "auto"})
    assert not os.path.exists(fake_import[0]["source"])


def test_a_marcxml_upload_is_recognised_by_its_content(client, librarian, fake_import):
    client.force_login(librarian)
    xml = b'<?xml version="1.0"?>\n<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim"></marc:collection>'
    client.post("/staff/catalog/import/", {"file": SimpleUploadedFile("records.mrc", xml), "format": "auto"})
    assert [c["format"] for c in fake_import] == ["marcxml"]


def test_a_file_that_is_not_marc_is_refused_whatever_its_name(client, librarian, fake_import):
    client.force_login(librarian)
    upload = SimpleUploadedFile("records.mrc", b"%PDF-1.7 this is not a catalogue")
    response = client.post("/staff/catalog/import/", {"file": upload, "format": "auto"})
    assert response.status_code == 200
    assert "does not look like MARC" in response.context["form"].errors["file"][0]
    assert not fake_import


def test_a_file_of_the_other_format_than_chosen_is_refused(client, librarian, fake_import):
    client.force_login(librarian)
    upload = SimpleUploadedFile("records.xml", marc_bytes("Satu"))
    response = client.post("/staff/catalog/import/", {"file": upload, "format": "marcxml"})
    assert "looks like MARC 21 (ISO 2709)" in response.context["form"].errors["format"][0]
    assert not fake_import


def test_a_file_over_the_size_limit_is_refused(client, librarian, fake_import, settings):
    settings.PUSTAKA_MAX_UPLOAD_MB = 0
    client.force_login(librarian)
    response = client.post("/staff/catalog/import/", {"file": SimpleUploadedFile("a.mrc", marc_bytes("Satu"))})
    assert "files up to" in response.context["form"].errors["file"][0]
    assert not fake_import


def test_an_importer_error_is_shown_on_the_form(client, librarian, monkeypatch):
    from pustaka.catalog.errors import MarcFileError

    def import_marc(**kwargs):
        raise MarcFileError(reason="leader is broken")

    monkeypatch.setattr(actions, "import_marc", import_marc, raising=False)
    client.force_login(librarian)
    response = client.post("/staff/catalog/import/", {"file": SimpleUploadedFile("a.mrc", marc_bytes("Satu"))})
    assert response.status_code == 200
    assert "leader is broken" in response.content.decode()


def test_a_report_is_only_served_by_the_name_given_in_this_session(client, librarian, fake_import):
    client.force_login(librarian)
    assert client.get("/staff/catalog/import/report/..%2F..%2Fsecret_key/").status_code == 404
    assert client.get("/staff/catalog/import/report/made-up/").status_code == 404


def test_technician_cannot_upload_marc(client, technician, fake_import):
    client.force_login(technician)
    response = client.post("/staff/catalog/import/", {"file": SimpleUploadedFile("a.mrc", marc_bytes("Satu"))})
    assert response.status_code == 403
    assert not fake_import


def test_the_importer_creates_records_and_reports_the_rejected_one(client, librarian, settings, tmp_path):
    settings.PUSTAKA_REPORTS_DIR = tmp_path
    client.force_login(librarian)
    upload = SimpleUploadedFile("kiriman.mrc", marc_bytes("Satu", None, "Dua"))
    response = client.post("/staff/catalog/import/", {"file": upload, "format": "auto"})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.created, result.updated, result.rejected) == (2, 0, 1)
    assert set(Record.objects.values_list("title", flat=True)) == {"Satu", "Dua"}
    html = response.content.decode()
    assert "no title" in html and "test2" in html
    report = client.get(f"/staff/catalog/import/report/{response.context['report_token']}/")
    text = b"".join(report.streaming_content).decode()
    assert "kiriman.mrc" in text and "test2" in text


# In a real browser (Debian's Chromium): the htmx call-number helper and Enter saving --------------


@pytest.fixture
def browser_page(new_page):
    return new_page()


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "test-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_suggest_button_fills_the_call_number_in_place_and_enter_saves_the_record(
    browser_page, live_server, make_staff
):
    page = browser_page
    make_staff("librarian", username="katalog")
    _log_in(page, live_server, "katalog")
    page.goto(f"{live_server.url}/staff/catalog/new/")
    assert page.evaluate("document.activeElement.id") == "id_title"
    page.keyboard.type("Pemrograman Python")
    page.fill("#id_contributors", "Sutanto, Budi | author")
    page.fill("#id_class_number", "005.133")
    page.get_by_role("button", name="Suggest call number").click()
    page.wait_for_function("document.querySelector('#id_call_number').value === '005.133 SUT p'")
    assert page.url == f"{live_server.url}/staff/catalog/new/"  # htmx: no page load, nothing saved
    assert not Record.objects.exists()
    page.fill("#id_call_number", "005.133 SUT p c.2")  # still editable
    page.focus("#id_title")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    record = Record.objects.get()
    assert record.call_number == "005.133 SUT p c.2"
    assert page.url == f"{live_server.url}/staff/catalog/{record.pk}/"

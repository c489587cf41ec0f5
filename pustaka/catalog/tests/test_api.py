"""The catalogue API: listing and searching records, cataloguing through the API, refusals, MARC and DC."""

import io

import pymarc
import pytest

from pustaka.catalog.models import Record
from pustaka.core.models import AuditEvent
from pustaka.core.tests.api_client import ApiClient

NEW_RECORD = {
    "title": "Sejarah Nusantara",
    "material_type": "book",
    "contributors": [{"name": "Wibowo, Sri", "role": "author", "dates": "1960-"}],
    "publisher": "Gramedia",
    "year": 2019,
    "isbns": ["978-602-03-0000-9"],
    "language": "ind",
    "subjects": ["Indonesia -- Sejarah"],
    "class_number": "959.8",
}


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["title"] for r in response.json()["items"]]


@pytest.fixture
def shelf(db, record):
    """A few more records to search and filter."""
    Record.objects.create(
        title="Python Cookbook", contributors=[{"name": "Beazley, David", "role": "author"}], year=2013,
        language="eng", isbns=["9781449340377"], isbn="9781449340377", control_number="ocm123",
    )  # fmt: skip
    Record.objects.create(title="Majalah Tempo", material_type="magazine", year=2020, language="ind")
    Record.objects.create(title="Babad Tanah Jawi", contributors=[{"name": "Anonim", "role": "author"}], year=1939)
    return Record.objects.all()


# --- Reading ---------------------------------------------------------------------------------------


def test_circulation_lists_records_by_title_with_their_item_count(circulation, shelf, make_item):
    make_item("B000001")
    make_item("B000002")

    response = ApiClient.as_user(circulation).get("/records")

    assert _titles(response) == ["Babad Tanah Jawi", "Majalah Tempo", "Pemrograman Python", "Python Cookbook"]
    python = response.json()["items"][2]
    assert python["item_count"] == 2
    assert python["contributors"] == [
        {"name": "Sutanto, Budi", "role": "author", "role_label": "Author", "dates": None}
    ]
    assert python["material_type_label"] == "Book"
    assert "summary" not in python


@pytest.mark.parametrize(
    "params, titles",
    [
        ({"q": "python"}, ["Pemrograman Python", "Python Cookbook"]),
        ({"q": "python beazley"}, ["Python Cookbook"]),
        ({"q": "python tempo"}, []),
        ({"q": "1449340377"}, ["Python Cookbook"]),
        ({"q": "ocm123"}, ["Python Cookbook"]),
        ({"material_type": "magazine"}, ["Majalah Tempo"]),
        ({"language": "eng"}, ["Python Cookbook"]),
        ({"year_from": 2015, "year_to": 2021}, ["Majalah Tempo", "Pemrograman Python"]),
        ({"year_from": 2020, "year_to": 2020}, ["Majalah Tempo"]),
        ({"ordering": "-year"}, ["Pemrograman Python", "Majalah Tempo", "Python Cookbook", "Babad Tanah Jawi"]),
    ],
)
def test_records_are_filtered_and_ordered(librarian, shelf, params, titles):
    assert _titles(ApiClient.as_user(librarian).get("/records", params)) == titles


@pytest.mark.parametrize(
    "params, field", [({"material_type": "scroll"}, "material_type"), ({"ordering": "marc"}, "ordering")]
)
def test_an_unknown_filter_value_is_refused_naming_the_field(librarian, params, field):
    response = ApiClient.as_user(librarian).get("/records", params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_listing_thirty_records_takes_a_fixed_number_of_queries(librarian, make_item, django_assert_max_num_queries):
    for n in range(30):
        make_item(f"B{n:06d}", record=Record.objects.create(title=f"Buku {n:02d}", contributors=[{"name": "A"}]))
    api = ApiClient.as_user(librarian)
    api.get("/me")  # the token's first use is noted once

    with django_assert_max_num_queries(8):
        response = api.get("/records", {"page_size": 30})

    assert len(response.json()["items"]) == 30


def test_a_record_is_shown_whole(technician, record):
    response = ApiClient.as_user(technician).get(f"/records/{record.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["full_title"] == "Pemrograman Python : untuk pemula"
    assert body["isbns"] == ["9786020000005"]
    assert body["subjects"] == ["Python (Bahasa pemrograman)"]
    assert body["summary"] == ""


def test_an_unknown_record_is_a_404_with_a_code(librarian):
    api = ApiClient.as_user(librarian)
    for response in (
        api.get("/records/999"),
        api.patch("/records/999", {"title": "x"}),
        api.delete("/records/999"),
        api.get("/records/999/history"),
        api.get("/records/999/items"),
    ):
        assert response.status_code == 404
        assert response.json() == {"code": "record_not_found", "message": "No bibliographic record has the id 999."}


def test_a_patron_cannot_read_records(patron_user, record):
    assert ApiClient.as_user(patron_user).get(f"/records/{record.pk}").status_code == 403


# --- Cataloguing -----------------------------------------------------------------------------------


def test_librarian_catalogues_a_record_and_the_call_number_is_suggested(librarian):
    response = ApiClient.as_user(librarian).post("/records", NEW_RECORD)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["isbns"] == ["9786020300009"]
    assert body["contributors"][0]["dates"] == "1960-"
    assert body["call_number"] == "959.8 WIB s"
    record = Record.objects.get(pk=body["id"])
    assert record.title == "Sejarah Nusantara"
    event = AuditEvent.objects.get(verb="catalog.record.create")
    assert event.actor == librarian
    assert event.object_id == str(record.pk)


def test_circulation_cannot_create_a_record(circulation):
    response = ApiClient.as_user(circulation).post("/records", NEW_RECORD)

    assert response.status_code == 403
    assert not Record.objects.exists()
    assert not AuditEvent.objects.filter(verb="catalog.record.create").exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"isbns": ["978-602-03-0000-8"]}, "isbn"),
        ({"material_type": "scroll"}, "material_type"),
        ({"contributors": [{"name": "X", "role": "astrologer"}]}, "contributors"),
        ({"contributors": [{"role": "author"}]}, "contributors.0.name"),
        ({"year": "tahun lalu"}, "year"),
        ({"year": 3001}, "year"),
        ({"language": "id"}, "language"),
        ({"title": None}, "title"),
        ({"publisher": "x" * 501}, "publisher"),
        ({"barcode": "B1"}, "barcode"),
    ],
)
def test_a_bad_field_is_refused_naming_it_and_nothing_is_written(librarian, change, field):
    response = ApiClient.as_user(librarian).post("/records", {**NEW_RECORD, **change})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["field"] == field
    assert body["message"]
    assert not Record.objects.exists()


def test_a_bad_isbn_says_what_is_wrong_in_english(librarian):
    response = ApiClient.as_user(librarian, language="en").post("/records", {"title": "X", "isbn": "9786020300007"})
    assert response.status_code == 400
    assert response.json()["field"] == "isbn"
    assert response.json()["message"] == "“9786020300007” is not a valid ISBN (wrong check digit)."
    assert not Record.objects.exists()


def test_a_record_needs_a_title(librarian):
    response = ApiClient.as_user(librarian).post("/records", {"publisher": "Gramedia"})
    assert response.status_code == 400
    assert response.json()["field"] == "title"


def test_patching_a_record_changes_only_the_fields_sent(librarian, record):
    response = ApiClient.as_user(librarian).patch(f"/records/{record.pk}", {"year": 2022, "subjects": ["Python"]})

    assert response.status_code == 200
    assert response.json()["year"] == 2022
    record.refresh_from_db()
    assert record.year == 2022
    assert record.subjects == ["Python"]
    assert record.title == "Pemrograman Python"
    event = AuditEvent.objects.get(verb="catalog.record.update")
    assert event.after == {"year": 2022, "subjects": ["Python"]}


def test_a_bad_patch_changes_nothing(librarian, record):
    response = ApiClient.as_user(librarian).patch(f"/records/{record.pk}", {"year": 2022, "isbns": ["123"]})

    assert response.status_code == 400
    record.refresh_from_db()
    assert record.year == 2021
    assert not AuditEvent.objects.filter(verb="catalog.record.update").exists()


def test_technician_cannot_edit_a_record(technician, record):
    response = ApiClient.as_user(technician).patch(f"/records/{record.pk}", {"title": "Judul lain"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.title == "Pemrograman Python"


def test_a_record_with_items_cannot_be_deleted(librarian, record, item):
    response = ApiClient.as_user(librarian).delete(f"/records/{record.pk}")

    assert response.status_code == 409
    assert response.json()["code"] == "record_has_items"
    assert Record.objects.filter(pk=record.pk).exists()


def test_librarian_deletes_a_record_without_items(librarian, record):
    response = ApiClient.as_user(librarian).delete(f"/records/{record.pk}")

    assert response.status_code == 204
    assert not Record.objects.filter(pk=record.pk).exists()
    assert AuditEvent.objects.filter(verb="catalog.record.delete", object_id=str(record.pk)).exists()


def test_circulation_cannot_delete_a_record(circulation, record):
    assert ApiClient.as_user(circulation).delete(f"/records/{record.pk}").status_code == 403
    assert Record.objects.filter(pk=record.pk).exists()


def test_a_records_history_shows_who_changed_what(librarian, record):
    api = ApiClient.as_user(librarian)
    api.patch(f"/records/{record.pk}", {"edition": "Cet. 2"})

    response = api.get(f"/records/{record.pk}/history")

    assert response.status_code == 200
    event = response.json()["items"][0]
    assert event["verb"] == "catalog.record.update"
    assert event["verb_label"] == "Record edited"
    assert event["actor"] == "librarian-user"
    assert event["before"] == {"edition": ""} and event["after"] == {"edition": "Cet. 2"}


def test_technician_cannot_read_the_audit_trail_of_a_record(technician, record):
    assert ApiClient.as_user(technician).get(f"/records/{record.pk}/history").status_code == 403


def test_the_call_number_helper_follows_the_librarys_rule(librarian):
    response = ApiClient.as_user(librarian).get(
        "/call-numbers/suggest", {"class_number": "005.133", "author": "Sutanto, Budi", "title": "Pemrograman Python"}
    )
    assert response.status_code == 200
    assert response.json() == {"call_number": "005.133 SUT p"}


def test_the_call_number_helper_needs_a_class_number(librarian):
    response = ApiClient.as_user(librarian).get("/call-numbers/suggest", {"author": "Sutanto, Budi"})
    assert response.status_code == 400
    assert response.json()["field"] == "class_number"


# --- MARC and Dublin Core --------------------------------------------------------------------------


def test_a_record_is_given_as_marcxml(circulation, record):
    response = ApiClient.as_user(circulation).get(f"/records/{record.pk}/marc")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/marcxml+xml")
    assert b"Pemrograman Python" in response.content
    assert b"http://www.loc.gov/MARC21/slim" in response.content
    [parsed] = pymarc.parse_xml_to_array(io.BytesIO(response.content))
    assert parsed["999"]["c"] == str(record.pk)


def test_a_record_is_given_as_iso2709(librarian, record):

    response = ApiClient.as_user(librarian).get(f"/records/{record.pk}/marc", {"format": "iso2709"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/marc"
    marc_record = next(pymarc.MARCReader(response.content, to_unicode=True, force_utf8=True))
    assert "Pemrograman Python" in marc_record["245"]["a"]


def test_an_unknown_marc_format_is_refused(librarian, record):
    response = ApiClient.as_user(librarian).get(f"/records/{record.pk}/marc", {"format": "mods"})
    assert response.status_code == 400
    assert response.json()["field"] == "format"


def test_a_record_is_given_as_dublin_core(librarian, record):
    response = ApiClient.as_user(librarian).get(f"/records/{record.pk}/dc")

    assert response.status_code == 200
    dc = response.json()
    assert any("Pemrograman Python" in title for title in dc["title"])
    assert dc["creator"] == ["Sutanto, Budi"]


def test_a_patron_cannot_read_marc(patron_user, record):
    assert ApiClient.as_user(patron_user).get(f"/records/{record.pk}/marc").status_code == 403

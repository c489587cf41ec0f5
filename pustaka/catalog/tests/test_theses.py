"""Theses (skripsi, tesis, disertasi): the record form and the API carry the degree, the institution,
the year and the supervisors; bad input is refused naming the field; the OPAC shows them; MARC 502 and
700 $4 ths come back in on import; developer and programmer are contributor roles."""

import pymarc
import pytest
from pymarc import Field, Indicators, Subfield

from pustaka.catalog import actions
from pustaka.catalog.marc import fields_from_marc, record_to_marc
from pustaka.catalog.models import Record
from pustaka.core.tests.api_client import ApiClient

THESIS_FORM = {
    "material_type": "thesis",
    "title": "Sistem informasi perpustakaan sekolah berbasis web",
    "contributors": "Putri, Ayu Lestari | author",
    "publisher": "",
    "place": "Yogyakarta",
    "year": "2024",
    "isbns": "",
    "language": "ind",
    "subjects": "Sistem informasi perpustakaan",
    "classification_scheme": "ddc",
    "class_number": "025.04",
    "call_number": "",
    "thesis_kind": "skripsi",
    "degree": "Sarjana Komputer (S.Kom.)",
    "degree_institution": "Universitas Gadjah Mada. Fakultas Matematika dan Ilmu Pengetahuan Alam",
    "degree_year": "2024",
    "supervisors": "Wibowo, Agus\nHandayani, Sri",
}
THESIS_API = {
    "title": "Analisis sentimen ulasan aplikasi perpustakaan digital",
    "material_type": "thesis",
    "contributors": [
        {"name": "Nugroho, Bayu", "role": "author"},
        {"name": "Kusuma, Rina", "role": "thesis_advisor"},
    ],
    "thesis_kind": "tesis",
    "degree": "Magister Komputer (M.Kom.)",
    "degree_institution": "Institut Teknologi Bandung",
    "degree_year": 2023,
}


def test_a_librarian_catalogues_a_skripsi_with_its_degree_and_supervisors(client, librarian):
    client.force_login(librarian)
    response = client.post("/staff/catalog/new/", THESIS_FORM)

    record = Record.objects.get()
    assert response.status_code == 302
    assert record.material_type == "thesis"
    assert (record.thesis_kind, record.degree, record.degree_year) == ("skripsi", "Sarjana Komputer (S.Kom.)", 2024)
    assert record.degree_institution.startswith("Universitas Gadjah Mada")
    assert record.contributors == [
        {"name": "Putri, Ayu Lestari", "role": "author"},
        {"name": "Wibowo, Agus", "role": "thesis_advisor"},
        {"name": "Handayani, Sri", "role": "thesis_advisor"},
    ]
    page = client.get(f"/staff/catalog/{record.pk}/").content.decode()
    assert "Skripsi (bachelor&#x27;s thesis)" in page and "Wibowo, Agus" in page


def test_the_edit_form_shows_the_supervisors_in_their_own_field_and_keeps_them(client, librarian):
    client.force_login(librarian)
    client.post("/staff/catalog/new/", THESIS_FORM)
    record = Record.objects.get()

    form = client.get(f"/staff/catalog/{record.pk}/edit/").context["form"]
    assert form.initial["supervisors"] == "Wibowo, Agus\nHandayani, Sri"
    assert form.initial["contributors"] == "Putri, Ayu Lestari | author"
    # changing only the supervisors replaces them and keeps the author
    client.post(f"/staff/catalog/{record.pk}/edit/", {**THESIS_FORM, "supervisors": "Wibowo, Agus"})
    record.refresh_from_db()
    assert record.supervisors == ["Wibowo, Agus"]
    assert record.contributors[0] == {"name": "Putri, Ayu Lestari", "role": "author"}


@pytest.mark.parametrize(
    ("year", "english", "indonesian"),
    [
        ("20x4", "The year the degree was granted must be a number.", "Tahun kelulusan harus berupa angka."),
        (
            "3001",
            "The year the degree was granted must be between 1 and 2999.",
            "Tahun kelulusan harus antara 1 dan 2999.",
        ),
    ],
)
def test_a_bad_degree_year_is_refused_on_its_field_in_the_readers_language_and_nothing_is_saved(
    client, librarian, year, english, indonesian
):
    client.force_login(librarian)
    for language, message in (("en", english), ("id", indonesian)):
        response = client.post(
            "/staff/catalog/new/", {**THESIS_FORM, "degree_year": year}, HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors["degree_year"] == [message]
        assert message in response.content.decode()
    assert not Record.objects.exists()


def test_a_technician_may_not_catalogue_a_thesis(client, technician):
    client.force_login(technician)
    assert client.post("/staff/catalog/new/", THESIS_FORM).status_code == 403
    assert not Record.objects.exists()


def test_the_api_catalogues_a_tesis_and_reads_its_fields_back(librarian):
    api = ApiClient.as_user(librarian)
    response = api.post("/records", THESIS_API)

    assert response.status_code == 201, response.content
    body = api.get(f"/records/{response.json()['id']}").json()
    assert body["material_type"] == "thesis"
    assert body["thesis_kind"] == "tesis"
    assert body["thesis_kind_label"] == "Tesis (master's thesis)"
    assert (body["degree"], body["degree_institution"], body["degree_year"]) == (
        "Magister Komputer (M.Kom.)",
        "Institut Teknologi Bandung",
        2023,
    )
    assert body["supervisors"] == ["Kusuma, Rina"]
    assert body["contributors"][1]["role_label"] == "Thesis advisor"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"degree_year": 3001}, "degree_year"),
        ({"degree_year": "tahun lalu"}, "degree_year"),
        ({"thesis_kind": "makalah"}, "thesis_kind"),
        ({"degree": "x" * 201}, "degree"),
        ({"degree_institution": "x" * 301}, "degree_institution"),
    ],
)
def test_a_bad_thesis_field_is_refused_naming_it_and_nothing_is_written(librarian, change, field):
    response = ApiClient.as_user(librarian).post("/records", {**THESIS_API, **change})

    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert not Record.objects.exists()


def test_a_patron_may_not_catalogue_a_thesis_through_the_api(patron_user):
    response = ApiClient.as_user(patron_user).post("/records", THESIS_API)
    assert response.status_code in (401, 403)
    assert not Record.objects.exists()


def test_the_opac_record_page_shows_the_thesis_and_its_supervisors(client, db):
    record = actions.create_record(actor=None, **{**THESIS_API, "material_type": "thesis"})

    page = client.get(f"/record/{record.pk}/").content.decode()
    assert "Thesis or dissertation" in page
    assert "Tesis (master&#x27;s thesis)" in page
    assert "Magister Komputer (M.Kom.)" in page and "Institut Teknologi Bandung, 2023" in page
    assert "Kusuma, Rina" in page and "Thesis advisor" in page


def test_theses_are_found_by_their_material_type(db):
    from pustaka.catalog.queries import find_records

    thesis = actions.create_record(actor=None, **THESIS_API)
    actions.create_record(actor=None, title="Analisis data dengan Python", material_type="book")

    assert [r.pk for r in find_records(q="analisis", material_type="thesis")] == [thesis.pk]


def test_a_marc_dissertation_note_and_a_thesis_advisor_come_in_as_thesis_fields():
    rec = pymarc.Record(leader="00000nam a2200000 i 4500")
    rec.add_field(Field("008", data="240101s2024    io     m    000 0 ind d"))
    rec.add_field(Field("100", Indicators("1", " "), [Subfield("a", "Putri, Ayu,"), Subfield("e", "author.")]))
    rec.add_field(Field("245", Indicators("1", "0"), [Subfield("a", "Sistem pakar /"), Subfield("c", "Ayu Putri.")]))
    rec.add_field(
        Field(
            "502",
            Indicators(" ", " "),
            [
                Subfield("g", "Skripsi"),
                Subfield("b", "Sarjana Komputer"),
                Subfield("c", "Universitas Indonesia"),
                Subfield("d", "2024."),
            ],
        )
    )
    rec.add_field(Field("700", Indicators("1", " "), [Subfield("a", "Wibowo, Agus,"), Subfield("4", "ths")]))
    rec.add_field(Field("700", Indicators("1", " "), [Subfield("a", "Santoso, Budi,"), Subfield("4", "prg")]))
    rec.add_field(Field("700", Indicators("1", " "), [Subfield("a", "Lestari, Dewi,"), Subfield("e", "developer.")]))

    data = fields_from_marc(rec, call_number_rule="indonesian")

    assert data["material_type"] == "thesis"
    assert (data["thesis_kind"], data["degree"], data["degree_institution"], data["degree_year"]) == (
        "skripsi",
        "Sarjana Komputer",
        "Universitas Indonesia",
        2024,
    )
    assert "Skripsi" not in data["notes"]  # the note's parts became the thesis fields
    assert [c["role"] for c in data["contributors"]] == ["author", "thesis_advisor", "programmer", "developer"]


def test_an_edited_thesis_is_exported_with_its_new_dissertation_note(db):
    record = actions.create_record(actor=None, **THESIS_API)
    actions.update_record(record=record, actor=None, degree_year=2025, notes="Lampiran: kuesioner")

    exported = record_to_marc(Record.objects.get(pk=record.pk))
    note = exported["502"]
    assert note.get_subfields("g", "b", "c", "d") == [
        "Tesis",
        "Magister Komputer (M.Kom.)",
        "Institut Teknologi Bandung",
        "2025",
    ]
    assert exported["500"].get_subfields("a") == ["Lampiran: kuesioner"]
    assert exported["008"].data[24] == "m"


def test_a_thesis_catalogued_here_is_exported_with_its_fields_in_tag_order(db):
    record = actions.create_record(actor=None, **{**THESIS_API, "subjects": ["Analisis sentimen"], "year": 2023})

    tags = [field.tag for field in record_to_marc(record).fields]
    assert tags == sorted(tags)
    assert {"100", "245", "260", "502", "650", "700"} <= set(tags)

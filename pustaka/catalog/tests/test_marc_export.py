"""Exporting MARC: every imported field comes back, edits are written in, records catalogued here get MARC too."""

import io
from pathlib import Path

import pymarc
import pytest
from django.core.management import call_command

from pustaka.catalog.actions import import_marc, update_record
from pustaka.catalog.marc import export_records, fields_from_marc, pustaka_id, record_to_marc
from pustaka.catalog.models import Record
from pustaka.core.errors import PermissionDenied

MARC = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "marc"


@pytest.fixture
def marc_dir(db, settings, tmp_path):
    if not MARC.is_dir():
        pytest.fail(f"test records not found at {MARC}: the shared test data must sit beside the checkout")
    settings.PUSTAKA_REPORTS_DIR = tmp_path / "reports"
    return MARC


def field_key(field) -> tuple:
    if field.control_field:
        return (field.tag, field.data)
    return (field.tag, tuple(field.indicators), tuple(field.subfields))


def assert_every_original_field_kept(original: pymarc.Record, exported: pymarc.Record, record_id: int) -> None:
    """Same fields in the same order (001 included), plus exactly one 999 $c <id> $2 pustaka."""
    ours = [f for f in exported.fields if not (f.tag == "999" and "pustaka" in f.get_subfields("2"))]
    assert [field_key(f) for f in ours] == [field_key(f) for f in original.fields]
    assert pustaka_id(exported) == record_id
    assert exported.leader[9] == "a"
    assert str(exported.leader)[5:9] == str(original.leader)[5:9]


@pytest.mark.parametrize("fmt", ["iso2709", "marcxml"])
def test_an_export_keeps_every_field_of_the_imported_records_and_adds_the_system_id(marc_dir, tmp_path, fmt):
    source = marc_dir / "loc-books-1000.mrc"
    import_marc(source=source, actor=None)
    out = tmp_path / f"export.{fmt}"

    call_command("export_marc", str(out), format=fmt, stdout=io.StringIO())

    if fmt == "iso2709":
        with open(out, "rb") as stream:
            exported = list(pymarc.MARCReader(stream, to_unicode=True))
    else:
        exported = pymarc.parse_xml_to_array(str(out))
    with open(source, "rb") as stream:
        originals = list(pymarc.MARCReader(stream, to_unicode=True))
    ids = dict(Record.objects.values_list("control_number", "id"))
    assert len(exported) == len(originals) == 1000
    for original, again in zip(originals, exported, strict=True):
        assert_every_original_field_kept(original, again, ids[original["001"].data.strip()])


def test_the_export_command_prints_the_count(marc_dir, tmp_path):
    import_marc(source=marc_dir / "pymarc-test" / "marc.dat", actor=None)
    out = io.StringIO()

    call_command("export_marc", str(tmp_path / "all.mrc"), stdout=out)

    assert "Exported 20 records" in out.getvalue()
    assert not (tmp_path / "all.mrc.part").exists()


def test_an_edited_record_exports_with_its_new_title_and_every_other_original_field(marc_dir, librarian):
    import_marc(source=marc_dir / "loc-books-1000.mrc", actor=None)
    record = Record.objects.get(control_number="00000139")
    original = pymarc.Record(bytes(record.marc), force_utf8=True)

    record = update_record(record=record, actor=librarian, title="Teror putih", subtitle="")
    exported = record_to_marc(record)

    assert exported["245"].get_subfields("a") == ["Teror putih /"]
    assert exported["245"].get_subfields("c") == ["tr. from the Provençal of Félix Gras ... by Catharine A. Janvier."]
    assert not exported["245"].get_subfields("b")
    # the title no longer starts with the article the cataloguer skipped ("The"): it files from its first letter
    assert tuple(exported["245"].indicators) == (original["245"].indicator1, "0")
    others = [field_key(f) for f in exported.fields if f.tag not in ("245", "999")]
    assert others == [field_key(f) for f in original.fields if f.tag != "245"]
    assert fields_from_marc(exported, call_number_rule="indonesian")["title"] == "Teror putih"
    assert pustaka_id(exported) == record.pk


def test_an_edited_subject_list_keeps_the_original_headings_it_still_has(marc_dir, librarian):
    import_marc(source=marc_dir / "loc-books-1000.mrc", actor=None)
    record = Record.objects.get(control_number="00000139")
    original = pymarc.Record(bytes(record.marc), force_utf8=True)

    record = update_record(
        record=record, actor=librarian, subjects=[*record.subjects, "Revolusi Prancis -- Fiksi"], language="ind"
    )
    exported = record_to_marc(record)

    assert [field_key(f) for f in exported.get_fields("651")] == [field_key(f) for f in original.get_fields("651")]
    added = exported.get_fields("650")[-1]
    assert added.get_subfields("a", "x") == ["Revolusi Prancis", "Fiksi"]
    assert exported["008"].data[35:38] == "ind"
    mapped = fields_from_marc(exported, call_number_rule="indonesian")
    assert mapped["subjects"] == record.subjects
    assert mapped["language"] == "ind"


def test_a_record_catalogued_here_exports_as_marc_built_from_its_columns(record):
    record.responsibility = "Budi Sutanto"
    record.edition = "Cet. 2"
    record.extent = "xii, 250 hlm. ; 23 cm"
    record.series = "Seri Komputer ; 3"
    record.summary = "Buku pengantar pemrograman Python."
    record.save()

    exported = record_to_marc(record)

    assert exported["001"].data == str(record.pk)
    assert exported.leader[9] == "a" and exported.leader[6:8] == "am"
    assert exported["100"].get_subfields("a") == ["Sutanto, Budi."]
    assert exported["020"].get_subfields("a") == ["9786020000005"]  # as catalogued (its check digit is wrong)
    assert exported["082"].get_subfields("a") == ["005.133"]
    assert len(exported["008"].data) == 40 and exported["008"].data[7:11] == "2021"
    mapped = fields_from_marc(exported, call_number_rule="indonesian")
    for column in (
        "title",
        "subtitle",
        "responsibility",
        "contributors",
        "publisher",
        "place",
        "year",
        "edition",
        "extent",
        "language",
        "subjects",
        "series",
        "summary",
        "class_number",
        "classification_scheme",
        "material_type",
    ):
        assert mapped[column] == getattr(record, column), column
    again = pymarc.Record(exported.as_marc())  # valid ISO 2709
    assert pustaka_id(again) == record.pk


def test_a_record_exported_by_pustaka_and_imported_again_carries_one_pustaka_id(marc_dir, record, tmp_path):
    path = tmp_path / "from-pustaka.mrc"
    path.write_bytes(record_to_marc(record).as_marc())
    Record.objects.all().delete()
    import_marc(source=path, actor=None)
    imported = Record.objects.get()

    exported = record_to_marc(imported)

    ids = [f for f in exported.get_fields("999") if "pustaka" in f.get_subfields("2")]
    assert len(ids) == 1 and pustaka_id(exported) == imported.pk


def test_technician_cannot_export_marc_and_librarian_can(marc_dir, technician, librarian, record):
    with pytest.raises(PermissionDenied):
        export_records(out=io.BytesIO(), actor=technician)
    out = io.BytesIO()
    assert export_records(out=out, actor=librarian, format="marcxml") == 1
    records = pymarc.parse_xml_to_array(io.BytesIO(out.getvalue()))
    assert records[0]["245"]["a"].startswith("Pemrograman Python")


@pytest.mark.parametrize(
    "name", ["loc-books-1000.mrc", "loc-books-nonascii-500.mrc", "loc-books-nonascii-500.marc8.mrc"]
)
def test_marcxml_written_from_the_stored_bytes_is_the_same_as_through_pymarc(marc_dir, name, librarian):
    from pustaka.catalog.marc import marcxml, record_marcxml

    import_marc(source=marc_dir / name, actor=None)
    edited = Record.objects.order_by("id").first()
    update_record(record=edited, actor=librarian, title="Judul yang diubah")
    records = list(Record.objects.order_by("id"))
    assert len(records) >= 500
    for record in records:
        assert record_marcxml(record, call_number_rule="indonesian") == marcxml(
            record_to_marc(record, call_number_rule="indonesian")
        ), record.control_number
    assert "Judul yang diubah" in record_marcxml(Record.objects.get(pk=edited.pk))


def test_an_edited_title_files_under_its_new_first_word(marc_dir, librarian):
    import_marc(source=marc_dir / "loc-books-1000.mrc", actor=None)

    def title_field(r):
        return pymarc.Record(bytes(r.marc), force_utf8=True)["245"]

    record = next(
        r
        for r in Record.objects.exclude(marc=None).order_by("pk")
        if title_field(r).indicator2 == "4" and title_field(r).get("a").lower().startswith("the ")
    )
    original = title_field(record)

    kept = record_to_marc(
        update_record(record=record, actor=librarian, title=original.get("a").rstrip(" /:") + " baru")
    )
    assert kept["245"].indicator2 == "4"  # still starts with "The "
    plain = record_to_marc(update_record(record=record, actor=librarian, title="Edited title"))
    assert plain["245"].indicators == pymarc.Indicators(original.indicator1, "0")
    french = record_to_marc(update_record(record=record, actor=librarian, title="Les misérables"))
    assert french["245"].indicator2 == "4"

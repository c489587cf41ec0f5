"""Importing MARC files: real LoC records, pymarc's broken test records, MARCXML, matching, permissions, commands."""

import io
import unicodedata
from pathlib import Path

import pymarc
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pustaka.catalog.actions import import_marc
from pustaka.catalog.importer import _decode_utf8, decode_iso2709, detect_format
from pustaka.catalog.marc import fields_from_marc, map_fields
from pustaka.catalog.models import Record
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.search.models import ChangeLog

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
MARC = DATA / "marc"
PYMARC = MARC / "pymarc-test"


@pytest.fixture
def marc_dir(db, settings, tmp_path):
    """The shared test records (beside the clone); reports go to a temporary folder; reasons in English."""
    if not MARC.is_dir():
        pytest.fail(f"test records not found at {MARC}: the shared test data must sit beside the checkout")
    settings.PUSTAKA_REPORTS_DIR = tmp_path / "reports"
    return MARC


def chunks(path: Path) -> list[bytes]:
    """The raw ISO 2709 records of a (well-formed) file."""
    data = path.read_bytes()
    out, pos = [], 0
    while pos < len(data):
        length = int(data[pos : pos + 5])
        out.append(data[pos : pos + length])
        pos += length
    return out


def report_lines(result) -> list[list[str]]:
    text = Path(result.report_path).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines()]


def test_importing_the_loc_file_creates_a_record_for_each_of_its_1000_records(marc_dir):
    result = import_marc(source=marc_dir / "loc-books-1000.mrc", actor=None)

    assert (result.created, result.updated, result.rejected) == (1000, 0, 0)
    assert result.report_path is None and result.rejections == []
    assert Record.objects.filter(source="marc").count() == 1000
    first = Record.objects.get(control_number="00000002")
    assert first.title == "Botanical materia medica and pharmacology"
    assert bytes(first.marc) == chunks(marc_dir / "loc-books-1000.mrc")[0]  # the original, byte for byte
    assert AuditEvent.objects.filter(verb="catalog.record.import", actor=None, actor_name="system").count() == 1000
    event = AuditEvent.objects.filter(object_id=str(first.pk)).get()
    assert event.after["file"] == "loc-books-1000.mrc" and event.after["position"] == 1
    assert event.object_repr.startswith("Botanical materia medica")
    assert ChangeLog.objects.filter(record_id=first.pk).count() == 1


def test_importing_the_same_file_again_updates_every_record_and_keeps_their_ids_and_items(marc_dir, make_item):
    path = marc_dir / "loc-books-1000.mrc"
    import_marc(source=path, actor=None)
    ids = dict(Record.objects.values_list("control_number", "id"))
    record = Record.objects.get(control_number="00000057")
    item = make_item("B000777", record=record)

    again = import_marc(source=path, actor=None)

    assert (again.created, again.updated, again.rejected) == (0, 1000, 0)
    assert dict(Record.objects.values_list("control_number", "id")) == ids
    item.refresh_from_db()
    assert item.record_id == record.pk
    assert AuditEvent.objects.filter(verb="catalog.record.import").count() == 2000


def test_a_reimport_keeps_the_call_number_the_library_gave_and_logs_what_changed(marc_dir, tmp_path):
    source = chunks(marc_dir / "loc-books-1000.mrc")[18]  # 082 813.49, no local call number
    path = tmp_path / "one.mrc"
    path.write_bytes(source)
    import_marc(source=path, actor=None)
    record = Record.objects.get()
    assert record.call_number == "813.49 JEW q"
    Record.objects.filter(pk=record.pk).update(call_number="813.4 JEW q c.2", title="Changed here")

    import_marc(source=path, actor=None)

    record.refresh_from_db()
    assert record.call_number == "813.4 JEW q c.2"
    assert record.title == "The queen's twin"
    event = AuditEvent.objects.filter(object_id=str(record.pk)).order_by("-id").first()
    assert event.before == {"title": "Changed here"} and event.after["title"] == "The queen's twin"


def test_an_isbn_match_updates_a_record_that_has_a_different_control_number(marc_dir, tmp_path):
    source = chunks(marc_dir / "loc-books-1000.mrc")[24]  # 001 00000074, 020 0836932722
    path = tmp_path / "one.mrc"
    path.write_bytes(source)
    existing = Record.objects.create(
        title="Loom of destiny (copy catalogued by hand)",
        isbn="9780836932720",
        isbns=["9780836932720"],
        control_number="INLIS-0042",
        control_number_source="INLIS",
    )

    result = import_marc(source=path, actor=None)

    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.title == "The loom of destiny"
    assert existing.control_number == "00000074" and existing.control_number_source == "DLC"
    assert Record.objects.count() == 1


def test_two_records_the_same_catalogue_numbered_apart_are_not_merged_by_their_isbn(marc_dir, tmp_path):
    one = pymarc.Record(chunks(marc_dir / "loc-books-1000.mrc")[24], force_utf8=True)
    two = pymarc.Record(chunks(marc_dir / "loc-books-1000.mrc")[24], force_utf8=True)
    two["001"].data = "   00000075 "
    path = tmp_path / "two.mrc"
    path.write_bytes(one.as_marc() + two.as_marc())

    result = import_marc(source=path, actor=None)

    assert (result.created, result.updated) == (2, 0)


def test_the_same_record_twice_in_one_file_updates_the_earlier_one(marc_dir, tmp_path):
    first = pymarc.Record(chunks(marc_dir / "loc-books-1000.mrc")[0], force_utf8=True)
    later = pymarc.Record(chunks(marc_dir / "loc-books-1000.mrc")[0], force_utf8=True)
    later["245"]["a"] = "Botanical materia medica, corrected ;"
    path = tmp_path / "twice.mrc"
    path.write_bytes(first.as_marc() + later.as_marc())

    result = import_marc(source=path, actor=None)

    assert (result.created, result.updated, result.rejected) == (1, 1, 0)
    assert Record.objects.get().title == "Botanical materia medica, corrected"


def test_a_marc8_file_gives_the_same_records_as_its_utf8_twin(marc_dir):
    columns = ["control_number", "title", "subtitle", "responsibility", "contributors", "subjects", "publisher"]
    import_marc(source=marc_dir / "loc-books-nonascii-500.mrc", actor=None)
    from_utf8 = {row[0]: row for row in Record.objects.values_list(*columns)}
    Record.objects.all().delete()

    result = import_marc(source=marc_dir / "loc-books-nonascii-500.marc8.mrc", actor=None)

    assert (result.created, result.rejected) == (500, 0)
    from_marc8 = {row[0]: row for row in Record.objects.values_list(*columns)}
    assert from_marc8 == from_utf8
    titles = [row[1] + row[2] + row[3] for row in from_marc8.values()]
    assert all(unicodedata.is_normalized("NFC", t) for t in titles)
    assert sum(not t.isascii() for t in titles) > 100
    stored = pymarc.Record(bytes(Record.objects.first().marc))
    assert stored.leader[9] == "a"  # kept as UTF-8


@pytest.mark.parametrize(
    ("name", "created", "rejected", "reason"),
    [
        ("bad_records.mrc", 2, 7, "base address"),
        ("bad_indicator.dat", 0, 1, "field tag “0 2” is not valid"),
        ("bad_subfield_code.dat", 0, 1, "subfield code"),
        ("bad_marc8_escape.dat", 0, 1, "not valid MARC-8: unknown escape sequence"),
        ("bad_eacc_encoding.dat", 0, 1, "not valid MARC-8: character 0x7b3639"),
        ("utf8_invalid.mrc", 0, 1, "subfield code"),
        ("1251.dat", 0, 6, "not valid MARC-8"),
        ("testunimarc.dat", 0, 1, "no title"),
        ("bad_tag.xml", 0, 1, "leader"),
    ],
)
def test_broken_records_are_rejected_with_their_reason_in_the_report(marc_dir, name, created, rejected, reason):
    result = import_marc(source=PYMARC / name, actor=None)

    assert (result.created + result.updated, result.rejected) == (created, rejected)
    assert Record.objects.count() == created
    assert any(reason in text for _position, _cn, text in result.rejections)
    lines = report_lines(result)
    assert lines[0] == ["file", "position", "byte_offset", "control_number", "reason"]
    assert len(lines) == rejected + 1
    assert all(line[0] == name and line[4] for line in lines[1:])


def test_the_report_gives_position_offset_and_control_number_of_each_rejected_record(marc_dir):
    result = import_marc(source=PYMARC / "bad_records.mrc", actor=None)

    rows = report_lines(result)[1:]
    assert [row[1] for row in rows] == ["2", "3", "4", "5", "6", "7", "9"]
    assert rows[0][2] == "127"  # the second record starts after the first 127-byte one
    assert "lies outside the record" in rows[0][4]
    assert rows[-1][4] == "the record is cut short: the file ends inside it"
    assert [title for title in Record.objects.values_list("title", flat=True)] == ["The pragmatic programmer"] * 2

    bad = import_marc(source=PYMARC / "bad_subfield_code.dat", actor=None)
    assert bad.rejections == [(1, "fol05731351", "a subfield code is not an ASCII letter or digit")]


def test_a_record_with_a_wrong_length_is_rejected_and_the_records_after_it_still_import(marc_dir, tmp_path):
    good = chunks(marc_dir / "loc-books-1000.mrc")[:6]
    broken = b"99999" + good[3][5:]  # claims to run far beyond its end-of-record mark
    path = tmp_path / "mixed.mrc"
    path.write_bytes(b"".join(good[:3]) + broken + b"\n" + b"".join(good[3:]) + b"  \n")

    result = import_marc(source=path, actor=None)

    assert (result.created, result.rejected) == (6, 1)
    assert result.rejections[0][0] == 4
    assert "does not match the record" in result.rejections[0][2]
    assert report_lines(result)[1][2] == str(sum(len(c) for c in good[:3]))


def test_marcxml_files_import(marc_dir):
    batch = import_marc(source=PYMARC / "batch.xml", actor=None)
    single = import_marc(source=PYMARC / "utf8.xml", actor=None)

    assert (batch.created, batch.rejected) == (2, 0)
    assert (single.created, single.rejected) == (1, 0)
    assert set(Record.objects.values_list("title", flat=True)) == {
        "The Great Ray Charles",
        "The White House",
        "Zen Classics",
    }
    record = Record.objects.get(control_number="5637241")
    assert pymarc.Record(bytes(record.marc)).leader[9] == "a"


def test_a_broken_xml_file_is_rejected_with_a_reason_and_nothing_is_imported(marc_dir, tmp_path):
    path = tmp_path / "cut.xml"
    text = (PYMARC / "batch.xml").read_bytes()
    path.write_bytes(text[: len(text) - 300])

    result = import_marc(source=path, actor=None)

    assert (result.created, result.rejected) == (0, 1)
    assert "not well-formed XML" in result.rejections[0][2]
    assert not Record.objects.exists()


def test_the_format_comes_from_the_content_not_the_file_name(marc_dir, tmp_path):
    xml_named_mrc = tmp_path / "records.mrc"
    xml_named_mrc.write_bytes((PYMARC / "batch.xml").read_bytes())
    iso_named_xml = tmp_path / "records.xml"
    iso_named_xml.write_bytes((PYMARC / "one.dat").read_bytes())

    assert import_marc(source=xml_named_mrc, actor=None).created == 2
    assert import_marc(source=iso_named_xml, actor=None).created == 1
    assert detect_format(io.BytesIO(b'\xef\xbb\xbf<?xml version="1.0"?>\n<marc:collection>')) == "marcxml"
    assert detect_format(io.BytesIO(b"{}")) is None


def test_a_file_that_is_not_marc_is_rejected_whole(marc_dir):
    result = import_marc(source=PYMARC / "batch.json", actor=None)

    assert (result.created, result.rejected) == (0, 1)
    assert result.rejections == [(0, "", "the file is neither ISO 2709 MARC nor MARCXML")]


def test_a_binary_file_object_imports_like_a_path(marc_dir):
    with open(PYMARC / "marc.dat", "rb") as stream:
        result = import_marc(source=io.BytesIO(stream.read()), actor=None)
    assert (result.created, result.rejected) == (20, 0)


def test_a_record_marked_marc8_whose_text_is_utf8_is_read_as_utf8(marc_dir):
    result = import_marc(source=PYMARC / "utf8_without_leader_flag.dat", actor=None)

    assert result.created == 1
    assert "Translation of De la solitude à la communauté." in Record.objects.get().notes


def test_progress_is_reported_after_each_batch(marc_dir):
    calls = []
    import_marc(source=marc_dir / "loc-books-1000.mrc", actor=None, batch_size=300, progress=calls.append)
    assert calls == [300, 600, 900, 1000]


def test_a_record_the_database_refuses_is_rejected_alone(marc_dir, tmp_path, monkeypatch):
    from pustaka.catalog import importer

    real = importer.pipeline.map_fields

    def one_bad_year(leader, fields, **kwargs):
        columns = real(leader, fields, **kwargs)
        if columns["control_number"] == "00000004":
            columns["year"] = -1899  # the column refuses negative years
        return columns

    monkeypatch.setattr(importer.pipeline, "map_fields", one_bad_year)  # where the import looks it up
    path = tmp_path / "five.mrc"
    path.write_bytes(b"".join(chunks(marc_dir / "loc-books-1000.mrc")[:5]))

    result = import_marc(source=path, actor=None)

    assert (result.created, result.rejected) == (4, 1)
    assert result.rejections[0][:2] == (2, "00000004")
    assert "database refused" in result.rejections[0][2]
    assert not Record.objects.filter(control_number="00000004").exists()
    assert AuditEvent.objects.filter(verb="catalog.record.import").count() == 4


def test_technician_cannot_import_marc_and_nothing_is_written(marc_dir, technician):
    with pytest.raises(PermissionDenied):
        import_marc(source=marc_dir / "loc-books-1000.mrc", actor=technician)
    assert not Record.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not ChangeLog.objects.exists()


def test_librarian_imports_marc_and_the_audit_trail_names_her(marc_dir, librarian):
    result = import_marc(source=PYMARC / "marc.dat", actor=librarian)

    assert result.created == 20
    assert AuditEvent.objects.filter(actor=librarian, verb="catalog.record.import").count() == 20


def test_the_fast_reader_gives_the_same_records_and_columns_as_pymarc(marc_dir):
    for chunk in chunks(marc_dir / "loc-books-1000.mrc") + chunks(marc_dir / "loc-books-nonascii-500.mrc"):
        ours, _odd = _decode_utf8(chunk)
        theirs = pymarc.Record(chunk, to_unicode=True, force_utf8=True)
        leader, fields, raw = decode_iso2709(chunk)
        assert raw == chunk
        assert map_fields(leader, fields, call_number_rule="indonesian") == fields_from_marc(
            theirs, call_number_rule="indonesian"
        )
        assert str(ours.leader) == str(theirs.leader)
        assert [(f.tag, f.data, f.indicators, f.subfields) for f in ours.fields] == [
            (f.tag, f.data, f.indicators, f.subfields) for f in theirs.fields
        ]
        assert ours.as_marc() == theirs.as_marc() == chunk


def test_the_import_command_prints_the_counts_and_the_report(marc_dir, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    report = tmp_path / "rejected.tsv"

    call_command(
        "import_marc",
        str(PYMARC / "bad_records.mrc"),
        str(PYMARC / "marc.dat"),
        report=str(report),
        stdout=out,
        stderr=err,
    )

    text = out.getvalue()
    assert "bad_records.mrc: created 2, updated 0, rejected 7" in text
    assert "marc.dat: created 20, updated 0, rejected 0" in text
    assert "Total: created 22, updated 0, rejected 7" in text
    assert str(report) in text
    assert len(report.read_text().splitlines()) == 8


def test_the_import_command_refuses_a_missing_file_with_a_clear_message(marc_dir, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_marc", str(tmp_path / "nothing.mrc"), stdout=io.StringIO())
    assert not Record.objects.exists()


def test_reading_in_a_second_process_imports_and_rejects_the_same_records(marc_dir, tmp_path):
    path = tmp_path / "mixed.mrc"
    path.write_bytes((marc_dir / "loc-books-1000.mrc").read_bytes() + (PYMARC / "bad_records.mrc").read_bytes())
    calls = []

    result = import_marc(source=path, actor=None, processes=2, batch_size=400, progress=calls.append)

    assert (result.created, result.updated, result.rejected) == (1002, 0, 7)
    assert [r[0] for r in result.rejections] == [1002, 1003, 1004, 1005, 1006, 1007, 1009]
    assert "lies outside the record" in result.rejections[0][2]
    assert calls == [400, 800, 1009]
    assert Record.objects.get(control_number="00000002").title == "Botanical materia medica and pharmacology"

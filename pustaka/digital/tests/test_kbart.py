"""KBART holdings: good rows make e-journal records and resources, bad rows are rejected with reasons."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from pustaka.catalog.models import Record
from pustaka.core.errors import PermissionDenied
from pustaka.digital.actions.collections import create_collection
from pustaka.digital.actions.kbart import import_kbart
from pustaka.digital.errors_ingest import KbartFileError
from pustaka.digital.models import DigitalResource
from pustaka.search.models import ChangeLog

KBART = Path(__file__).resolve().parent / "data" / "kbart-teknik.txt"


def test_good_rows_create_ejournal_records_with_coverage_and_links(it_manager):
    collection = create_collection(actor=it_manager, code="jurnal-teknik", name="Koleksi Jurnal Teknik")
    result = import_kbart(source=KBART, actor=it_manager, collection=collection)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    sipil = Record.objects.get(issn="0852-1298")
    assert sipil.material_type == "ejournal"
    assert sipil.publisher == "Institut Teknologi Bandung"
    assert "2502-3357" in sipil.notes
    resource = sipil.digital_resources.get()
    assert resource.kind == "ejournal"
    assert resource.remote_url == "https://journals.example.ac.id/jts"
    assert resource.coverage_start == datetime.date(2010, 1, 1)
    assert resource.coverage_end is None
    assert list(resource.collections.all()) == [collection]
    elektro = DigitalResource.objects.get(record__issn="1410-9743")
    assert elektro.coverage_end == datetime.date(2023, 6, 30)
    assert elektro.embargo == "R1Y" and "vol. 9 no. 2" in elektro.coverage_note
    mesin = Record.objects.get(issn="2338-0101")  # matched by its online identifier alone
    assert mesin.digital_resources.get().coverage_start == datetime.date(2012, 3, 1)
    assert ChangeLog.objects.filter(record_id=sipil.pk).exists()


def test_bad_rows_are_rejected_with_their_line_and_reason(it_manager):
    result = import_kbart(source=KBART, actor=it_manager)
    reasons = {line: reason for line, _title, reason in result.rejected}
    assert sorted(reasons) == [5, 6, 7, 8, 9]
    assert "title_url" in reasons[5]
    assert "“1234-5678” is not a valid ISSN" in reasons[6]
    assert "ends before it starts" in reasons[7]
    assert "publication_title is empty" in reasons[8]
    assert "“2019-13” is not a date" in reasons[9]
    assert not Record.objects.filter(title__in=["Jurnal ISSN Salah", "Jurnal Tanpa Tautan"]).exists()


def test_importing_again_updates_an_existing_record_instead_of_duplicating(it_manager):
    import_kbart(source=KBART, actor=it_manager)
    changed = KBART.read_text().replace("2023-06\t9\t2", "2024-12\t10\t4")
    again = import_kbart(source=io.BytesIO(changed.encode()), actor=it_manager)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert Record.objects.filter(issn="1410-9743").count() == 1
    assert DigitalResource.objects.get(record__issn="1410-9743").coverage_end == datetime.date(2024, 12, 31)


def test_a_row_matches_a_record_catalogued_before(it_manager, record):
    from pustaka.catalog.actions import update_record

    update_record(record=record, actor=it_manager, issn="2502-3357", material_type="ejournal")
    import_kbart(source=KBART, actor=it_manager)
    assert record.digital_resources.get().remote_url == "https://journals.example.ac.id/jts"


def test_a_file_without_kbart_columns_is_refused(it_manager):
    with pytest.raises(KbartFileError) as caught:
        import_kbart(source=io.BytesIO(b"title,issn\nA,1234\n"), actor=it_manager)
    assert "publication_title" in str(caught.value)
    with pytest.raises(KbartFileError):
        import_kbart(source=io.BytesIO(b"\xff\xfe\x00t\x00i"), actor=it_manager)


@pytest.mark.parametrize("role", ["librarian", "technician", "circulation"])
def test_staff_without_digital_rights_cannot_import_kbart(make_staff, role):
    with pytest.raises(PermissionDenied):
        import_kbart(source=KBART, actor=make_staff(role))
    assert not DigitalResource.objects.exists()


def test_import_kbart_command_prints_counts_and_rejections(db, capsys):
    out = io.StringIO()
    call_command("import_kbart", str(KBART), stdout=out)
    text = out.getvalue()
    assert "kbart-teknik.txt: created 3, updated 0, unchanged 0, rejected 5" in text
    assert "rejected line 6 (Jurnal ISSN Salah)" in text

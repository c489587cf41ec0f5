"""``pustaka ingest PATH...``: folders walked recursively, counts of created, duplicate and refused."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from pustaka.catalog.models import Record
from pustaka.digital.models import StoredFile

from .conftest import ebook


def test_ingest_a_folder_prints_created_duplicate_and_refused_with_reasons(db, work_dir):
    sub = work_dir / "more"
    sub.mkdir()
    shutil.copyfile(ebook("eng.epub"), work_dir / "eng.epub")
    shutil.copyfile(ebook("eng.epub"), sub / "copy-of-eng.epub")
    shutil.copyfile(ebook("invalid.epub"), sub / "invalid.epub")
    shutil.copyfile(ebook("encrypted-file.pdf"), sub / "encrypted.pdf")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 file was refused"):  # pustaka ingest exits 1
        call_command("ingest", str(work_dir), stdout=out)
    text = out.getvalue()
    assert "Created 2, duplicate 1, refused 1." in text
    assert "refused    " in text and "The EPUB is damaged: the reading order (spine)" in text
    assert "warning: The PDF is encrypted" in text
    assert Record.objects.filter(title="Quick Start Guide").count() == 1


def test_ingest_attaches_to_a_given_record(db, record):
    out = io.StringIO()
    call_command("ingest", str(ebook("box.pdf")), "--record", str(record.pk), stdout=out)
    assert f"→ #{record.pk}" in out.getvalue()
    assert record.digital_resources.get().files.get().file.mime_type == "application/pdf"
    assert Record.objects.count() == 1


def test_ingest_refuses_an_unknown_record_or_path(db, tmp_path):
    with pytest.raises(CommandError, match="id 999999"):
        call_command("ingest", str(ebook("box.pdf")), "--record", "999999")
    with pytest.raises(CommandError, match="no such file"):
        call_command("ingest", str(tmp_path / "nothing-here"))
    assert not StoredFile.objects.exists()


def test_ingesting_a_missing_file_again_repairs_it_and_says_so(db, files_dir):
    from pustaka.digital.actions.ingest import ingest_file

    stored = ingest_file(source=ebook("box.pdf"), original_name="box.pdf", actor=None).file
    (files_dir / stored.relative_path).unlink()
    StoredFile.objects.filter(pk=stored.pk).update(state="missing")
    out = io.StringIO()
    call_command("ingest", str(ebook("box.pdf")), stdout=out)
    assert "duplicate  " in out.getvalue()
    restored = "warning: The stored copy of this file was missing or damaged; this upload has restored it."
    assert restored in out.getvalue()
    stored.refresh_from_db()
    assert stored.state == "ok" and (files_dir / stored.relative_path).exists()

"""Ingest: real e-books and PDFs in, damaged ones refused with the reason, duplicates by hash."""

import hashlib

import pytest

from pustaka.catalog.models import Record
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.digital.actions.ingest import ingest_file, store_file
from pustaka.digital.errors_ingest import (
    DamagedArchive,
    DamagedEpub,
    DamagedPdf,
    EmptyFile,
    FileTooLarge,
    FileTypeNotAllowed,
)
from pustaka.digital.models import DigitalResource, ResourceFile, StoredFile
from pustaka.search.models import ChangeLog

from .conftest import ebook

VALID = [
    # name, PRONOM id, MIME type, pages, title
    ("childrens-literature.epub", "fmt/483", "application/epub+zip", None, "Children's Literature"),
    ("eng.epub", "fmt/483", "application/epub+zip", None, "Quick Start Guide"),
    ("fra.epub", "fmt/483", "application/epub+zip", None, "Guide de démarrage rapide"),
    ("tur.epub", "fmt/483", "application/epub+zip", None, "Hızlı başlangıç Kılavuzu"),
    ("metadata.pdf", "fmt/19", "application/pdf", 1, "The Title"),
    ("Seige_of_Vicksburg_Sample_OCR.pdf", "fmt/19", "application/pdf", 6, "Seige of Vicksburg Sample OCR"),
    ("multilang.pdf", "fmt/19", "application/pdf", 1, "multilang"),
    ("box.pdf", "fmt/19", "application/pdf", 1, "box"),
]


@pytest.mark.parametrize(("name", "puid", "mime", "pages", "title"), VALID)
def test_it_manager_ingests_a_real_file_into_a_new_record(it_manager, name, puid, mime, pages, title, files_dir):
    path = ebook(name)
    result = ingest_file(source=path, original_name=name, actor=it_manager)
    assert result.outcome == "created"
    stored = result.file
    assert stored.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (stored.pronom_id, stored.mime_type, stored.page_count) == (puid, mime, pages)
    assert stored.size == path.stat().st_size
    assert (files_dir / stored.relative_path).read_bytes() == path.read_bytes()
    assert result.record.title == title
    assert result.resource.kind == "ebook"
    assert result.record.material_type == "ebook"
    assert ChangeLog.objects.filter(record_id=result.record.pk).exists()
    assert AuditEvent.objects.filter(verb="digital.file.ingest", object_id=str(stored.pk)).exists()


def test_epub_metadata_prefills_authors_language_subjects_and_cover(it_manager, files_dir):
    result = ingest_file(source=ebook("childrens-literature.epub"), original_name="c.epub", actor=it_manager)
    record = result.record
    assert record.subtitle == "A Textbook of Sources for Teachers and Teacher-Training Classes"
    assert [c["name"] for c in record.contributors] == ["Charles Madison Curry", "Erle Elsworth Clippinger"]
    assert record.language == "eng"
    assert record.year == 2008
    assert "Children -- Books and reading" in record.subjects
    cover = ResourceFile.objects.get(resource=result.resource, role="cover").file
    assert cover.mime_type == "image/png"
    assert (files_dir / cover.relative_path).exists()


def test_epub_publisher_and_turkish_language_are_read(it_manager):
    record = ingest_file(source=ebook("tur.epub"), original_name="tur.epub", actor=it_manager).record
    assert record.publisher == "Bahri Can GÖÇMEN"
    assert record.language == "tur"


def test_pdf_info_gives_title_author_and_summary(it_manager):
    result = ingest_file(source=ebook("metadata.pdf"), original_name="metadata.pdf", actor=it_manager)
    assert result.record.contributors == [{"name": "Martin Thoma", "role": "author"}]
    assert result.record.summary == "The Subject"
    assert result.record.extent == "1 online resource (1 pages)"


def test_encrypted_pdf_is_accepted_but_marked_with_a_warning(it_manager):
    result = ingest_file(source=ebook("encrypted-file.pdf"), original_name="secret.pdf", actor=it_manager)
    assert result.outcome == "created"
    assert result.file.is_encrypted is True
    assert result.file.page_count is None
    assert any("encrypted" in w for w in result.warnings)
    assert result.record.title == "secret"


def test_invalid_epub_is_refused_with_the_reason_and_nothing_is_kept(it_manager, files_dir):
    with pytest.raises(DamagedEpub) as caught:
        ingest_file(source=ebook("invalid.epub"), original_name="invalid.epub", actor=it_manager)
    assert "spine" in str(caught.value) and "“cover”" in str(caught.value)
    assert not StoredFile.objects.exists() and not Record.objects.exists()
    assert not [p for p in files_dir.rglob("*") if p.is_file()]


def test_an_epub_that_is_not_a_zip_is_refused(it_manager, work_dir):
    bad = work_dir / "broken.epub"
    data = ebook("eng.epub").read_bytes()
    bad.write_bytes(data[: len(data) // 2])  # the central directory is gone
    with pytest.raises((DamagedEpub, DamagedArchive)) as caught:
        ingest_file(source=bad, original_name="broken.epub", actor=it_manager)
    assert not StoredFile.objects.exists()
    assert "damaged" in str(caught.value)


def test_a_truncated_pdf_is_refused_as_damaged(it_manager, work_dir):
    bad = work_dir / "cut.pdf"
    bad.write_bytes(ebook("Seige_of_Vicksburg_Sample_OCR.pdf").read_bytes()[:100_000])
    with pytest.raises(DamagedPdf) as caught:
        ingest_file(source=bad, original_name="cut.pdf", actor=it_manager)
    assert str(caught.value).startswith("The PDF is damaged: ")
    assert not StoredFile.objects.exists()


def test_a_pdf_with_an_end_marker_but_garbage_inside_is_refused(it_manager, work_dir):
    bad = work_dir / "garbage.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not a pdf at all\n%%EOF\n")
    with pytest.raises(DamagedPdf):
        ingest_file(source=bad, original_name="garbage.pdf", actor=it_manager)


def test_the_same_bytes_twice_are_a_duplicate_linked_to_the_existing_file(it_manager, copy_ebook):
    first = ingest_file(source=ebook("eng.epub"), original_name="eng.epub", actor=it_manager)
    again = ingest_file(source=copy_ebook("eng.epub", "other-name.epub"), original_name="other.epub", actor=it_manager)
    assert again.outcome == "duplicate"
    assert again.file.pk == first.file.pk
    assert again.record == first.record
    assert StoredFile.objects.filter(mime_type="application/epub+zip").count() == 1
    assert Record.objects.count() == 1


def test_a_duplicate_given_a_record_is_attached_to_it(it_manager, record):
    ingest_file(source=ebook("eng.epub"), original_name="eng.epub", actor=it_manager)
    again = ingest_file(source=ebook("eng.epub"), original_name="eng.epub", actor=it_manager, record=record)
    assert again.outcome == "duplicate"
    assert again.resource.record == record
    assert ResourceFile.objects.filter(file=again.file).count() == 2


def test_a_file_over_the_size_limit_is_refused(it_manager, settings, work_dir, files_dir):
    settings.PUSTAKA_MAX_FILE_MB = 1
    big = work_dir / "big.txt"
    big.write_bytes(b"a" * (1024 * 1024 + 1))
    with pytest.raises(FileTooLarge) as caught:
        store_file(source=big, original_name="big.txt", actor=it_manager)
    assert "1 MB" in str(caught.value)
    assert not [p for p in files_dir.rglob("*") if p.is_file()]


def test_an_empty_file_is_refused(it_manager, work_dir):
    empty = work_dir / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile):
        store_file(source=empty, original_name="empty.pdf", actor=it_manager)


def test_a_program_is_refused_for_an_ebook_but_accepted_for_software(it_manager, installer, record):
    with pytest.raises(FileTypeNotAllowed):
        ingest_file(source=installer, original_name="setup.exe", actor=it_manager, record=record, kind="ebook")
    result = ingest_file(source=installer, original_name="setup.exe", actor=it_manager, record=record, kind="software")
    assert result.file.pronom_id == "x-fmt/411"
    assert result.resource.kind == "software"


def test_an_unknown_type_is_refused_unless_software(it_manager, work_dir, record):
    blob = work_dir / "data.bin"
    blob.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(FileTypeNotAllowed):
        store_file(source=blob, original_name="data.bin", actor=it_manager)
    stored = store_file(source=blob, original_name="data.bin", actor=it_manager, kind="software")
    assert stored.file.mime_type == "application/octet-stream"


def test_a_name_with_dot_dot_never_leaves_the_store(it_manager, files_dir, tmp_path):
    result = store_file(source=ebook("box.pdf"), original_name="../../../../etc/passwd", actor=it_manager)
    assert result.file.original_name == "passwd"
    stored = files_dir / result.file.relative_path
    assert stored.resolve().is_relative_to(files_dir.resolve())
    assert not (tmp_path / "etc").exists()
    assert [p for p in files_dir.rglob("*") if p.is_file()] == [stored]


def test_a_pdf_named_epub_is_still_a_pdf(it_manager, copy_ebook):
    renamed = copy_ebook("metadata.pdf", "looks-like.epub")
    result = store_file(source=renamed, original_name="looks-like.epub", actor=it_manager)
    assert result.file.mime_type == "application/pdf"
    assert result.file.pronom_id == "fmt/19"


def test_ingest_into_an_existing_resource(it_manager, record):
    from pustaka.digital.actions.resources import create_resource

    resource = create_resource(record=record, kind="ebook", actor=it_manager)
    result = ingest_file(source=ebook("box.pdf"), original_name="box.pdf", actor=it_manager, resource=resource)
    assert result.resource == resource
    assert DigitalResource.objects.count() == 1


@pytest.mark.parametrize("role", ["librarian", "senior_technician", "technician", "circulation"])
def test_staff_without_the_ingest_permission_cannot_ingest(make_staff, role, files_dir):
    with pytest.raises(PermissionDenied):
        store_file(source=ebook("box.pdf"), original_name="box.pdf", actor=make_staff(role))
    assert not StoredFile.objects.exists()


def test_a_patron_cannot_ingest(patron_user):
    with pytest.raises(PermissionDenied):
        ingest_file(source=ebook("box.pdf"), original_name="box.pdf", actor=patron_user)


# Re-uploading the same bytes repairs a missing or damaged stored copy ------------------------------


@pytest.mark.parametrize("damage", ["missing", "changed"])
def test_uploading_the_same_bytes_again_repairs_the_stored_copy(it_manager, files_dir, damage):
    from pustaka.digital.actions.preservation import run_fixity
    from pustaka.digital.models import FixityCheck

    data = ebook("box.pdf").read_bytes()
    first = ingest_file(source=ebook("box.pdf"), original_name="box.pdf", actor=it_manager)
    stored = first.file
    path = files_dir / stored.relative_path
    path.chmod(0o644)
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(data[:-1] + b"X")
    run_fixity(actor=it_manager, files=[stored], notify=False)
    stored.refresh_from_db()
    assert stored.state == damage

    again = store_file(source=ebook("box.pdf"), original_name="box-lagi.pdf", actor=it_manager)
    assert again.duplicate and again.file.pk == stored.pk
    assert "this upload has restored it" in " ".join(again.warnings)
    stored.refresh_from_db()
    assert stored.state == "ok"
    assert path.read_bytes() == data
    restore = FixityCheck.objects.filter(file=stored).order_by("-id").first()
    assert restore.outcome == "ok" and restore.note == "restored from an uploaded copy"
    assert AuditEvent.objects.filter(verb="digital.file.restore", object_id=str(stored.pk)).count() == 1


def test_a_re_upload_of_an_intact_file_restores_nothing(it_manager):
    ingest_file(source=ebook("box.pdf"), original_name="box.pdf", actor=it_manager)
    again = store_file(source=ebook("box.pdf"), original_name="box.pdf", actor=it_manager)
    assert again.duplicate and len(again.warnings) == 1
    assert not AuditEvent.objects.filter(verb="digital.file.restore").exists()


def test_a_re_upload_by_someone_who_may_not_restore_only_warns(it_manager, make_staff, files_dir):
    from django.contrib.auth.models import Group, Permission

    stored = ingest_file(source=ebook("box.pdf"), original_name="box.pdf", actor=it_manager).file
    (files_dir / stored.relative_path).unlink()
    StoredFile.objects.filter(pk=stored.pk).update(state="missing")
    uploader = make_staff("technician", "pengunggah")
    group = Group.objects.create(name="pengunggah-saja")
    group.permissions.set(Permission.objects.filter(codename="ingest_file"))
    uploader.groups.set([group])
    again = store_file(source=ebook("box.pdf"), original_name="box.pdf", actor=uploader)
    assert "someone who may run fixity checks can restore it" in " ".join(again.warnings)
    stored.refresh_from_db()
    assert stored.state == "missing" and not (files_dir / stored.relative_path).exists()

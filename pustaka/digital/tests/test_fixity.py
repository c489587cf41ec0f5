"""Fixity: re-hashing stored files finds damaged and missing files, records each check, reports them."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.digital import fixity
from pustaka.digital.actions.preservation import restore_file, run_fixity
from pustaka.digital.choices import CheckOutcome, FileState
from pustaka.digital.errors_preservation import ReplacementMismatch
from pustaka.digital.models import FixityCheck, StoredFile

from .preservation_fixtures import *  # noqa: F403
from .preservation_fixtures import flip_a_byte, path_of

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 50
EPUB = b"PK\x03\x04" + b"mimetypeapplication/epub+zip" * 300


def test_sha256_of_matches_hashlib_for_files_larger_than_the_buffer(tmp_path):
    data = bytes(range(256)) * (fixity.BUFFER_SIZE // 256 * 3 + 7)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert fixity.sha256_of(path) == (hashlib.sha256(data).hexdigest(), len(data))


def test_intact_files_are_recorded_as_checked_and_ok(make_stored_file, it_manager):
    a, b = make_stored_file(PDF), make_stored_file(EPUB, name="buku.epub")

    run = run_fixity(actor=it_manager)

    assert (run.checked, run.ok, run.changed, run.missing) == (2, 2, 0, 0)
    assert run.bytes == len(PDF) + len(EPUB)
    for stored in (a, b):
        stored.refresh_from_db()
        assert stored.state == FileState.OK
        assert stored.last_checked_at is not None
        check = FixityCheck.objects.get(file=stored)
        assert (check.outcome, check.found_sha256) == (CheckOutcome.OK, stored.sha256)
    event = AuditEvent.objects.get(verb="digital.fixity.run")
    assert event.after["checked"] == 2 and event.after["problems"] == []


def test_a_flipped_byte_is_found_recorded_and_emailed_to_the_it_managers(
    make_stored_file, it_manager_with_email, mailoutbox, django_capture_on_commit_callbacks
):
    good, bad = make_stored_file(PDF), make_stored_file(EPUB, name="rusak.epub")
    flip_a_byte(bad)
    damaged_hash = hashlib.sha256(path_of(bad).read_bytes()).hexdigest()

    with django_capture_on_commit_callbacks(execute=True):
        run = run_fixity(actor=None)

    assert (run.ok, run.changed) == (1, 1)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.state == FileState.CHANGED and good.state == FileState.OK
    check = FixityCheck.objects.get(file=bad)
    assert check.outcome == CheckOutcome.CHANGED
    assert check.found_sha256 == damaged_hash != bad.sha256
    assert AuditEvent.objects.filter(verb="digital.file.state", object_id=str(bad.pk)).exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["it@perpustakaan.example"]
    assert bad.sha256 in mail.body and "rusak.epub" in mail.body


def test_a_missing_file_is_found_and_recorded(
    make_stored_file, it_manager_with_email, mailoutbox, django_capture_on_commit_callbacks
):
    gone = make_stored_file(PDF, name="hilang.pdf")
    path_of(gone).unlink()

    with django_capture_on_commit_callbacks(execute=True):
        run = run_fixity(actor=it_manager_with_email)

    assert run.missing == 1
    gone.refresh_from_db()
    assert gone.state == FileState.MISSING
    check = FixityCheck.objects.get(file=gone)
    assert (check.outcome, check.found_sha256) == (CheckOutcome.MISSING, "")
    assert len(mailoutbox) == 1 and "hilang.pdf" in mailoutbox[0].body


def test_no_email_when_every_file_is_intact(
    make_stored_file, it_manager_with_email, mailoutbox, django_capture_on_commit_callbacks
):
    make_stored_file(PDF)
    with django_capture_on_commit_callbacks(execute=True):
        run_fixity(actor=None)
    assert mailoutbox == []


def test_a_file_put_back_is_intact_again_at_the_next_check(make_stored_file):
    stored = make_stored_file(PDF)
    path_of(stored).rename(path_of(stored).with_suffix(".away"))
    run_fixity(actor=None)
    path_of(stored).with_suffix(".away").rename(path_of(stored))
    run_fixity(actor=None)
    stored.refresh_from_db()
    assert stored.state == FileState.OK
    assert list(stored.fixity_checks.values_list("outcome", flat=True)) == [CheckOutcome.OK, CheckOutcome.MISSING]


def test_only_files_not_checked_recently_and_at_most_the_limit(make_stored_file):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    recent = make_stored_file(b"recent", last_checked_at=now - timedelta(days=2))
    old = make_stored_file(b"old", last_checked_at=now - timedelta(days=40))
    never = make_stored_file(b"never")

    run = run_fixity(actor=None, not_checked_days=30, limit=1)
    assert run.checked == 1
    assert FixityCheck.objects.get().file == never  # never checked comes first

    run = run_fixity(actor=None, not_checked_days=30)
    assert run.checked == 1
    assert set(FixityCheck.objects.values_list("file_id", flat=True)) == {never.pk, old.pk}
    assert not recent.fixity_checks.exists()


@pytest.mark.parametrize("role", ["librarian", "technician", "circulation", "senior_technician"])
def test_roles_without_the_permission_cannot_run_fixity(make_staff, make_stored_file, role):
    make_stored_file(PDF)
    with pytest.raises(PermissionDenied):
        run_fixity(actor=make_staff(role))
    assert not FixityCheck.objects.exists()


def test_patron_cannot_run_fixity(patron_user, make_stored_file):
    make_stored_file(PDF)
    with pytest.raises(PermissionDenied):
        run_fixity(actor=patron_user)


# Restoring a damaged file from a re-upload.


def test_a_damaged_file_is_restored_from_an_identical_upload(make_stored_file, it_manager):
    stored = make_stored_file(PDF)
    flip_a_byte(stored)
    run_fixity(actor=None)

    check = restore_file(stored_file=stored, upload=io.BytesIO(PDF), actor=it_manager)

    assert path_of(stored).read_bytes() == PDF
    stored.refresh_from_db()
    assert stored.state == FileState.OK
    assert check.outcome == CheckOutcome.OK and check.found_sha256 == stored.sha256
    assert AuditEvent.objects.filter(verb="digital.file.restore", actor=it_manager).exists()
    assert not list(path_of(stored).parent.glob(".*"))  # no temporary file left behind


def test_a_missing_file_is_restored_from_an_identical_upload(make_stored_file, it_manager):
    stored = make_stored_file(EPUB)
    path_of(stored).unlink()
    restore_file(stored_file=stored, upload=io.BytesIO(EPUB), actor=it_manager)
    assert path_of(stored).read_bytes() == EPUB


def test_an_upload_with_another_hash_is_refused_and_nothing_changes(make_stored_file, it_manager):
    stored = make_stored_file(PDF)
    flip_a_byte(stored)
    run_fixity(actor=None)
    damaged = path_of(stored).read_bytes()
    checks = FixityCheck.objects.count()

    other = PDF + b"new edition"
    with pytest.raises(ReplacementMismatch) as refused:
        restore_file(stored_file=stored, upload=io.BytesIO(other), actor=it_manager)

    assert hashlib.sha256(other).hexdigest() in str(refused.value)
    assert stored.sha256 in str(refused.value)
    assert path_of(stored).read_bytes() == damaged
    stored.refresh_from_db()
    assert stored.state == FileState.CHANGED
    assert FixityCheck.objects.count() == checks
    assert not list(path_of(stored).parent.glob(".*"))


def test_a_librarian_cannot_restore_a_file(make_stored_file, librarian):
    stored = make_stored_file(PDF)
    path_of(stored).unlink()
    with pytest.raises(PermissionDenied):
        restore_file(stored_file=stored, upload=io.BytesIO(PDF), actor=librarian)
    assert not path_of(stored).exists()


# The command.


def test_fixity_command_prints_a_summary(make_stored_file):
    make_stored_file(PDF)
    out = io.StringIO()
    call_command("fixity", stdout=out)
    assert "Checked 1 file " in out.getvalue()
    assert "1 intact, 0 changed, 0 missing" in out.getvalue()


def test_fixity_command_lists_problems_and_fails(make_stored_file):
    stored = make_stored_file(PDF, name="rusak.pdf")
    flip_a_byte(stored)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("fixity", "--no-email", stdout=out)
    assert "changed" in out.getvalue() and stored.sha256 in out.getvalue() and "rusak.pdf" in out.getvalue()


def test_fixity_command_checks_one_file_and_refuses_an_unknown_hash(make_stored_file):
    a = make_stored_file(PDF)
    make_stored_file(EPUB)
    call_command("fixity", "--file", a.sha256, stdout=io.StringIO())
    assert list(FixityCheck.objects.values_list("file_id", flat=True)) == [a.pk]
    with pytest.raises(CommandError, match="0" * 64):
        call_command("fixity", "--file", "0" * 64, stdout=io.StringIO())


def test_fixity_command_refuses_a_negative_limit():
    with pytest.raises(CommandError, match="--limit"):
        call_command("fixity", "--limit", "-1", stdout=io.StringIO())


def test_the_nightly_job_checks_files_due(make_stored_file):
    from pustaka.digital.tasks import nightly_fixity

    make_stored_file(PDF)
    result = nightly_fixity.call_local()
    assert result["checked"] == 1
    assert StoredFile.objects.get().last_checked_at is not None

"""Digital preservation actions: fixity runs and restoring a damaged file from a re-upload.

A fixity run re-hashes stored files (outside any transaction: hashing 2 GB must not hold the database
write lock), then records the results in short transactions of :data:`BATCH` files: one
:class:`~pustaka.digital.models.FixityCheck` per file (a preservation event), the file's ``state`` and
``last_checked_at``, an audit event for every state change, and one audit event for the run. When a
file is missing or changed, the IT managers get an e-mail after the run commits.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pustaka.core.audit import audit
from pustaka.core.choices import Role
from pustaka.core.registry import action

from .. import check_messages, fixity
from ..choices import CheckOutcome, FileState
from ..errors_preservation import (
    NoReplacementGiven,
    ReplacementMismatch,
    ReplacementTooLarge,
    StoreNotWritable,
)
from ..models import FixityCheck, StoredFile
from ..queries_preservation import FIXITY_RUN_VERB, file_path, files_due
from ..storage import LocalFileStore, Spooled, get_store

__all__ = ["FixityRun", "record_fixity_results", "restore_file", "run_fixity"]

BATCH = 200
MAX_PROBLEMS_LISTED = 100
STATE_FOR_OUTCOME = {
    CheckOutcome.OK: FileState.OK,
    CheckOutcome.CHANGED: FileState.CHANGED,
    CheckOutcome.MISSING: FileState.MISSING,
}  # an unreadable file (``error``) keeps its state; the run reports it


@dataclass
class FixityRun:
    """What a fixity run found: counts by outcome, bytes hashed, time taken and the problem files."""

    checked: int = 0
    ok: int = 0
    changed: int = 0
    missing: int = 0
    errors: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[dict] = field(default_factory=list)

    @property
    def has_problems(self) -> bool:
        return bool(self.changed or self.missing or self.errors)

    @property
    def mb_per_second(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "checked": self.checked,
            "ok": self.ok,
            "changed": self.changed,
            "missing": self.missing,
            "errors": self.errors,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "problems": self.problems[:MAX_PROBLEMS_LISTED],
        }


@action("digital.file.state", permission="digital.run_fixity", label=gettext_lazy("File state changed"))
def record_fixity_results(
    *, results: list[fixity.FixityResult], actor, run: FixityRun | None = None
) -> list[FixityCheck]:
    """Record re-hash results: a FixityCheck each, the file's state and last check time, audited changes."""
    now = timezone.now()
    by_id = {r.file_id: r for r in results}
    files = {f.pk: f for f in StoredFile.objects.select_for_update().filter(pk__in=by_id)}
    checks = []
    for file_id, result in by_id.items():
        stored = files.get(file_id)
        if stored is None:  # deleted while we hashed it
            continue
        checks.append(
            FixityCheck(
                file=stored,
                checked_at=now,
                outcome=result.outcome,
                found_sha256=result.found_sha256,
                note=result.note[:300],
            )
        )
        new_state = STATE_FOR_OUTCOME.get(result.outcome, stored.state)
        if new_state != stored.state:
            audit(
                actor,
                "digital.file.state",
                stored,
                before={"state": stored.state},
                after={"state": new_state, "found_sha256": result.found_sha256},
            )
        stored.state = new_state
        stored.last_checked_at = now
        if run is not None:
            run.checked += 1
            run.bytes += result.size
            if result.outcome == CheckOutcome.OK:
                run.ok += 1
            elif result.outcome == CheckOutcome.CHANGED:
                run.changed += 1
            elif result.outcome == CheckOutcome.MISSING:
                run.missing += 1
            else:
                run.errors += 1
            if result.is_problem:
                run.problems.append(
                    {
                        "file": stored.pk,
                        "sha256": stored.sha256,
                        "name": stored.original_name,
                        "outcome": result.outcome,
                        "found_sha256": result.found_sha256,
                        "note": result.note,
                    }
                )
    StoredFile.objects.bulk_update(list(files.values()), ["state", "last_checked_at"])
    FixityCheck.objects.bulk_create(checks)
    return checks


@action(FIXITY_RUN_VERB, permission="digital.run_fixity", label=gettext_lazy("Fixity check run"), atomic=False)
def run_fixity(
    *,
    actor,
    files=None,
    not_checked_days: int | None = None,
    limit: int | None = None,
    workers: int = fixity.DEFAULT_WORKERS,
    notify: bool = True,
) -> FixityRun:
    """Re-hash stored files and record what was found (``digital.run_fixity``; ``actor=None`` is the system).

    ``files`` (StoredFile rows or ids) checks exactly those; otherwise every file, or only those not
    checked in ``not_checked_days`` days, longest unchecked first, at most ``limit``. Hashing runs on
    ``workers`` threads outside any transaction; results are recorded in batches. Missing or changed
    files are e-mailed to the IT managers once the run is recorded (``notify=False`` skips the mail).
    """
    started = time.perf_counter()
    if files is None:
        queryset = files_due(not_checked_days=not_checked_days, limit=limit)
    else:
        ids = [f.pk if isinstance(f, StoredFile) else int(f) for f in files]
        queryset = StoredFile.objects.filter(pk__in=ids).order_by("id")
    store = get_store()
    if isinstance(store, LocalFileStore):  # read files directly
        todo = [fixity.FileToCheck(f.pk, f.sha256, file_path(f)) for f in queryset]
    else:  # S3: stream each file through the store
        todo = [fixity.FileToCheck(f.pk, f.sha256, None, f.relative_path, store) for f in queryset]
    run = FixityRun()
    batch: list[fixity.FixityResult] = []
    for result in fixity.check_files(todo, workers=workers):
        batch.append(result)
        if len(batch) >= BATCH:
            record_fixity_results(results=batch, actor=actor, run=run)
            batch = []
    if batch:
        record_fixity_results(results=batch, actor=actor, run=run)
    run.seconds = time.perf_counter() - started
    _finish_run(run=run, actor=actor, notify=notify)
    return run


@transaction.atomic
def _finish_run(*, run: FixityRun, actor, notify: bool) -> None:
    audit(actor, FIXITY_RUN_VERB, None, after=run.as_dict())
    if notify and run.has_problems:
        problems = list(run.problems)
        transaction.on_commit(lambda: notify_it_managers(run=run, problems=problems))


def it_manager_addresses() -> list[str]:
    """E-mail addresses of active users with the IT manager role."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True, groups__name=Role.IT_MANAGER).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def notify_it_managers(*, run: FixityRun, problems: list[dict]) -> int:
    """Send the IT managers the list of missing or changed files (in the library's language)."""
    recipients = it_manager_addresses()
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        count = run.changed + run.missing + run.errors
        subject = ngettext(
            "Pustaka fixity check: %(count)s file missing or damaged",
            "Pustaka fixity check: %(count)s files missing or damaged",
            count,
        ) % {"count": count}
        lines = [
            _("The fixity check found problems with stored files."),
            _(
                "Checked: %(checked)s, intact: %(ok)s, changed: %(changed)s, missing: %(missing)s, "
                "unreadable: %(errors)s."
            )
            % run.as_dict(),
            "",
        ]
        labels = {k: str(v) for k, v in CheckOutcome.choices}
        for problem in problems[:MAX_PROBLEMS_LISTED]:
            label = labels.get(problem["outcome"], problem["outcome"])
            lines.append(f"- {label}: {problem['name'] or '—'} ({problem['sha256']})")
        lines += ["", _("Restore a damaged file from an identical copy on the file's page (staff › Digital library).")]
    return send_mail(subject, "\n".join(lines), None, recipients, fail_silently=True)


def _chunks(upload):
    if hasattr(upload, "chunks"):
        yield from upload.chunks(fixity.BUFFER_SIZE)
        return
    while True:
        block = upload.read(fixity.BUFFER_SIZE)
        if not block:
            return
        yield block


@action("digital.file.restore", permission="digital.run_fixity", label=gettext_lazy("File restored"))
def restore_file(*, stored_file: StoredFile, upload, actor) -> FixityCheck:
    """Put back a missing or damaged file from an uploaded copy with the same SHA-256.

    The upload is streamed into a temporary file beside the stored one and hashed on the way; a copy
    whose hash differs is refused (:class:`ReplacementMismatch`) and nothing changes. An identical copy
    replaces the stored bytes atomically (``os.replace`` after ``fsync``); the file is ``ok`` again and
    the restore is recorded as a fixity check and in the audit trail. Needs ``digital.run_fixity``.
    """
    if upload is None:
        raise NoReplacementGiven(field="upload")
    limit_mb = settings.PUSTAKA_MAX_FILE_MB
    size = getattr(upload, "size", None)
    if size is not None and size > limit_mb * 1024 * 1024:
        raise ReplacementTooLarge(field="upload", limit=limit_mb)
    locked = StoredFile.objects.select_for_update().get(pk=stored_file.pk)
    target = file_path(locked)
    temp = target.with_name(f".{locked.sha256}.restore-{secrets.token_hex(6)}")
    digest = hashlib.sha256()
    written = 0
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as out:
            for block in _chunks(upload):
                written += len(block)
                if written > limit_mb * 1024 * 1024:
                    raise ReplacementTooLarge(field="upload", limit=limit_mb)
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        found = digest.hexdigest()
        if found != locked.sha256:
            raise ReplacementMismatch(field="upload", found=found, expected=locked.sha256)
        store = get_store()
        if isinstance(store, LocalFileStore):
            os.chmod(temp, 0o444)
            os.replace(temp, target)
            _fsync_dir(target.parent)
        else:  # S3: replace the object (``put`` keeps an existing one, so remove the damaged one first)
            store.delete(locked.relative_path)
            store.put(Spooled(temp, found, written))
    except OSError as error:
        raise StoreNotWritable(error=error.strerror or str(error)) from error
    finally:
        if temp.exists():
            temp.unlink()
    before = {"state": locked.state}
    locked.state = FileState.OK
    locked.last_checked_at = timezone.now()
    locked.save(update_fields=["state", "last_checked_at"])
    check = FixityCheck.objects.create(
        file=locked,
        checked_at=locked.last_checked_at,
        outcome=CheckOutcome.OK,
        found_sha256=found,
        note=check_messages.RESTORED,
    )
    audit(actor, "digital.file.restore", locked, before=before, after={"state": FileState.OK, "bytes": written})
    return check


def _fsync_dir(path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - not every platform can open a directory
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

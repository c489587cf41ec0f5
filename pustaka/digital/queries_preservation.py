"""Reads of preservation (fixity, link checks) shared by pages, the API, commands and the dashboard."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from pustaka.core.models import AuditEvent

from .choices import CheckOutcome, FileState
from .models import DigitalResource, FixityCheck, LinkCheck, StoredFile

FIXITY_RUN_VERB = "digital.fixity.run"
LINK_RUN_VERB = "digital.linkcheck.run"
LINK_PROBLEMS = (CheckOutcome.BROKEN, CheckOutcome.ERROR)


def file_path(stored_file: StoredFile) -> Path:
    """Where the bytes of ``stored_file`` lie in the local store (``PUSTAKA_FILES_DIR / relative_path``).

    Built from the hash only (checked by the store), never from input.
    """
    from .storage import LocalFileStore

    return Path(LocalFileStore(settings.PUSTAKA_FILES_DIR).local_path(stored_file.relative_path))


def files_due(*, not_checked_days: int | None = None, limit: int | None = None) -> QuerySet:
    """Stored files to re-hash: never checked first, then the longest unchecked.

    ``not_checked_days`` keeps only files not checked in that many days; ``limit`` caps the count.
    """
    files = StoredFile.objects.only("id", "sha256", "size", "state", "last_checked_at")
    if not_checked_days is not None:
        since = timezone.now() - timedelta(days=not_checked_days)
        files = files.filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=since))
    files = files.order_by(F("last_checked_at").asc(nulls_first=True), "id")
    return files[:limit] if limit else files


def problem_files() -> QuerySet:
    """Files whose last fixity check found them missing or changed, with their resources."""
    return (
        StoredFile.objects.exclude(state=FileState.OK)
        .prefetch_related("uses__resource__record")
        .order_by("-last_checked_at", "-id")
    )


def fixity_checks() -> QuerySet:
    """Every fixity check with its file, newest first."""
    return FixityCheck.objects.select_related("file").order_by("-checked_at", "-id")


def link_checks() -> QuerySet:
    """Every link check with its resource and record, newest first."""
    return LinkCheck.objects.select_related("resource__record").order_by("-checked_at", "-id")


def last_run(verb: str) -> AuditEvent | None:
    """The audit event of the last fixity (or link-check) run, with its counts in ``after``."""
    return AuditEvent.objects.filter(verb=verb).order_by("-occurred_at", "-id").first()


def resources_with_links() -> QuerySet:
    """Active resources with a remote link (e-journals, databases and any other resource with a link)."""
    return DigitalResource.objects.filter(is_active=True).exclude(remote_url="").order_by("id")


def link_status(*, only_problems: bool = False, history: int = 5) -> list[DigitalResource]:
    """Resources with a remote link and their last ``history`` checks (``resource.recent_checks``).

    ``resource.last_check`` is the newest check (or None). With ``only_problems``, only resources whose
    newest check is broken or failed. Three queries whatever the number of resources.
    """
    newest = LinkCheck.objects.filter(resource=OuterRef("pk")).order_by("-checked_at", "-id")
    resources = (
        resources_with_links().select_related("record").annotate(last_outcome=Subquery(newest.values("outcome")[:1]))
    )
    if only_problems:
        resources = resources.filter(last_outcome__in=LINK_PROBLEMS)
    resources = list(resources)
    ids = [r.pk for r in resources]
    by_resource: dict[int, list[LinkCheck]] = {}
    if ids:
        # The newest ``history`` checks of each resource, in one query (window function).
        ranked = (
            LinkCheck.objects.filter(resource_id__in=ids)
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=[F("resource_id")], order_by=[F("checked_at").desc(), F("id").desc()]
                )
            )
            .filter(rank__lte=history)
            .order_by("resource_id", "rank")
        )
        for check in ranked:
            by_resource.setdefault(check.resource_id, []).append(check)
    for resource in resources:
        resource.recent_checks = by_resource.get(resource.pk, [])
        resource.last_check = resource.recent_checks[0] if resource.recent_checks else None
    return resources


def broken_link_count() -> int:
    """How many active resources' newest link check is broken or failed."""
    newest = LinkCheck.objects.filter(resource=OuterRef("pk")).order_by("-checked_at", "-id")
    return (
        resources_with_links()
        .annotate(last_outcome=Subquery(newest.values("outcome")[:1]))
        .filter(last_outcome__in=LINK_PROBLEMS)
        .count()
    )


def storage_summary() -> dict:
    """Counts for the dashboard: resources, files, bytes stored, files per state, unchecked files."""
    files = StoredFile.objects.aggregate(
        count=Count("id"),
        bytes=Sum("size"),
        missing=Count("id", filter=Q(state=FileState.MISSING)),
        changed=Count("id", filter=Q(state=FileState.CHANGED)),
        never_checked=Count("id", filter=Q(last_checked_at__isnull=True)),
    )
    resources = DigitalResource.objects.aggregate(
        count=Count("id"),
        active=Count("id", filter=Q(is_active=True)),
        with_links=Count("id", filter=Q(is_active=True) & ~Q(remote_url="")),
        with_files=Count("id", filter=Exists(StoredFile.objects.filter(uses__resource=OuterRef("pk")))),
    )
    return {"files": files, "resources": resources}


def recent_fixity_for(stored_file: StoredFile, limit: int = 20) -> list[FixityCheck]:
    """The last fixity checks of one file."""
    return list(FixityCheck.objects.filter(file=stored_file).order_by("-checked_at", "-id")[:limit])


def digital_panel() -> dict:
    """The small "Digital library" panel of the staff home page (IT managers): three numbers."""
    files = StoredFile.objects.aggregate(
        files=Count("id"), bytes=Sum("size"), damaged=Count("id", filter=~Q(state=FileState.OK))
    )
    return {**files, "bytes": files["bytes"] or 0, "broken_links": broken_link_count()}

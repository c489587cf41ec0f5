"""API: fixity checks (``/api/v1/fixity-checks``) and link checks (``/api/v1/link-checks``).

``note`` and ``error`` are stored codes (English); ``note_label`` and ``error_label`` say them in the
language asked for (``Accept-Language``).

IT managers (and administrators) only: reads need ``digital.view_fixitycheck`` /
``digital.view_linkcheck``; starting checks needs ``digital.run_fixity``. A patron or another staff
role gets 403. Writes go through :mod:`pustaka.digital.actions.preservation` and ``.linkcheck``.
"""

from datetime import datetime
from typing import Literal

from django.db import transaction
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core.api import (
    ERRORS,
    MAX_ID,
    InSchema,
    Pagination,
    QuerySchema,
    api,
    get_or_error,
    staff_endpoint,
)

from .. import queries_preservation as queries
from ..actions.linkcheck import check_resource_link
from ..actions.preservation import run_fixity
from ..check_messages import describe
from ..choices import CheckOutcome
from ..errors_preservation import ResourceNotFound, StoredFileNotFound, TooManyFiles
from ..models import DigitalResource, FixityCheck, LinkCheck, StoredFile

router = Router(tags=["preservation"])

SYNC_LIMIT = 20  # more files than this are checked by the worker
MAX_FILES = 10_000
OutcomeValue = Literal[("", *CheckOutcome.values)]


class FixityCheckOut(Schema):
    """One re-hash of a stored file and what it found."""

    id: int
    file_id: int
    sha256: str
    original_name: str
    checked_at: datetime
    outcome: str
    outcome_label: str
    found_sha256: str
    note: str
    note_label: str
    file_state: str

    @staticmethod
    def resolve_sha256(obj: FixityCheck) -> str:
        return obj.file.sha256

    @staticmethod
    def resolve_original_name(obj: FixityCheck) -> str:
        return obj.file.original_name

    @staticmethod
    def resolve_outcome_label(obj: FixityCheck) -> str:
        return str(CheckOutcome(obj.outcome).label)

    @staticmethod
    def resolve_note_label(obj: FixityCheck) -> str:
        return describe(obj.note)

    @staticmethod
    def resolve_file_state(obj: FixityCheck) -> str:
        return obj.file.state


class LinkCheckOut(Schema):
    """One check of a resource's remote link."""

    id: int
    resource_id: int
    resource: str
    url: str
    checked_at: datetime
    outcome: str
    outcome_label: str
    status_code: int | None
    final_url: str
    method: str
    redirects: list[list]
    elapsed_ms: int | None
    error: str
    error_label: str

    @staticmethod
    def resolve_resource(obj: LinkCheck) -> str:
        return str(obj.resource)

    @staticmethod
    def resolve_outcome_label(obj: LinkCheck) -> str:
        return str(CheckOutcome(obj.outcome).label)

    @staticmethod
    def resolve_error_label(obj: LinkCheck) -> str:
        return describe(obj.error)


class FixityFilters(QuerySchema):
    outcome: OutcomeValue = Field("", description="Only checks with this outcome (ok, changed, missing, error).")
    file: int | None = Field(None, ge=1, le=MAX_ID, description="Only checks of this stored file (id).")
    sha256: str = Field("", max_length=64, description="Only checks of the file with this SHA-256.")


class LinkFilters(QuerySchema):
    outcome: OutcomeValue = Field("", description="Only checks with this outcome (ok, broken, redirected, error).")
    resource: int | None = Field(None, ge=1, le=MAX_ID, description="Only checks of this resource (id).")


class FixityRunIn(InSchema):
    files: list[int] = Field(..., min_length=1, description="Ids of the stored files to re-hash now.")


class FixityRunOut(Schema):
    """A run done now (``queued`` false, with its counts and checks) or handed to the worker."""

    queued: bool
    files: int
    checked: int = 0
    ok: int = 0
    changed: int = 0
    missing: int = 0
    errors: int = 0
    checks: list[FixityCheckOut] = []


class LinkCheckIn(InSchema):
    resource: int = Field(..., ge=1, le=MAX_ID, description="The resource whose link to check now.")


@router.get("/fixity-checks", response={200: list[FixityCheckOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("digital.view_fixitycheck")
def list_fixity_checks(request, filters: Query[FixityFilters]):
    """IT managers (``digital.view_fixitycheck``): fixity checks, newest first."""
    checks = queries.fixity_checks()
    if filters.outcome:
        checks = checks.filter(outcome=filters.outcome)
    if filters.file:
        checks = checks.filter(file_id=filters.file)
    if filters.sha256:
        checks = checks.filter(file__sha256=filters.sha256.strip().lower())
    return checks


@router.post("/fixity-checks", response={200: FixityRunOut, 202: FixityRunOut, **ERRORS})
@staff_endpoint("digital.run_fixity")
def start_fixity(request, payload: FixityRunIn):
    """IT managers (``digital.run_fixity``): re-hash the given files. Up to 20 files are checked at once
    (200, with the checks); more are handed to the worker (202)."""
    ids = list(dict.fromkeys(payload.files))
    if len(ids) > MAX_FILES:
        raise TooManyFiles(field="files", limit=MAX_FILES)
    for file_id in ids:
        if not 0 < file_id <= MAX_ID:
            raise StoredFileNotFound(field="files", file=file_id)
    known = set(StoredFile.objects.filter(pk__in=ids).values_list("pk", flat=True))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise StoredFileNotFound(field="files", file=unknown[0])
    if len(ids) > SYNC_LIMIT:
        from ..tasks import fixity_files

        transaction.on_commit(lambda: fixity_files(ids, request.user.pk))
        return Status(202, FixityRunOut(queued=True, files=len(ids)))
    run = run_fixity(actor=request.user, files=ids)
    checks = list(queries.fixity_checks().filter(file_id__in=ids)[: len(ids)])
    return Status(200, FixityRunOut(queued=False, files=len(ids), checks=checks, **run.as_dict()))


@router.get("/link-checks", response={200: list[LinkCheckOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("digital.view_linkcheck")
def list_link_checks(request, filters: Query[LinkFilters]):
    """IT managers (``digital.view_linkcheck``): link checks, newest first."""
    checks = queries.link_checks()
    if filters.outcome:
        checks = checks.filter(outcome=filters.outcome)
    if filters.resource:
        checks = checks.filter(resource_id=filters.resource)
    return checks


@router.post("/link-checks", response={201: LinkCheckOut, **ERRORS})
@staff_endpoint("digital.run_fixity")
def check_link_now(request, payload: LinkCheckIn):
    """IT managers (``digital.run_fixity``): check one resource's remote link now."""
    resource = get_or_error(
        DigitalResource.objects.select_related("record"),
        ResourceNotFound,
        {"resource": payload.resource},
        pk=payload.resource,
    )
    check = check_resource_link(resource=resource, actor=request.user)
    return Status(201, queries.link_checks().get(pk=check.pk))


api.add_router("/", router)

"""API: stored files (``/api/v1/files``): upload (multipart), list, detail.

Staff only. Reads need ``digital.view_storedfile``; uploading needs ``digital.ingest_file`` (checked by
the action, with the resource and record rights when the file is attached or a record is created).
"""

from ninja import Field, File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.catalog.errors import RecordNotFound
from pustaka.catalog.models import Record
from pustaka.core.api import (
    ERRORS,
    InSchema,
    Pagination,
    QuerySchema,
    Schema,
    api,
    get_or_error,
    staff_endpoint,
)

from .. import queries_resources
from ..actions.ingest import ingest_file
from ..choices import FileRole, ResourceKind
from ..errors_ingest import ResourceNotFound, StoredFileNotFound
from ..models import DigitalResource
from .schemas import FileOut

router = Router(tags=["files"])


class FileFilters(QuerySchema):
    mime_type: str = Field("", max_length=100, description="Only files of this MIME type.")
    sha256: str = Field("", max_length=64, description="The file with this SHA-256 (hex).")
    encrypted: bool | None = Field(None, description="Only encrypted (or only unencrypted) files.")


class UploadIn(InSchema):
    record: int | None = Field(None, ge=1, description="Attach to a new resource of this record.")
    resource: int | None = Field(None, ge=1, description="Attach to this resource.")
    kind: ResourceKind | None = Field(None, description="The kind of resource (default: from the format).")
    role: FileRole | None = Field(
        None, description="What the file is to its resource (default: installer for software, else content)."
    )


class UploadOut(Schema):
    outcome: str
    warnings: list[str]
    file: FileOut
    record_id: int | None
    resource_id: int | None


@router.get("/files", response={200: list[FileOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("digital.view_storedfile")
def list_files(request, filters: Query[FileFilters]):
    """Staff with ``digital.view_storedfile``: stored files, newest first."""
    files = queries_resources.stored_files()
    if filters.mime_type:
        files = files.filter(mime_type=filters.mime_type.strip())
    if filters.sha256:
        files = files.filter(sha256=filters.sha256.strip().lower())
    if filters.encrypted is not None:
        files = files.filter(is_encrypted=filters.encrypted)
    return files.order_by("-created_at", "-id")


@router.get("/files/{file_id}", response={200: FileOut, **ERRORS})
@staff_endpoint("digital.view_storedfile")
def get_file(request, file_id: int):
    """Staff with ``digital.view_storedfile``: a file's hash, size, format (PRONOM, MIME), pages, metadata."""
    return get_or_error(queries_resources.stored_files(), StoredFileNotFound, {"id": file_id}, pk=file_id)


@router.post("/files", response={201: UploadOut, 200: UploadOut, **ERRORS})
@staff_endpoint("digital.ingest_file")
def upload_file(request, file: File[UploadedFile], details: Form[UploadIn]):
    """Staff with ``digital.ingest_file``: upload one file (multipart field ``file``).

    Without ``record`` or ``resource`` a new record is made from the file's metadata. The answer is 201
    with ``outcome: created``, or 200 with ``outcome: duplicate`` when the same bytes were already stored.
    A refused file (too large, wrong type, damaged) is a 400 with the reason.
    """
    record = resource = None
    if details.resource:
        resource = get_or_error(
            DigitalResource.objects.all(), ResourceNotFound, {"id": details.resource}, pk=details.resource
        )
    elif details.record:
        record = get_or_error(Record.objects.all(), RecordNotFound, {"id": details.record}, pk=details.record)
    result = ingest_file(
        source=file.file,
        original_name=file.name or "",
        actor=request.user,
        record=record,
        resource=resource,
        kind=details.kind.value if details.kind else None,
        role=details.role.value if details.role else None,
    )
    body = {
        "outcome": result.outcome,
        "warnings": [str(w) for w in result.warnings],
        "file": result.file,
        "record_id": result.record.pk if result.record else None,
        "resource_id": result.resource.pk if result.resource else None,
    }
    return Status(201 if result.created else 200, body)


api.add_router("/", router)

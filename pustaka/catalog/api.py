"""Catalogue API: bibliographic records, their history, MARC and Dublin Core, call-number suggestions.

Staff only. Reads need ``catalog.view_record``; writes go through :mod:`pustaka.catalog.actions`,
which check ``catalog.catalogue`` / ``change_record`` / ``delete_record`` and write the audit trail.
The items of a record are listed by the holdings API (``GET /records/{id}/items``).
"""

from typing import Literal

from django.db.models import Count
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core.api import ERRORS, Pagination, QuerySchema, api, get_or_error, staff_endpoint
from pustaka.core.audit import history
from pustaka.core.errors import ValidationFailed
from pustaka.core.schemas import AuditEventOut
from pustaka.search import Hits

from . import actions
from .choices import MaterialType
from .errors import RecordNotFound
from .models import Record
from .queries import find_records
from .schemas import RECORD_ORDERINGS, CallNumberOut, RecordIn, RecordListOut, RecordOut, RecordPatch

router = Router(tags=["catalogue"])

MARC_MEDIA_TYPES = {"marcxml": "application/marcxml+xml; charset=utf-8", "iso2709": "application/marc"}


class RecordFilters(QuerySchema):
    q: str = Field("", max_length=500, description="Words in the title, contributors, ISBN or control number.")
    material_type: str = Field("", max_length=16, json_schema_extra={"enum": ["", *MaterialType.values]})
    language: str = Field("", max_length=3, description="MARC language code, e.g. ind.")
    year_from: int | None = Field(None, ge=0, le=9999)
    year_to: int | None = Field(None, ge=0, le=9999)
    ordering: RECORD_ORDERINGS = "title"


def records_for_list(filters: RecordFilters) -> Hits:
    """The records a list shows: the shared staff search (``pustaka.search``), narrowed by year and ordered."""
    if filters.material_type and filters.material_type not in MaterialType.values:
        raise ValidationFailed(_("Unknown material type."), field="material_type")
    return find_records(
        q=filters.q,
        material_type=filters.material_type,
        language=filters.language,
        year_from=filters.year_from,
        year_to=filters.year_to,
        ordering=filters.ordering,
    )


def record_detail(record_id: int, *, with_marc: bool = False) -> Record:
    """One record with its item count, or RecordNotFound (404)."""
    records = Record.objects.annotate(item_count=Count("items"))
    if not with_marc:
        records = records.defer("marc")
    return get_or_error(records, RecordNotFound, {"id": record_id}, pk=record_id)


def _viewable(request, record_id: int, **kwargs) -> Record:
    """The record a ``catalog.view_record`` endpoint shows (its decorator checked the permission)."""
    return record_detail(record_id, **kwargs)


@router.get("/records", response={200: list[RecordListOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("catalog.view_record")
def list_records(request, filters: Query[RecordFilters]):
    """Staff with ``catalog.view_record``: records where every word of ``q`` matches, filtered and ordered."""
    return records_for_list(filters)


@router.get("/records/{record_id}", response={200: RecordOut, **ERRORS})
@staff_endpoint("catalog.view_record")
def get_record(request, record_id: int):
    """Staff with ``catalog.view_record``."""
    return _viewable(request, record_id)


@router.post("/records", response={201: RecordOut, **ERRORS})
@staff_endpoint(actions.create_record.permission)
def create_record(request, payload: RecordIn):
    """Staff with ``catalog.catalogue`` catalogue a title (``catalog.record.create``)."""
    record = actions.create_record(actor=request.user, **payload.model_dump(exclude_unset=True))
    return Status(201, record_detail(record.pk))


@router.patch("/records/{record_id}", response={200: RecordOut, **ERRORS})
@staff_endpoint(actions.update_record.permission)
def update_record(request, record_id: int, payload: RecordPatch):
    """Staff with ``catalog.catalogue`` change the fields sent (``catalog.record.update``)."""
    record = record_detail(record_id)
    actions.update_record(record=record, actor=request.user, **payload.model_dump(exclude_unset=True))
    return record_detail(record_id)


@router.delete("/records/{record_id}", response={204: None, **ERRORS})
@staff_endpoint(actions.delete_record.permission)
def delete_record(request, record_id: int):
    """Staff with ``catalog.delete_record`` delete a record with no items left (else 409 ``record_has_items``)."""
    actions.delete_record(record=record_detail(record_id), actor=request.user)
    return Status(204, None)


@router.get("/records/{record_id}/history", response={200: list[AuditEventOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint(("catalog.view_record", "core.view_auditevent"))
def record_history(request, record_id: int):
    """Staff with ``catalog.view_record`` and ``core.view_auditevent``: the record's audit events, newest first."""
    record = _viewable(request, record_id)
    return history(record)


@router.get(
    "/records/{record_id}/marc",
    response=ERRORS,
    openapi_extra={
        "responses": {
            200: {
                "description": "The record in MARC 21 (MARCXML or ISO 2709, UTF-8).",
                "content": {"application/marcxml+xml": {}, "application/marc": {}},
            }
        }
    },
)
@staff_endpoint("catalog.view_record")
def record_marc(request, record_id: int, format: Literal["marcxml", "iso2709"] = "marcxml"):
    """Staff with ``catalog.view_record``: the record as MARCXML (default) or ISO 2709."""
    from .marc import MARCXML_NS, attach_export_extras, marcxml, public_base_url, record_to_marc

    record = _viewable(request, record_id, with_marc=True)
    attach_export_extras([record], base_url=public_base_url(request))
    marc_record = record_to_marc(record)
    if format == "iso2709":
        body = marc_record.as_marc()
    else:  # a one-record collection, as ``pustaka export-marc --format marcxml`` writes them
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{MARCXML_NS}">\n'
            f"{marcxml(marc_record)}\n</collection>\n"
        ).encode()
    response = HttpResponse(body, content_type=MARC_MEDIA_TYPES[format])
    extension = "mrc" if format == "iso2709" else "xml"
    response["Content-Disposition"] = f'inline; filename="record-{record.pk}.{extension}"'
    return response


@router.get("/records/{record_id}/dc", response={200: dict[str, list[str]], **ERRORS})
@staff_endpoint("catalog.view_record")
def record_dc(request, record_id: int):
    """Staff with ``catalog.view_record``: the record as Dublin Core (element name to values)."""
    from .marc import attach_export_extras, public_base_url, record_to_dc

    record = _viewable(request, record_id)
    attach_export_extras([record], base_url=public_base_url(request))
    return record_to_dc(record)


@router.get("/call-numbers/suggest", response={200: CallNumberOut, **ERRORS})
@staff_endpoint("catalog.view_record")
def suggest_call_number(
    request,
    class_number: str = Query(..., min_length=1, max_length=100),
    author: str = Query("", max_length=500, description="Main entry, e.g. 'Sutanto, Budi'."),
    title: str = Query("", max_length=1000),
):
    """Staff with ``catalog.view_record``: the call number the library's rule gives for these parts."""
    return {"call_number": actions.suggest_call_number(class_number=class_number, main_entry=author, title=title)}


api.add_router("/", router)

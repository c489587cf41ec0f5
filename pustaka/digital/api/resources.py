"""API: digital resources (``/api/v1/digital-resources``): list with filters, detail, create, update.

Staff only. Reads need ``digital.view_digitalresource`` (librarians too); creating and changing
need ``digital.manage_resources`` (checked by the actions). ``licence`` (a licence id; ``null`` for
none) puts the resource under a licence through the ``assign_licence`` action, which needs
``digital.manage_licences``; an unknown id is a 404
naming the field ``licence``.
"""

from datetime import date

from ninja import Field, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.catalog.errors import RecordNotFound
from pustaka.catalog.models import Record
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

from .. import queries_resources
from ..actions.resources import KEEP, create_resource, update_resource
from ..choices import ResourceKind
from ..errors_access import LicenceNotFound
from ..errors_ingest import CollectionNotFound, ResourceNotFound
from ..models import Collection, Licence
from .schemas import ResourceOut

router = Router(tags=["digital resources"])


class ResourceFilters(QuerySchema):
    kind: ResourceKind | None = Field(None, description="Only resources of this kind.")
    collection: str = Field("", max_length=50, description="Only resources in this collection (its code).")
    record: int | None = Field(None, ge=1, description="Only the resources of this record.")
    q: str = Field("", max_length=200, description="Words of the record's title or the resource's label.")


class ResourceIn(InSchema):
    record: int = Field(..., ge=1)
    kind: ResourceKind
    label: str = Field("", max_length=200)
    remote_url: str = Field("", max_length=1000)
    coverage_start: date | None = None
    coverage_end: date | None = None
    coverage_note: str = Field("", max_length=300)
    embargo: str = Field("", max_length=40, description="KBART embargo: P1Y, R6M, R10Y;P30D.")
    version: str = Field("", max_length=50)
    platform: str = Field("", max_length=100)
    is_active: bool = True
    collections: list[str] = Field(default_factory=list, max_length=50, description="Collection codes.")
    licence: int | None = Field(None, ge=1, le=MAX_ID, description="The id of the licence it is under (none: none).")


class ResourcePatch(InSchema):
    kind: ResourceKind | None = None
    label: str | None = Field(None, max_length=200)
    remote_url: str | None = Field(None, max_length=1000)
    coverage_start: date | None = None
    coverage_end: date | None = None
    coverage_note: str | None = Field(None, max_length=300)
    embargo: str | None = Field(None, max_length=40, description="KBART embargo: P1Y, R6M, R10Y;P30D.")
    version: str | None = Field(None, max_length=50)
    platform: str | None = Field(None, max_length=100)
    is_active: bool | None = None
    collections: list[str] | None = Field(None, max_length=50, description="Collection codes (replaces them).")
    licence: int | None = Field(None, ge=1, le=MAX_ID, description="The id of the licence it is under; null: none.")


def _collections(codes: list[str]) -> list[Collection]:
    wanted = [c.strip().lower() for c in codes if c.strip()]
    found = {c.code: c for c in Collection.objects.filter(code__in=wanted)}
    for code in wanted:
        if code not in found:
            raise CollectionNotFound(code=code, field="collections")
    return [found[code] for code in dict.fromkeys(wanted)]


def _licence(licence_id: int | None) -> Licence | None:
    if licence_id is None:
        return None
    found = Licence.objects.filter(pk=licence_id).first()
    if found is None:
        raise LicenceNotFound(field="licence", licence=licence_id)
    return found


def _resource(resource_id: int):
    return get_or_error(queries_resources.resources(), ResourceNotFound, {"id": resource_id}, pk=resource_id)


@router.get("/digital-resources", response={200: list[ResourceOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("digital.view_digitalresource")
def list_resources(request, filters: Query[ResourceFilters]):
    """Staff with ``digital.view_digitalresource``: resources, newest first, filtered by kind, collection..."""
    return queries_resources.filter_resources(
        queries_resources.resources(),
        kind=filters.kind.value if filters.kind else "",
        collection=filters.collection.strip().lower(),
        q=filters.q,
        record=filters.record,
    ).order_by("-created_at", "-id")


@router.get("/digital-resources/{resource_id}", response={200: ResourceOut, **ERRORS})
@staff_endpoint("digital.view_digitalresource")
def get_resource(request, resource_id: int):
    """Staff with ``digital.view_digitalresource``."""
    return _resource(resource_id)


@router.post("/digital-resources", response={201: ResourceOut, **ERRORS})
@staff_endpoint("digital.manage_resources")
def add_resource(request, payload: ResourceIn):
    """Staff with ``digital.manage_resources``: attach a new resource to a record."""
    data = payload.model_dump()
    record = get_or_error(Record.objects.all(), RecordNotFound, {"id": payload.record}, pk=data.pop("record"))
    collections = _collections(data.pop("collections"))
    licence = _licence(data.pop("licence"))
    data["kind"] = payload.kind.value
    resource = create_resource(record=record, actor=request.user, collections=collections, licence=licence, **data)
    return Status(201, _resource(resource.pk))


@router.patch("/digital-resources/{resource_id}", response={200: ResourceOut, **ERRORS})
@staff_endpoint("digital.manage_resources")
def change_resource(request, resource_id: int, payload: ResourcePatch):
    """Staff with ``digital.manage_resources``: change the fields sent (``collections`` replaces them;
    ``licence``: a licence id, or null to take the resource off its licence)."""
    resource = _resource(resource_id)
    data = payload.model_dump(exclude_unset=True)
    codes = data.pop("collections", None)
    licence = _licence(data.pop("licence")) if "licence" in data else KEEP
    if data.get("kind") is not None:
        data["kind"] = ResourceKind(data["kind"]).value
    data = {k: ("" if v is None and k not in {"coverage_start", "coverage_end"} else v) for k, v in data.items()}
    if "is_active" in data and data["is_active"] == "":
        data.pop("is_active")
    if "kind" in data and data["kind"] == "":
        data.pop("kind")
    update_resource(
        resource=resource,
        actor=request.user,
        collections=_collections(codes) if codes is not None else None,
        licence=licence,
        **data,
    )
    return _resource(resource_id)


api.add_router("/", router)

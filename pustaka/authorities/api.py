"""API of authority records (``/api/v1/authorities``): lists and search, one authority with its forms,
creating and editing, the records linked to it, linking and unlinking a record, and merging.

Reading needs ``authorities.view_authority``; every write ``authorities.maintain_authorities`` and goes
through :mod:`pustaka.authorities.actions`. Lists are paginated (``?page=&page_size=``).
"""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.catalog.models import Record
from pustaka.core.api import ERRORS, InSchema, Pagination, QuerySchema, api, get_or_error, staff_endpoint

from . import actions, queries
from .choices import AuthorityKind, LinkField, Relation
from .errors import AuthorityNotFound, LinkNotFound, RecordNotFound
from .models import Authority, AuthorityLink

router = Router(tags=["authorities"])
VIEW = "authorities.view_authority"


class AuthorityRow(Schema):
    id: int
    kind: str
    heading: str
    dates: str
    source: str
    control_number: str
    linked_records: int = Field(..., alias="link_count")


class SeeAlsoOut(Schema):
    relation: str
    heading: str
    authority_id: int | None = Field(None, alias="target_id")


class AuthorityOut(Schema):
    id: int
    kind: str
    heading: str
    dates: str
    source: str
    control_number: str
    notes: str
    see_from: list[str]
    see_also: list[SeeAlsoOut]

    @staticmethod
    def resolve_see_from(obj) -> list[str]:
        return [v.heading for v in obj.variants.all()]

    @staticmethod
    def resolve_see_also(obj) -> list:
        return list(obj.see_also.all())


class SeeAlsoIn(InSchema):
    relation: Relation = Relation.RELATED
    heading: str = Field(..., min_length=1, max_length=500)


class AuthorityIn(InSchema):
    kind: AuthorityKind
    heading: str = Field(..., min_length=1, max_length=500)
    dates: str = Field("", max_length=100)
    source: str = Field("", max_length=60)
    control_number: str = Field("", max_length=64)
    notes: str = Field("", max_length=10_000)
    see_from: list[str] = Field(default_factory=list, max_length=500)
    see_also: list[SeeAlsoIn] = Field(default_factory=list, max_length=500)


class LinkIn(InSchema):
    record_id: int = Field(..., ge=1)
    heading: str = Field("", max_length=1000, description="As the record writes it; empty: the matching one.")
    field: LinkField | None = None


class LinkOut(Schema):
    id: int
    record_id: int
    title: str
    field: str
    heading: str
    automatic: bool

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.record.title


class MergeIn(InSchema):
    other_id: int = Field(..., ge=1, description="The authority merged into this one (then deleted).")


class AuthorityFilters(QuerySchema):
    q: str = Field("", max_length=200, description="A heading or see-from form (or part of one).")
    kind: AuthorityKind | None = None


def _one(authority_id: int) -> Authority:
    return get_or_error(
        Authority.objects.prefetch_related("variants", "see_also"),
        AuthorityNotFound,
        {"authority": authority_id},
        pk=authority_id,
    )


def _write_args(payload: AuthorityIn) -> dict:
    data = payload.dict()
    return {
        **{k: data[k] for k in ("kind", "heading", "dates", "source", "control_number", "notes")},
        "variants": data["see_from"],
        "see_also": [(t["relation"], t["heading"]) for t in data["see_also"]],
    }


@router.get("/authorities", response={200: list[AuthorityRow], **ERRORS})
@paginate(Pagination)
@staff_endpoint(VIEW)
def list_authorities(request, filters: Query[AuthorityFilters]):
    """Staff with ``authorities.view_authority``: authorities by heading, with their linked-record counts."""
    return queries.authorities(text=filters.q, kind=filters.kind or "")


@router.get("/authorities/{authority_id}", response={200: AuthorityOut, **ERRORS})
@staff_endpoint(VIEW)
def get_authority(request, authority_id: int):
    """Staff with ``authorities.view_authority``: one authority with its see-from and see-also forms."""
    return _one(authority_id)


@router.post("/authorities", response={201: AuthorityOut, **ERRORS})
@staff_endpoint(actions.create_authority.permission)
def create(request, payload: AuthorityIn):
    """Staff with ``authorities.maintain_authorities`` (``authorities.authority.create``); records using the
    heading or a see-from form are linked. 409 ``duplicate_authority`` when the heading exists."""
    authority = actions.create_authority(actor=request.user, **_write_args(payload))
    return Status(201, _one(authority.pk))


@router.put("/authorities/{authority_id}", response={200: AuthorityOut, **ERRORS})
@staff_endpoint(actions.update_authority.permission)
def update(request, authority_id: int, payload: AuthorityIn):
    """Staff with ``authorities.maintain_authorities`` (``authorities.authority.update``)."""
    actions.update_authority(actor=request.user, authority=_one(authority_id), **_write_args(payload))
    return _one(authority_id)


@router.get("/authorities/{authority_id}/records", response={200: list[LinkOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint(VIEW)
def linked_records(request, authority_id: int):
    """Staff with ``authorities.view_authority``: the record headings linked to the authority."""
    return queries.linked_records(_one(authority_id))


@router.post("/authorities/{authority_id}/records", response={201: LinkOut, **ERRORS})
@staff_endpoint(actions.link_record.permission)
def link(request, authority_id: int, payload: LinkIn):
    """Staff with ``authorities.maintain_authorities`` (``authorities.link.add``): link a record by hand."""
    record = get_or_error(Record.objects.all(), RecordNotFound, {"record": payload.record_id}, pk=payload.record_id)
    made = actions.link_record(
        actor=request.user,
        authority=_one(authority_id),
        record=record,
        heading=payload.heading,
        field=payload.field or "",
    )
    return Status(201, AuthorityLink.objects.select_related("record").get(pk=made.pk))


@router.delete("/authorities/{authority_id}/records/{link_id}", response={204: None, **ERRORS})
@staff_endpoint(actions.unlink_record.permission)
def unlink(request, authority_id: int, link_id: int):
    """Staff with ``authorities.maintain_authorities`` (``authorities.link.remove``)."""
    authority = _one(authority_id)
    found = get_or_error(
        AuthorityLink.objects.filter(authority=authority).select_related("authority"), LinkNotFound, {}, pk=link_id
    )
    actions.unlink_record(actor=request.user, link=found)
    return Status(204, None)


@router.post("/authorities/{authority_id}/merge", response={200: AuthorityOut, **ERRORS})
@staff_endpoint(actions.merge_authorities.permission)
def merge(request, authority_id: int, payload: MergeIn):
    """Staff with ``authorities.maintain_authorities`` (``authorities.authority.merge``): every record of the
    other authority is relinked here, its heading becomes a see-from form, and it is deleted."""
    actions.merge_authorities(actor=request.user, winner=_one(authority_id), loser=_one(payload.other_id))
    return _one(authority_id)


api.add_router("/", router)

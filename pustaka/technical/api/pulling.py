"""API: pull lists (``/pull-lists``): list, create, one list with its entries in shelf order, add
items, scan a pulled item, flag one not found, close. Staff only; reads need
``technical.view_pulllist``; writes go through the pulling actions, which check their permission."""

import datetime

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core import lookups
from pustaka.core.api import ERRORS, InSchema, Pagination, QuerySchema, api, get_or_error, staff_endpoint
from pustaka.holdings.choices import PullReason

from .. import actions
from ..choices import PullListStatus
from ..errors.pulling import PullListNotFound
from ..models import PullList, PullListEntry
from ..queries.pulling import not_found_followup, pull_list_entries, pull_lists

router = Router(tags=["pull lists"])


class PullListOut(Schema):
    id: int
    name: str
    reason: str
    branch: str = Field(..., alias="branch.code")
    status: str
    note: str
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    entry_count: int = 0
    waiting_count: int = 0
    pulled_count: int = 0
    not_found_count: int = 0


class EntryOut(Schema):
    id: int
    barcode: str = Field(..., alias="item.barcode")
    title: str = Field(..., alias="item.record.title")
    location: str | None = Field(None, alias="item.location.code")
    call_number: str = Field(..., alias="item.effective_call_number")
    item_status: str = Field(..., alias="item.status")
    state: str
    handled_at: datetime.datetime | None
    note: str


class PullListDetailOut(PullListOut):
    entries: list[EntryOut] = Field(..., alias="entries_in_order", description="In shelf order.")


class PullListFilters(QuerySchema):
    status: str = Field("", json_schema_extra={"enum": ["", *PullListStatus.values]})


class PullListIn(InSchema):
    name: str = Field(..., max_length=200)
    reason: str = Field(..., json_schema_extra={"enum": PullReason.values})
    branch: str = Field(..., max_length=16, description="Branch code.")
    note: str = ""


class BarcodesIn(InSchema):
    barcodes: list[str] = Field(..., max_length=1000)


class PullListScanIn(InSchema):
    barcode: str = Field(..., max_length=64)


def _pull_list(pull_list_id: int) -> PullList:
    return get_or_error(pull_lists(), PullListNotFound, {"id": pull_list_id}, pk=pull_list_id)


def _detail(pull_list_id: int) -> PullList:
    pull_list = _pull_list(pull_list_id)
    pull_list.entries_in_order = list(pull_list_entries(pull_list))
    return pull_list


@router.get("/pull-lists", response={200: list[PullListOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_pulllist")
def list_pull_lists(request, filters: Query[PullListFilters]) -> QuerySet:
    """Staff with ``technical.view_pulllist``: pull lists, newest first, with counts per entry state."""
    return pull_lists(status=filters.status if filters.status in PullListStatus.values else "")


@router.post("/pull-lists", response={201: PullListDetailOut, **ERRORS})
@staff_endpoint("technical.make_pull_lists")
def create_pull_list(request, payload: PullListIn):
    """Staff with ``technical.make_pull_lists`` start a pull list (``maintenance.pulling.create``)."""
    branch = lookups.get_branch(payload.branch, field="branch")
    pull_list = actions.create_pull_list(
        name=payload.name, reason=payload.reason, branch=branch, note=payload.note, actor=request.user
    )
    return Status(201, _detail(pull_list.pk))


class FollowUpOut(EntryOut):
    pull_list: int = Field(..., alias="pull_list_id")
    pull_list_name: str = Field(..., alias="pull_list.name")


@router.get("/pull-lists/not-found", response={200: list[FollowUpOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_pulllist")
def followup(request) -> QuerySet:
    """Staff with ``technical.view_pulllist``: copies not found on a pull list and still missing,
    to look for again (newest first). (Declared before ``/pull-lists/{id}`` so the path is not read as
    an id.)"""
    return not_found_followup()


@router.get("/pull-lists/{pull_list_id}", response={200: PullListDetailOut, **ERRORS})
@staff_endpoint("technical.view_pulllist")
def get_pull_list(request, pull_list_id: int):
    """Staff with ``technical.view_pulllist``: one list with its entries in shelf order."""
    return _detail(pull_list_id)


@router.post("/pull-lists/{pull_list_id}/items", response={200: PullListDetailOut, **ERRORS})
@staff_endpoint("technical.make_pull_lists")
def add_items(request, pull_list_id: int, payload: BarcodesIn):
    """Staff with ``technical.make_pull_lists`` add items by barcode: all of them, or none (409 with the reason)."""
    actions.add_to_pull_list(pull_list=_pull_list(pull_list_id), barcodes=payload.barcodes, actor=request.user)
    return _detail(pull_list_id)


@router.post("/pull-lists/{pull_list_id}/scan", response={200: EntryOut, **ERRORS})
@staff_endpoint("holdings.pull_item")
def scan(request, pull_list_id: int, payload: PullListScanIn):
    """Staff with ``holdings.pull_item``: the item was taken off the shelf; it becomes ``pulled``."""
    entry = actions.scan_pulled_item(pull_list=_pull_list(pull_list_id), barcode=payload.barcode, actor=request.user)
    return PullListEntry.objects.select_related("item__record", "item__location").get(pk=entry.pk)


@router.post("/pull-lists/{pull_list_id}/entries/{entry_id}/not-found", response={200: EntryOut, **ERRORS})
@staff_endpoint("holdings.pull_item")
def not_found(request, pull_list_id: int, entry_id: int):
    """Staff with ``holdings.pull_item`` flag one item of the list as not found."""
    pull_list = _pull_list(pull_list_id)
    entry = get_or_error(
        PullListEntry.objects.select_related("pull_list", "item"),
        PullListNotFound,
        {"id": pull_list_id},
        pk=entry_id,
        pull_list=pull_list,
    )
    actions.flag_not_found(entry=entry, actor=request.user)
    return PullListEntry.objects.select_related("item__record", "item__location").get(pk=entry.pk)


@router.post("/pull-lists/{pull_list_id}/close", response={200: PullListDetailOut, **ERRORS})
@staff_endpoint("technical.close_pull_lists")
def close(request, pull_list_id: int):
    """Staff with ``technical.close_pull_lists`` close the list; items still waiting are flagged not found."""
    actions.close_pull_list(pull_list=_pull_list(pull_list_id), actor=request.user)
    return _detail(pull_list_id)


api.add_router("/", router)

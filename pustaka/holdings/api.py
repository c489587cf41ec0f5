"""Holdings API: items (copies), their lifecycle moves, condition, history; item types and statuses.

Staff only. Reads need ``holdings.view_item``; writes go through :mod:`pustaka.holdings.actions`,
which check the permission (for status moves: the one the lifecycle table names) and write the audit
trail. Items are named by barcode; branches, locations and item types by code.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.catalog.errors import RecordNotFound
from pustaka.catalog.models import Record
from pustaka.core import lookups
from pustaka.core.api import ERRORS, MAX_ID, Pagination, QuerySchema, api, get_or_error, staff_endpoint
from pustaka.core.audit import history
from pustaka.core.errors import ValidationFailed
from pustaka.core.models import Branch, Location
from pustaka.core.permissions import require
from pustaka.core.schemas import AuditEventOut
from pustaka.holdings import lookups as item_lookups

from . import actions, transitions
from .choices import Condition, ItemStatus, PullReason
from .models import Item, ItemType
from .schemas import (
    ConditionChangeOut,
    ConditionIn,
    ItemIn,
    ItemOut,
    ItemPatch,
    ItemTypeOut,
    LifecycleOut,
    MoveIn,
    StatusValue,
)

router = Router(tags=["holdings"])


class ItemFilters(QuerySchema):
    barcode: str = Field("", max_length=32, description="Exact barcode.")
    status: list[StatusValue] = Field(None, description="One or more statuses: `?status=pulled&status=missing`.")
    branch: str = Field("", max_length=16, description="Branch code.")
    location: str = Field("", max_length=32, description="Location code.")
    record: int | None = Field(None, ge=1, le=MAX_ID, description="Record id.")


def items_with_parts() -> QuerySet:
    """Items with everything an item row shows, in one query (no query per row)."""
    return Item.objects.select_related("record", "branch", "location", "item_type", "accession").defer(
        "record__marc", "record__summary", "record__notes", "record__contributors", "record__subjects"
    )


def items_for_list(filters: ItemFilters) -> QuerySet:
    """The items matching the filters, by barcode."""
    items = items_with_parts()
    if filters.barcode:
        found = item_lookups.find_item(filters.barcode)
        items = items.filter(pk=found.pk if found else None)
    if filters.status:
        items = items.filter(status__in=filters.status)
    if filters.branch:
        items = items.filter(branch__code=filters.branch.strip().upper())
    if filters.location:
        items = items.filter(location__code=filters.location.strip().upper())
    if filters.record is not None:
        items = items.filter(record_id=filters.record)
    return items.order_by("barcode")


def _item(barcode: str) -> Item:
    return item_lookups.get_item(barcode, queryset=items_with_parts())


def _branch_field(code: str) -> Branch:
    return lookups.get_branch(code, field="branch")


def _location_field(branch: Branch, code: str | None) -> Location | None:
    if not code:
        return None
    location = Location.objects.filter(branch=branch, code=code.strip().upper()).first()
    if location is None:
        raise ValidationFailed(
            _("Branch %(branch)s has no location “%(code)s”."), field="location", branch=branch.code, code=code
        )
    return location


def _item_type_field(code: str) -> ItemType:
    item_type = ItemType.objects.filter(code__iexact=code.strip()).first()
    if item_type is None:
        raise ValidationFailed(_("No item type has the code “%(code)s”."), field="item_type", code=code)
    return item_type


@router.get("/items", response={200: list[ItemOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("holdings.view_item")
def list_items(request, filters: Query[ItemFilters]):
    """Staff with ``holdings.view_item``: items filtered by barcode, status, branch, location or record."""
    return items_for_list(filters)


@router.get("/items/{barcode}", response={200: ItemOut, **ERRORS})
@staff_endpoint("holdings.view_item")
def get_item(request, barcode: str):
    """Staff with ``holdings.view_item``."""
    return _item(barcode)


@router.post("/items", response={201: ItemOut, **ERRORS})
@staff_endpoint(actions.create_item.permission)
def create_item(request, payload: ItemIn):
    """Staff with ``holdings.add_copy`` add a copy to a record (``holdings.item.create``)."""
    data = payload.model_dump(exclude_unset=True)
    record_id = data.pop("record_id")
    record = Record.objects.filter(pk=record_id).only("id", "title").first()
    if record is None:
        raise ValidationFailed(_("No bibliographic record has the id %(id)s."), field="record_id", id=record_id)
    data["branch"] = _branch_field(data["branch"])
    data["location"] = _location_field(data["branch"], data.get("location"))
    data["item_type"] = _item_type_field(data["item_type"])
    item = actions.create_item(record=record, actor=request.user, **data)
    return Status(201, _item(item.barcode))


@router.patch("/items/{barcode}", response={200: ItemOut, **ERRORS})
@staff_endpoint(actions.update_item.permission)
def update_item(request, barcode: str, payload: ItemPatch):
    """Staff with ``holdings.edit_copy`` change an item's place, type, call number, price or notes."""
    item = _item(barcode)
    data = payload.model_dump(exclude_unset=True)
    if "branch" in data:
        data["branch"] = _branch_field(data["branch"])
    if "location" in data:
        data["location"] = _location_field(data.get("branch", item.branch), data["location"])
    if "item_type" in data:
        data["item_type"] = _item_type_field(data["item_type"])
    actions.update_item(item=item, actor=request.user, **data)
    return _item(barcode)


@router.post("/items/{barcode}/status", response={200: ItemOut, **ERRORS})
@staff_endpoint(None)  # the lifecycle table names each move's permission; the action checks it
def move_item(request, barcode: str, payload: MoveIn):
    """Move an item along its lifecycle. The move must be in the lifecycle table (else 409
    ``item_transition_not_allowed``), no workflow may own it (else 409 ``move_belongs_to_workflow`` with
    the ``workflow`` and the ``page`` that make it: the desk lends, the repair page ends a repair...) and the
    user must hold the permission the table names (else 403)."""
    item = _item(barcode)
    actions.change_item_status(item=item, to=payload.to, actor=request.user, reason=payload.reason, note=payload.note)
    return _item(barcode)


@router.post("/items/{barcode}/condition", response={200: ItemOut, **ERRORS})
@staff_endpoint(actions.change_condition.permission)
def change_condition(request, barcode: str, payload: ConditionIn):
    """Staff with ``holdings.change_condition`` record an item's condition (kept in its condition history)."""
    item = _item(barcode)
    actions.change_condition(item=item, condition=payload.condition, actor=request.user, note=payload.note)
    return _item(barcode)


@router.get("/items/{barcode}/condition-history", response={200: list[ConditionChangeOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("holdings.view_item")
def condition_history(request, barcode: str):
    """Staff with ``holdings.view_item``: every recorded condition, newest first."""
    item = _item(barcode)
    return item.condition_history.select_related("recorded_by").order_by("-recorded_at", "-id")


@router.get("/items/{barcode}/history", response={200: list[AuditEventOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint(("holdings.view_item", "core.view_auditevent"))
def item_history(request, barcode: str):
    """Staff with ``holdings.view_item`` and ``core.view_auditevent``: the item's audit events, newest first."""
    item = _item(barcode)
    return history(item)


@router.delete("/items/{barcode}", response={204: None, **ERRORS})
@staff_endpoint(actions.delete_item.permission)
def delete_item(request, barcode: str):
    """Staff with ``holdings.delete_item`` delete an item entered by mistake (409 ``item_in_use`` otherwise)."""
    actions.delete_item(item=_item(barcode), actor=request.user)
    return Status(204, None)


@router.get("/records/{record_id}/items", response={200: list[ItemOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("catalog.view_record")
def record_items(request, record_id: int):
    """Staff with ``catalog.view_record`` and ``holdings.view_item``: a record's items by branch and copy."""
    require(request.user, "holdings.view_item")
    record = get_or_error(Record.objects.only("id"), RecordNotFound, {"id": record_id}, pk=record_id)
    return items_with_parts().filter(record=record).order_by("branch__code", "copy_number", "barcode")


@router.get("/item-types", response={200: list[ItemTypeOut], **ERRORS})
@staff_endpoint("holdings.view_item")
def list_item_types(request):
    """Staff with ``holdings.view_item``: every item type."""
    return ItemType.objects.order_by("code")


@router.get("/item-statuses", response={200: LifecycleOut, **ERRORS})
@staff_endpoint("holdings.view_item")
def item_statuses(request):
    """Staff with ``holdings.view_item``: statuses, pull reasons and conditions with labels and colours,
    and the lifecycle table (every allowed move, the permission it needs and its audit verb)."""

    def choices(kind):
        return [{"value": v, "label": str(label), "colour": kind.colour(v)} for v, label in kind.choices]

    return {
        "statuses": [{**c, "initial": c["value"] in transitions.INITIAL_STATUSES} for c in choices(ItemStatus)],
        "pull_reasons": choices(PullReason),
        "conditions": choices(Condition),
        "transitions": [
            {
                "source": str(t.source),
                "target": str(t.target),
                "permission": t.permission,
                "verb": t.verb,
                "reason": str(t.reason),
                "workflows": [str(w) for w in t.owners],
            }
            for t in transitions.TRANSITIONS
        ],
    }


api.add_router("/", router)

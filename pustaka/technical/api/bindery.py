"""API: bindery shipments (``/api/v1/bindery-shipments``) and binderies (``/api/v1/bindery-vendors``).

Staff only. Reads need ``technical.view_binderyshipment`` (binderies: ``view_binderyvendor``);
creating a shipment needs ``technical.prepare_bindery_shipments``; adding items and sending need
``technical.send_to_bindery``, receiving ``technical.receive_from_bindery`` (the item moves need
``holdings.bind_item``). Writes go through :mod:`pustaka.technical.actions`.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core import lookups
from pustaka.core.api import (
    ERRORS,
    AmountIn,
    InSchema,
    Pagination,
    QuerySchema,
    api,
    get_or_error,
    staff_endpoint,
)
from pustaka.core.queries import library_name
from pustaka.core.schemas import BranchRef
from pustaka.holdings import lookups as item_lookups
from pustaka.holdings.choices import Condition
from pustaka.holdings.models import Item

from .. import actions
from ..choices import ShipmentStatus
from ..errors.bindery import ShipmentNotFound, VendorNotFound
from ..models import BinderyShipment, BinderyShipmentItem, BinderyVendor
from ..queries import bindery as bindery_queries

router = Router(tags=["bindery"])

ShipmentStatusValue = Literal[("", *ShipmentStatus.values)]


class VendorOut(Schema):
    id: int
    name: str
    contact: str


class ShipmentLineOut(Schema):
    """One item of a shipment: what to do with it and, once back, its new binding."""

    barcode: str
    title: str
    call_number: str
    item_status: str
    instructions: str
    returned_on: date | None
    binding_note: str

    @staticmethod
    def resolve_barcode(obj: BinderyShipmentItem) -> str:
        return obj.item.barcode

    @staticmethod
    def resolve_title(obj: BinderyShipmentItem) -> str:
        return obj.item.record.title

    @staticmethod
    def resolve_call_number(obj: BinderyShipmentItem) -> str:
        return obj.item.effective_call_number

    @staticmethod
    def resolve_item_status(obj: BinderyShipmentItem) -> str:
        return obj.item.status


class ShipmentListOut(Schema):
    """A shipment in a list: vendor, status, dates, counts, and whether it is overdue."""

    id: int
    vendor: VendorOut
    branch: BranchRef
    status: str
    status_label: str
    sent_on: date | None
    expected_on: date | None
    overdue: bool
    cost: Decimal
    instructions: str
    item_count: int
    returned_count: int
    created_at: datetime

    @staticmethod
    def resolve_status_label(obj: BinderyShipment) -> str:
        return str(ShipmentStatus(obj.status).label)

    @staticmethod
    def resolve_overdue(obj: BinderyShipment) -> bool:
        return bindery_queries.is_overdue(obj)


class ShipmentOut(ShipmentListOut):
    """A shipment with its items."""

    lines: list[ShipmentLineOut]

    @staticmethod
    def resolve_lines(obj: BinderyShipment) -> list:
        return obj.lines_list


class PackingSlipOut(Schema):
    """What the printed packing slip shows."""

    library: str
    shipment: int
    vendor: VendorOut
    branch: BranchRef
    date: date
    expected_on: date | None
    instructions: str
    lines: list[ShipmentLineOut]


class ShipmentFilters(QuerySchema):
    status: ShipmentStatusValue = Field("", description="Only shipments in this status.")
    overdue: bool = Field(False, description="Only sent shipments whose date expected back has passed.")


class ShipmentIn(InSchema):
    vendor: int = Field(..., ge=1, description="Bindery id (see /bindery-vendors).")
    branch: str = Field(..., min_length=1, max_length=16, description="Branch code.")
    expected_on: date | None = None
    cost: AmountIn = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    instructions: str = Field("", max_length=2000)


class ShipmentPatch(InSchema):
    expected_on: date | None = None
    cost: AmountIn | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    instructions: str | None = Field(None, max_length=2000)


class AddItemIn(InSchema):
    barcode: str = Field(..., min_length=1, max_length=64, description="An item pulled for binding.")
    instructions: str = Field("", max_length=500)


class SendIn(InSchema):
    sent_on: date | None = None
    expected_on: date | None = None


class ReceiveIn(InSchema):
    barcode: str = Field(..., min_length=1, max_length=64)
    binding_note: str = Field("", max_length=300)
    returned_on: date | None = None
    condition: str = Field(
        Condition.GOOD, json_schema_extra={"enum": Condition.values}, description="The copy's condition now."
    )


class VendorIn(InSchema):
    name: str = Field(..., min_length=1, max_length=200)
    contact: str = Field("", max_length=2000)


def _shipment(shipment_id: int) -> BinderyShipment:
    shipment = get_or_error(bindery_queries.shipments(), ShipmentNotFound, {"shipment": shipment_id}, pk=shipment_id)
    shipment.lines_list = list(bindery_queries.lines(shipment))
    return shipment


def _item(barcode: str) -> Item:
    barcode = barcode.strip()
    return item_lookups.get_item(barcode, field="barcode")


@router.get("/bindery-shipments", response={200: list[ShipmentListOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_binderyshipment")
def list_shipments(request, filters: Query[ShipmentFilters]):
    """Staff with ``technical.view_binderyshipment``: shipments, newest first; ``overdue=true`` for late ones."""
    return bindery_queries.shipments(filters.status, overdue=filters.overdue)


@router.post("/bindery-shipments", response={201: ShipmentOut, **ERRORS})
@staff_endpoint("technical.prepare_bindery_shipments")
def create_shipment(request, payload: ShipmentIn):
    """Staff with ``technical.prepare_bindery_shipments``: start a draft shipment."""
    vendor = get_or_error(BinderyVendor.objects.all(), VendorNotFound, {"vendor": payload.vendor}, pk=payload.vendor)
    code = payload.branch.strip().upper()
    branch = lookups.get_branch(code, field="branch")
    shipment = actions.create_shipment(
        vendor=vendor,
        branch=branch,
        actor=request.user,
        expected_on=payload.expected_on,
        cost=payload.cost,
        instructions=payload.instructions,
    )
    return Status(201, _shipment(shipment.pk))


@router.get("/bindery-shipments/{shipment_id}", response={200: ShipmentOut, **ERRORS})
@staff_endpoint("technical.view_binderyshipment")
def get_shipment(request, shipment_id: int):
    """Staff with ``technical.view_binderyshipment``: the shipment with its items."""
    return _shipment(shipment_id)


@router.patch("/bindery-shipments/{shipment_id}", response={200: ShipmentOut, **ERRORS})
@staff_endpoint("technical.send_to_bindery")
def update_shipment(request, shipment_id: int, payload: ShipmentPatch):
    """Staff with ``technical.send_to_bindery``: change cost, expected date or general instructions."""
    shipment = _shipment(shipment_id)
    actions.update_shipment(shipment=shipment, actor=request.user, **payload.model_dump(exclude_unset=True))
    return _shipment(shipment_id)


@router.post("/bindery-shipments/{shipment_id}/items", response={201: ShipmentOut, **ERRORS})
@staff_endpoint("technical.send_to_bindery")
def add_item(request, shipment_id: int, payload: AddItemIn):
    """Staff with ``technical.send_to_bindery``: add an item pulled for binding to a draft shipment."""
    shipment = _shipment(shipment_id)
    actions.add_to_shipment(
        shipment=shipment, item=_item(payload.barcode), actor=request.user, instructions=payload.instructions
    )
    return Status(201, _shipment(shipment_id))


@router.delete("/bindery-shipments/{shipment_id}/items/{barcode}", response={200: ShipmentOut, **ERRORS})
@staff_endpoint("technical.send_to_bindery")
def remove_item(request, shipment_id: int, barcode: str):
    """Staff with ``technical.send_to_bindery``: take an item out of a draft shipment."""
    shipment = _shipment(shipment_id)
    actions.remove_from_shipment(shipment=shipment, item=_item(barcode), actor=request.user)
    return _shipment(shipment_id)


@router.post("/bindery-shipments/{shipment_id}/send", response={200: ShipmentOut, **ERRORS})
@staff_endpoint("technical.send_to_bindery")
def send(request, shipment_id: int, payload: SendIn):
    """Staff with ``technical.send_to_bindery``: send the shipment; every item goes ``at_bindery``."""
    shipment = _shipment(shipment_id)
    actions.send_shipment(shipment=shipment, actor=request.user, **payload.model_dump())
    return _shipment(shipment_id)


@router.post("/bindery-shipments/{shipment_id}/receive", response={200: ShipmentOut, **ERRORS})
@staff_endpoint("technical.receive_from_bindery")
def receive(request, shipment_id: int, payload: ReceiveIn):
    """Staff with ``technical.receive_from_bindery``: an item is back (→ shelving queue) with its new binding."""
    shipment = _shipment(shipment_id)
    actions.receive_from_bindery(
        shipment=shipment,
        item=_item(payload.barcode),
        actor=request.user,
        binding_note=payload.binding_note,
        returned_on=payload.returned_on,
        condition=payload.condition,
    )
    return _shipment(shipment_id)


@router.get("/bindery-shipments/{shipment_id}/packing-slip", response={200: PackingSlipOut, **ERRORS})
@staff_endpoint("technical.view_binderyshipment")
def packing_slip(request, shipment_id: int):
    """Staff with ``technical.view_binderyshipment``: the data of the printed packing slip."""
    shipment = _shipment(shipment_id)
    return {
        "library": library_name(),
        "shipment": shipment.pk,
        "vendor": shipment.vendor,
        "branch": shipment.branch,
        "date": shipment.sent_on or timezone.localdate(),
        "expected_on": shipment.expected_on,
        "instructions": shipment.instructions,
        "lines": shipment.lines_list,
    }


@router.get("/bindery-vendors", response={200: list[VendorOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_binderyvendor")
def list_vendors(request):
    """Staff with ``technical.view_binderyvendor``: the binderies, by name."""
    return BinderyVendor.objects.order_by("name", "id")


@router.post("/bindery-vendors", response={201: VendorOut, **ERRORS})
@staff_endpoint("technical.manage_binderies")
def create_vendor(request, payload: VendorIn):
    """Staff with ``technical.manage_binderies``: add a bindery (409 when the name is taken)."""
    return Status(201, actions.create_bindery_vendor(actor=request.user, **payload.model_dump()))


api.add_router("/", router)

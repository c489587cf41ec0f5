"""API: repair tickets (``/api/v1/repairs``).

Staff only. Reads need ``technical.view_repairticket``; opening a ticket, working on it and
closing it need ``technical.handle_repairs`` (the item moves need ``holdings.repair_item``). Writes go
through :mod:`pustaka.technical.actions`.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core.api import (
    ERRORS,
    MAX_ID,
    AmountIn,
    InSchema,
    Pagination,
    QuerySchema,
    api,
    get_or_error,
    staff_endpoint,
)
from pustaka.holdings import lookups as item_lookups
from pustaka.holdings.choices import Condition
from pustaka.holdings.models import Item

from .. import actions
from ..choices import DamageType, RepairStatus
from ..errors.repair import RepairTicketNotFound
from ..models import RepairTicket
from ..queries import repair as repair_queries

router = Router(tags=["repairs"])

DamageValue = Literal[tuple(DamageType.values)]
ConditionValue = Literal[tuple(Condition.values)]
RepairStatusValue = Literal[("", *RepairStatus.values)]


class RepairItemOut(Schema):
    barcode: str
    title: str
    call_number: str
    status: str
    pulled_reason: str
    condition: str

    @staticmethod
    def resolve_title(obj: Item) -> str:
        return obj.record.title

    @staticmethod
    def resolve_call_number(obj: Item) -> str:
        return obj.effective_call_number


class RepairOut(Schema):
    """A repair ticket with its item, the work so far and how it ended."""

    id: int
    item: RepairItemOut
    damage_type: str
    damage_label: str
    notes: str
    status: str
    status_label: str
    opened_by: str | None
    repaired_by: str | None
    minutes_spent: int
    materials_cost: Decimal
    condition_after: str
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_damage_label(obj: RepairTicket) -> str:
        return str(DamageType(obj.damage_type).label)

    @staticmethod
    def resolve_status_label(obj: RepairTicket) -> str:
        return str(RepairStatus(obj.status).label)

    @staticmethod
    def resolve_opened_by(obj: RepairTicket) -> str | None:
        return obj.opened_by.username if obj.opened_by else None

    @staticmethod
    def resolve_repaired_by(obj: RepairTicket) -> str | None:
        return obj.repaired_by.username if obj.repaired_by else None


class RepairFilters(QuerySchema):
    status: RepairStatusValue = Field("", description="Only tickets in this status (open, done, ...).")
    barcode: str = Field("", max_length=32, description="Only tickets of this item.")


class RepairIn(InSchema):
    barcode: str = Field(..., min_length=1, max_length=64, description="An item pulled for repair.")
    damage_type: DamageValue
    notes: str = Field("", max_length=2000)


class WorkIn(InSchema):
    minutes: int = Field(0, ge=0, le=100_000)
    materials_cost: AmountIn = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    notes: str = Field("", max_length=2000)


class FinishIn(InSchema):
    condition_after: ConditionValue
    notes: str = Field("", max_length=2000)


class CloseIn(InSchema):
    notes: str = Field("", max_length=2000)


def _ticket(ticket_id: int) -> RepairTicket:
    return get_or_error(repair_queries.tickets(), RepairTicketNotFound, {"ticket": ticket_id}, pk=ticket_id)


def _writable_ticket(request, ticket_id: int) -> RepairTicket:
    if not 0 < ticket_id <= MAX_ID:
        raise RepairTicketNotFound(ticket=ticket_id)
    return _ticket(ticket_id)


@router.get("/repairs", response={200: list[RepairOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_repairticket")
def list_repairs(request, filters: Query[RepairFilters]):
    """Staff with ``technical.view_repairticket``: repair tickets, open ones oldest first, then the rest."""
    tickets = repair_queries.tickets()
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.barcode:
        tickets = tickets.filter(item__barcode=filters.barcode.strip())
    return tickets.order_by("status", "created_at", "id")


@router.post("/repairs", response={201: RepairOut, **ERRORS})
@staff_endpoint("technical.handle_repairs")
def open_repair(request, payload: RepairIn):
    """Staff with ``technical.handle_repairs``: open a ticket for an item pulled for repair (→ ``in_repair``)."""
    barcode = payload.barcode.strip()
    item = item_lookups.get_item(barcode, field="barcode")
    ticket = actions.open_repair(item=item, damage_type=payload.damage_type, notes=payload.notes, actor=request.user)
    return Status(201, _ticket(ticket.pk))


@router.get("/repairs/{ticket_id}", response={200: RepairOut, **ERRORS})
@staff_endpoint("technical.view_repairticket")
def get_repair(request, ticket_id: int):
    """Staff with ``technical.view_repairticket``."""
    return _ticket(ticket_id)


@router.post("/repairs/{ticket_id}/work", response={200: RepairOut, **ERRORS})
@staff_endpoint("technical.handle_repairs")
def record_work(request, ticket_id: int, payload: WorkIn):
    """Staff with ``technical.handle_repairs``: add minutes, materials cost and a note to an open ticket."""
    ticket = _writable_ticket(request, ticket_id)
    actions.record_repair_work(ticket=ticket, actor=request.user, **payload.model_dump())
    return _ticket(ticket_id)


@router.post("/repairs/{ticket_id}/finish", response={200: RepairOut, **ERRORS})
@staff_endpoint("technical.handle_repairs")
def finish(request, ticket_id: int, payload: FinishIn):
    """Staff with ``technical.handle_repairs``: close the repair; new condition; item to the shelving queue."""
    ticket = _writable_ticket(request, ticket_id)
    actions.finish_repair(ticket=ticket, actor=request.user, **payload.model_dump())
    return _ticket(ticket_id)


@router.post("/repairs/{ticket_id}/send-to-bindery", response={200: RepairOut, **ERRORS})
@staff_endpoint("technical.handle_repairs")
def send_to_bindery(request, ticket_id: int, payload: CloseIn):
    """Staff with ``technical.handle_repairs``: close the ticket; the item is pulled for binding."""
    ticket = _writable_ticket(request, ticket_id)
    actions.send_repair_to_bindery(ticket=ticket, actor=request.user, **payload.model_dump())
    return _ticket(ticket_id)


@router.post("/repairs/{ticket_id}/beyond-repair", response={200: RepairOut, **ERRORS})
@staff_endpoint("technical.handle_repairs")
def beyond_repair(request, ticket_id: int, payload: CloseIn):
    """Staff with ``technical.handle_repairs``: close the ticket; the item is pulled for weeding."""
    ticket = _writable_ticket(request, ticket_id)
    actions.declare_beyond_repair(ticket=ticket, actor=request.user, **payload.model_dump())
    return _ticket(ticket_id)


api.add_router("/", router)

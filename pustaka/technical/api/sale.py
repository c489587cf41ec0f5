"""API: withdrawals (``/withdrawals``) and sales (``/sales``): withdraw items pulled for weeding (the
last copy of a title needs ``confirm_last_copy``), offers, selling one item or a batch, sale events,
and the ledger with totals per event and per month. Staff only; writes go through the sale actions."""

import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
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
from pustaka.core.errors import ValidationFailed
from pustaka.holdings.errors import ItemNotFound
from pustaka.holdings.models import Item

from .. import actions
from ..choices import PaymentMethod
from ..errors.sale import NoItemsScanned, SaleEventNotFound
from ..models import SaleEvent
from ..queries.sale import items_for_sale, items_to_withdraw, ledger, sale_events, sales

router = Router(tags=["withdrawals and sales"])


class ItemBriefOut(Schema):
    barcode: str
    title: str = Field(..., alias="record.title")
    status: str
    pulled_reason: str
    call_number: str = Field(..., alias="effective_call_number")


class OfferOut(ItemBriefOut):
    price: Decimal | None = Field(None, alias="sale_offer.price")


class WithdrawIn(InSchema):
    barcodes: list[str] = Field(..., min_length=1, max_length=500)
    confirm_last_copy: bool = False
    note: str = Field("", max_length=500)


class OfferIn(InSchema):
    barcode: str = Field(..., max_length=64)
    price: AmountIn


class SaleOut(Schema):
    id: int
    barcode: str = Field(..., alias="item.barcode")
    title: str = Field(..., alias="item.record.title")
    event_id: int | None
    event: str | None = Field(None, alias="event.name")
    price: Decimal
    payment_method: str
    receipt: str
    sold_at: datetime.datetime


class SellIn(InSchema):
    barcodes: list[str] = Field(..., min_length=1, max_length=500)
    payment_method: str = Field(..., json_schema_extra={"enum": [value for value, _label in PaymentMethod.for_sales()]})
    event_id: int | None = None
    price: AmountIn | None = Field(None, description="Only when selling one item; defaults to the offer price.")
    receipt: str = Field("", max_length=40)


class SaleEventIn(InSchema):
    name: str = Field(..., max_length=200)
    branch: str = Field(..., max_length=16)
    held_on: datetime.date | None = None


class SaleEventOut(Schema):
    id: int
    name: str
    branch: str = Field(..., alias="branch.code")
    held_on: datetime.date | None
    sale_count: int = 0
    revenue: Decimal = Decimal("0")


class LedgerFilters(QuerySchema):
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    event_id: int | None = None


class EventTotalOut(Schema):
    event_id: int | None
    event: str | None = Field(None, alias="event__name")
    count: int
    revenue: Decimal


class MonthTotalOut(Schema):
    month: datetime.date
    count: int
    revenue: Decimal


class SalesLedgerOut(Schema):
    count: int
    revenue: Decimal
    by_event: list[EventTotalOut]
    by_month: list[MonthTotalOut]


def _items(barcodes: list[str]) -> list[Item]:
    wanted = [b.strip() for b in barcodes if b and b.strip()]
    if not wanted:
        raise NoItemsScanned(field="barcodes")
    found = {i.barcode: i for i in Item.objects.select_related("record").filter(barcode__in=wanted)}
    for barcode in wanted:
        if barcode not in found:
            raise ItemNotFound(field="barcodes", barcode=barcode)
    return [found[b] for b in wanted]


def _event(event_id: int | None) -> SaleEvent | None:
    if event_id is None:
        return None
    return get_or_error(SaleEvent.objects.all(), SaleEventNotFound, {"id": event_id}, pk=event_id)


# Withdrawals ------------------------------------------------------------------------------------


@router.get("/withdrawals", response={200: list[ItemBriefOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("holdings.withdraw_item")
def waiting_withdrawal(request) -> QuerySet:
    """Staff with ``holdings.withdraw_item``: items pulled for weeding and waiting to be withdrawn."""
    return items_to_withdraw()


@router.post("/withdrawals", response={200: list[ItemBriefOut], **ERRORS})
@staff_endpoint("holdings.withdraw_item")
def withdraw(request, payload: WithdrawIn):
    """Staff with ``holdings.withdraw_item`` withdraw items pulled for weeding: all or none. The last copy
    of a title still shown to the public is refused with 409 ``last_copy`` (naming the ``barcodes``)
    unless ``confirm_last_copy`` is true."""
    items = _items(payload.barcodes)
    done = actions.withdraw_items(
        items=items, actor=request.user, confirm_last_copy=payload.confirm_last_copy, note=payload.note
    )
    return Item.objects.select_related("record").filter(pk__in=[i.pk for i in done]).order_by("barcode")


# Sales ------------------------------------------------------------------------------------------


@router.get("/sales/offers", response={200: list[OfferOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_sale")
def list_offers(request) -> QuerySet:
    """Staff with ``technical.view_sale``: items for sale with their price."""
    return items_for_sale()


@router.post("/sales/offers", response={201: OfferOut, **ERRORS})
@staff_endpoint("holdings.sell_item")
def offer(request, payload: OfferIn):
    """Staff with ``holdings.sell_item`` and ``technical.hold_sales`` offer a withdrawn item for sale."""
    (item,) = _items([payload.barcode])
    actions.offer_for_sale(item=item, price=payload.price, actor=request.user)
    return Status(201, items_for_sale().get(pk=item.pk))


@router.get("/sales", response={200: list[SaleOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_sale")
def list_sales(request, filters: Query[LedgerFilters]) -> QuerySet:
    """Staff with ``technical.view_sale``: ledger lines, newest first, filtered by date and event."""
    return sales(date_from=filters.date_from, date_to=filters.date_to, event=_event(filters.event_id))


@router.post("/sales", response={201: list[SaleOut], **ERRORS})
@staff_endpoint("holdings.sell_item")
def sell(request, payload: SellIn):
    """Staff with ``holdings.sell_item`` and ``technical.hold_sales`` sell one item (at ``price`` or the
    offer price) or a batch at a sale event (each at its offer price): all or none."""
    items = _items(payload.barcodes)
    event = _event(payload.event_id)
    if len(items) == 1:
        sold = [
            actions.sell_item(
                item=items[0],
                payment_method=payload.payment_method,
                price=payload.price,
                event=event,
                receipt=payload.receipt,
                actor=request.user,
            )
        ]
    else:
        if payload.price is not None:
            raise ValidationFailed(_("A batch is sold at the offer prices; send no price."), field="price")
        if event is None:
            raise ValidationFailed(_("Choose the sale event for a batch of items."), field="event_id")
        sold = actions.sell_items(
            items=items,
            event=event,
            payment_method=payload.payment_method,
            receipt=payload.receipt,
            actor=request.user,
        )
    return Status(201, list(sales().filter(pk__in=[s.pk for s in sold]).order_by("pk")))


@router.get("/sales/ledger", response={200: SalesLedgerOut, **ERRORS})
@staff_endpoint("technical.view_sale")
def sales_ledger(request, filters: Query[LedgerFilters]):
    """Staff with ``technical.view_sale``: revenue and count overall, per sale event and per month."""
    return ledger(sales(date_from=filters.date_from, date_to=filters.date_to, event=_event(filters.event_id)))


@router.get("/sales/events", response={200: list[SaleEventOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_saleevent")
def list_events(request) -> QuerySet:
    """Staff with ``technical.view_saleevent``: sale events with their count of sales and revenue."""
    return sale_events()


@router.post("/sales/events", response={201: SaleEventOut, **ERRORS})
@staff_endpoint("technical.hold_sales")
def create_event(request, payload: SaleEventIn):
    """Staff with ``technical.hold_sales`` start a sale event."""
    branch = lookups.get_branch(payload.branch, field="branch")
    event = actions.create_sale_event(name=payload.name, branch=branch, held_on=payload.held_on, actor=request.user)
    return Status(201, sale_events().get(pk=event.pk))


@router.post("/sales/items/{barcode}/discard", response={200: ItemBriefOut, **ERRORS})
@staff_endpoint("holdings.withdraw_item")
def discard(request, barcode: str):
    """Staff with ``holdings.withdraw_item`` discard a withdrawn or unsold item."""
    (item,) = _items([barcode])
    actions.discard_item(item=item, actor=request.user)
    return Item.objects.select_related("record").get(pk=item.pk)


api.add_router("/", router)

"""Technical services: withdrawal and sale. Items pulled for weeding are withdrawn (the last copy of a
title needs an explicit confirmation), offered for sale at a price, sold one by one or in a book-sale
batch, or discarded. Every sale is a line of the sales ledger tied to the withdrawn item."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.errors import ValidationFailed
from pustaka.core.models import Branch
from pustaka.core.numbers import read_amount
from pustaka.core.registry import action
from pustaka.holdings.actions import move_item
from pustaka.holdings.choices import ItemStatus, PullReason, Workflow
from pustaka.holdings.models import Item

from ..choices import PaymentMethod
from ..errors.sale import (
    InvalidPaymentMethod,
    InvalidPrice,
    ItemCannotBeDiscarded,
    ItemNotForSale,
    ItemNotPulledForWeeding,
    ItemNotWithdrawn,
    ItemScannedTwice,
    LastCopyWarning,
    NoItemsScanned,
)
from ..models import Sale, SaleEvent, SaleOffer

__all__ = [
    "create_sale_event",
    "discard_item",
    "offer_for_sale",
    "sell_item",
    "sell_items",
    "withdraw_item",
    "withdraw_items",
]

MAX_PRICE = Decimal("9999999999.99")


def clean_price(value) -> Decimal:
    """A price of at least 0 with at most two decimals, or :class:`InvalidPrice`."""
    try:
        price = (
            value
            if isinstance(value, Decimal)
            else read_amount(str(value).strip(), field="price", label=_("Price"), error=InvalidPrice)
        )
    except (InvalidOperation, ValueError):
        raise InvalidPrice(field="price") from None
    if not price.is_finite() or price < 0 or price > MAX_PRICE or price != price.quantize(Decimal("0.01")):
        raise InvalidPrice(field="price")
    return price.quantize(Decimal("0.01"))


def _no_duplicates(items: list[Item]) -> None:
    seen = set()
    for item in items:
        if item.pk in seen:
            raise ItemScannedTwice(field="barcodes", barcode=item.barcode)
        seen.add(item.pk)


def last_copies(items: list[Item]) -> list[Item]:
    """The items among ``items`` whose title would have no copy left in a status the public sees."""
    leaving = {item.pk for item in items}
    record_ids = {item.record_id for item in items}
    kept = set(
        Item.objects.filter(record_id__in=record_ids)
        .exclude(pk__in=leaving)
        .exclude(status__in=ItemStatus.public_hidden())
        .values_list("record_id", flat=True)
        .distinct()
    )
    return [item for item in items if item.record_id not in kept]


@action("maintenance.sale.withdraw", permission="holdings.withdraw_item", label=_("Items withdrawn"))
def withdraw_items(*, items: list[Item], actor, confirm_last_copy: bool = False, note: str = "") -> list[Item]:
    """Withdraw items pulled for weeding; the public catalogue stops showing them.

    When an item is the last copy of its title still shown to the public, nothing is withdrawn unless
    ``confirm_last_copy`` is true (:class:`LastCopyWarning` says which items).
    """
    if not items:
        raise NoItemsScanned(field="barcodes")
    _no_duplicates(items)
    locked = list(
        Item.objects.select_for_update(of=("self",)).select_related("record").filter(pk__in=[i.pk for i in items])
    )
    for item in locked:
        if item.status != ItemStatus.PULLED or item.pulled_reason != PullReason.WEED:
            raise ItemNotPulledForWeeding(field="barcodes", barcode=item.barcode, status=_status_text(item))
    last = last_copies(locked)
    if last and not confirm_last_copy:
        raise LastCopyWarning(items=last)
    withdrawn = []
    for item in locked:
        withdrawn.append(
            move_item(item=item, to=ItemStatus.WITHDRAWN, actor=actor, workflow=Workflow.WEEDING, note=note)
        )
    audit(
        actor,
        "maintenance.sale.withdraw",
        None,
        after={"items": [i.barcode for i in withdrawn], "last_copy_confirmed": [i.barcode for i in last]},
    )
    return withdrawn


def withdraw_item(*, item: Item, actor, confirm_last_copy: bool = False, note: str = "") -> Item:
    """Withdraw one item pulled for weeding (see :func:`withdraw_items`)."""
    return withdraw_items(items=[item], actor=actor, confirm_last_copy=confirm_last_copy, note=note)[0]


def _status_text(item: Item) -> str:
    label = str(ItemStatus(item.status).label)
    if item.status == ItemStatus.PULLED and item.pulled_reason:
        label = f"{label} ({PullReason(item.pulled_reason).label})"
    return label


@action("maintenance.sale.create_event", permission="technical.hold_sales", label=_("Sale event created"))
def create_sale_event(*, name: str, branch: Branch, actor, held_on=None) -> SaleEvent:
    """Start a book sale (or the branch's ongoing sale shelf)."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A sale event needs a name."), field="name")
    event = SaleEvent.objects.create(name=name[:200], branch=branch, held_on=held_on)
    audit(
        actor,
        "maintenance.sale.create_event",
        event,
        after={"name": event.name, "branch": branch.code, "held_on": str(held_on or "")},
    )
    return event


@action("maintenance.sale.offer", permission="technical.hold_sales", label=_("Price set for sale"))
def offer_for_sale(*, item: Item, price, actor) -> SaleOffer:
    """Put a withdrawn item up for sale at ``price``; the item becomes ``for_sale`` (a move that also
    needs ``holdings.sell_item``, as the item lifecycle table says)."""
    price = clean_price(price)
    locked = Item.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if locked.status != ItemStatus.WITHDRAWN:
        raise ItemNotWithdrawn(barcode=locked.barcode, status=_status_text(locked))
    offer, _created = SaleOffer.objects.update_or_create(
        item=locked, defaults={"price": price, "offered_by": actor if actor and actor.pk else None}
    )
    move_item(item=locked, to=ItemStatus.FOR_SALE, actor=actor, workflow=Workflow.SALE)
    audit(actor, "maintenance.sale.offer", offer, after={"item": locked.barcode, "price": str(price)})
    item.refresh_from_db()
    return offer


def _sell(item: Item, *, price, payment_method: str, actor, event, receipt: str) -> Sale:
    locked = Item.objects.select_for_update(of=("self",)).select_related("sale_offer").get(pk=item.pk)
    if locked.status != ItemStatus.FOR_SALE:
        raise ItemNotForSale(field="barcode", barcode=locked.barcode, status=_status_text(locked))
    price = clean_price(locked.sale_offer.price if price in (None, "") else price)
    sale = Sale.objects.create(
        item=locked,
        event=event,
        price=price,
        payment_method=payment_method,
        sold_by=actor if actor and actor.pk else None,
        receipt=(receipt or "").strip()[:40],
    )
    move_item(item=locked, to=ItemStatus.SOLD, actor=actor, workflow=Workflow.SALE)
    audit(
        actor,
        "maintenance.sale.sell",
        sale,
        after={
            "item": locked.barcode,
            "price": str(price),
            "payment_method": payment_method,
            "event": event.pk if event else None,
        },
    )
    return sale


def _check_sale(payment_method: str) -> None:
    if payment_method not in dict(PaymentMethod.for_sales()):
        raise InvalidPaymentMethod(field="payment_method")


@action("maintenance.sale.sell", permission="technical.hold_sales", label=_("Sale recorded"))
def sell_item(
    *, item: Item, payment_method: str, actor, price=None, event: SaleEvent | None = None, receipt: str = ""
) -> Sale:
    """Sell one item that is for sale; the price defaults to the offer price. The move to ``sold`` also
    needs ``holdings.sell_item`` (the item lifecycle table)."""
    _check_sale(payment_method)
    return _sell(item, price=price, payment_method=payment_method, actor=actor, event=event, receipt=receipt)


@action("maintenance.sale.sell", permission="technical.hold_sales", label=_("Sale recorded"))
def sell_items(*, items: list[Item], event: SaleEvent, payment_method: str, actor, receipt: str = "") -> list[Sale]:
    """Sell several scanned items in one go at a book sale, each at its offer price: all or none."""
    _check_sale(payment_method)
    if not items:
        raise NoItemsScanned(field="barcodes")
    _no_duplicates(items)
    return [
        _sell(item, price=None, payment_method=payment_method, actor=actor, event=event, receipt=receipt)
        for item in items
    ]


@action("holdings.item.move", permission="holdings.withdraw_item", label=_("Status changed"))
def discard_item(*, item: Item, actor, note: str = "") -> Item:
    """Discard a withdrawn or unsold item (recycling, donation); it leaves the collection for good."""
    locked = Item.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if locked.status not in (ItemStatus.WITHDRAWN, ItemStatus.FOR_SALE):
        raise ItemCannotBeDiscarded(barcode=locked.barcode, status=_status_text(locked))
    moved = move_item(item=locked, to=ItemStatus.DISCARDED, actor=actor, workflow=Workflow.SALE, note=note)
    item.refresh_from_db()
    return moved

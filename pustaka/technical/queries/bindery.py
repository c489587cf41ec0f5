"""Reads of bindery shipments that the bindery pages, the item page and the API share."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pustaka.holdings.choices import ItemStatus, PullReason
from pustaka.holdings.models import Item

from ..choices import ShipmentStatus
from ..models import BinderyShipment, BinderyShipmentItem

OPEN_STATUSES = (ShipmentStatus.DRAFT, ShipmentStatus.SENT, ShipmentStatus.PARTLY_RETURNED)
OUT_STATUSES = (ShipmentStatus.SENT, ShipmentStatus.PARTLY_RETURNED)


def shipments(status: str = "", *, overdue: bool = False) -> QuerySet:
    """Shipments with their vendor, branch and counts of items (sent and back), newest first."""
    result = BinderyShipment.objects.select_related("vendor", "branch", "created_by").annotate(
        item_count=Count("lines"),
        returned_count=Count("lines", filter=Q(lines__returned_on__isnull=False)),
    )
    if status:
        result = result.filter(status=status)
    if overdue:
        result = result.filter(status__in=OUT_STATUSES, expected_on__lt=timezone.localdate())
    return result.order_by("-created_at", "-id")


def is_overdue(shipment: BinderyShipment) -> bool:
    """Sent, not all back, and the date expected back has passed."""
    return bool(
        shipment.status in OUT_STATUSES and shipment.expected_on and shipment.expected_on < timezone.localdate()
    )


def lines(shipment: BinderyShipment) -> QuerySet:
    """The items of a shipment with their record, in the order they were scanned."""
    return (
        shipment.lines.select_related("item__record", "item__location")
        .defer("item__record__marc", "item__record__summary", "item__record__notes")
        .order_by("id")
    )


def items_waiting_for_a_shipment() -> QuerySet:
    """Items pulled for binding that are not yet in a shipment."""
    in_shipment = BinderyShipmentItem.objects.filter(
        returned_on__isnull=True, shipment__status__in=OPEN_STATUSES
    ).values("item_id")
    return (
        Item.objects.filter(status=ItemStatus.PULLED, pulled_reason=PullReason.BIND)
        .exclude(pk__in=in_shipment)
        .select_related("record", "location")
        .defer("record__marc", "record__summary", "record__notes")
        .order_by("status_changed_at", "id")
    )


def item_bindings(item: Item) -> list[BinderyShipmentItem]:
    """The item's bindery history: every shipment line of the item, newest first, with its vendor."""
    return list(
        BinderyShipmentItem.objects.filter(item=item)
        .select_related("shipment__vendor")
        .order_by("-shipment__created_at", "-id")
    )

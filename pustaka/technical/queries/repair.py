"""Reads of repair tickets that the repair pages and the API share."""

from django.db.models import Q, QuerySet

from pustaka.holdings.choices import ItemStatus, PullReason
from pustaka.holdings.models import Item

from ..choices import RepairStatus
from ..models import RepairTicket

RECORD_HEAVY = ("item__record__marc", "item__record__summary", "item__record__notes")


def tickets() -> QuerySet:
    """Repair tickets with their item, record and people, in one query."""
    return RepairTicket.objects.select_related(
        "item__record", "item__branch", "item__location", "opened_by", "repaired_by"
    ).defer(*RECORD_HEAVY)


def open_tickets() -> QuerySet:
    """The repair queue: open tickets, oldest first."""
    return tickets().filter(status=RepairStatus.OPEN).order_by("created_at", "id")


def closed_tickets(status: str = "") -> QuerySet:
    """Repair history: closed tickets, most recently closed first."""
    result = tickets().exclude(status=RepairStatus.OPEN)
    if status:
        result = result.filter(status=status)
    return result.order_by("-closed_at", "-id")


def items_waiting_for_a_ticket() -> QuerySet:
    """Items pulled for repair (or moved into repair from their item page) that have no open ticket yet."""
    return (
        Item.objects.filter(
            Q(status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR) | Q(status=ItemStatus.IN_REPAIR)
        )
        .exclude(repairs__status=RepairStatus.OPEN)
        .select_related("record", "location")
        .defer("record__marc", "record__summary", "record__notes")
        .order_by("status_changed_at", "id")
    )


def open_ticket_for(item: Item) -> RepairTicket | None:
    """The item's open repair ticket, if any."""
    return RepairTicket.objects.filter(item=item, status=RepairStatus.OPEN).first()

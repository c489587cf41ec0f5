"""Reads shared by the withdrawal, sale and ledger pages and the API; totals are SQL aggregates."""

import datetime

from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from pustaka.holdings.choices import ItemStatus, PullReason
from pustaka.holdings.models import Item

from ..models import Sale, SaleEvent

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def items_to_withdraw(*, branch=None) -> QuerySet[Item]:
    """Items pulled for weeding and waiting to be withdrawn, in shelf order."""
    items = Item.objects.filter(status=ItemStatus.PULLED, pulled_reason=PullReason.WEED)
    if branch is not None:
        items = items.filter(branch=branch)
    return (
        items.select_related("record", "location", "branch")
        .defer("record__marc")
        .order_by("location__sort_order", "location__code", "shelf_key", "barcode")
    )


def withdrawn_items(*, branch=None) -> QuerySet[Item]:
    """Withdrawn items not yet offered for sale or discarded."""
    items = Item.objects.filter(status=ItemStatus.WITHDRAWN)
    if branch is not None:
        items = items.filter(branch=branch)
    return items.select_related("record", "branch").defer("record__marc").order_by("-status_changed_at", "barcode")


def items_for_sale(*, branch=None) -> QuerySet[Item]:
    """Items on offer, with their price."""
    items = Item.objects.filter(status=ItemStatus.FOR_SALE)
    if branch is not None:
        items = items.filter(branch=branch)
    return items.select_related("record", "branch", "sale_offer").defer("record__marc").order_by("shelf_key", "barcode")


def sale_events() -> QuerySet[SaleEvent]:
    """Sale events with their count of sales and revenue."""
    return (
        SaleEvent.objects.select_related("branch")
        .annotate(sale_count=Count("sales"), revenue=Coalesce(Sum("sales__price"), ZERO))
        .order_by("-held_on", "-id")
    )


def sales(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, event=None
) -> QuerySet[Sale]:
    """Sales (the ledger lines) in a date range, newest first, each with its item and title."""
    found = Sale.objects.select_related("item__record", "event", "sold_by").defer("item__record__marc")
    if date_from:
        found = found.filter(sold_at__date__gte=date_from)
    if date_to:
        found = found.filter(sold_at__date__lte=date_to)
    if event is not None:
        found = found.filter(event=event)
    return found.order_by("-sold_at", "-id")


def ledger(found: QuerySet[Sale]) -> dict:
    """Totals of the ledger lines ``found``: overall, per sale event and per month (three aggregate queries)."""
    base = found.order_by()
    total = base.aggregate(count=Count("pk"), revenue=Coalesce(Sum("price"), ZERO))
    by_event = list(
        base.values("event_id", "event__name", "event__held_on")
        .annotate(count=Count("pk"), revenue=Coalesce(Sum("price"), ZERO))
        .order_by("-event__held_on", "event__name")
    )
    by_month = list(
        base.annotate(month=TruncMonth("sold_at"))
        .values("month")
        .annotate(count=Count("pk"), revenue=Coalesce(Sum("price"), ZERO))
        .order_by("month")
    )
    for row in by_month:
        if isinstance(row["month"], datetime.datetime):
            row["month"] = row["month"].date()
    return {"count": total["count"], "revenue": total["revenue"], "by_event": by_event, "by_month": by_month}

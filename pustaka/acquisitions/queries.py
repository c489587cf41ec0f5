"""Reads of acquisitions that the pages, the API and the reports share.

A fund's figures are computed by aggregation over its order lines, never stored:

- encumbered: price × copies still to come on the lines of sent or partly received orders;
- spent: price × copies received;
- available: budget − encumbered − spent.
"""

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import OPEN_STATUSES, OrderStatus, SuggestionStatus
from .models import Fund, Invoice, Order, OrderLine, Suggestion, Vendor

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=16, decimal_places=2))
MONEY = DecimalField(max_digits=16, decimal_places=2)


def _money(expression, condition: Q):
    return Coalesce(Sum(ExpressionWrapper(expression, output_field=MONEY), filter=condition), ZERO)


def outstanding_value(prefix: str = ""):
    """price × copies still to come, of a line (``prefix`` ``"lines__"`` from a fund)."""
    return F(f"{prefix}price") * (F(f"{prefix}copies") - F(f"{prefix}received") - F(f"{prefix}cancelled"))


def funds_with_figures():
    """Funds annotated with ``encumbered``, ``spent`` and ``available`` (one query)."""
    open_lines = Q(lines__order__status__in=OPEN_STATUSES)
    return Fund.objects.annotate(
        encumbered=_money(outstanding_value("lines__"), open_lines),
        spent=_money(F("lines__price") * F("lines__received"), Q(lines__received__gt=0)),
    ).annotate(available=ExpressionWrapper(F("budget") - F("encumbered") - F("spent"), output_field=MONEY))


def fund_figures(fund: Fund) -> dict:
    """One fund's budget, encumbered, spent and available, as Decimals."""
    row = funds_with_figures().filter(pk=fund.pk).values("budget", "encumbered", "spent", "available").get()
    return {key: Decimal(row[key]).quantize(Decimal("0.01")) for key in row}


def vendors():
    return Vendor.objects.all()


def orders():
    """Orders with their vendor, newest first."""
    return Order.objects.select_related("vendor", "created_by")


def order_lines(order: Order):
    """An order's lines with their title, branch, item type and fund (one query)."""
    return order.lines.select_related("record", "branch", "item_type", "fund").order_by("id")


def order_total(order: Order) -> Decimal:
    total = order.lines.aggregate(
        total=Coalesce(Sum(ExpressionWrapper(F("price") * (F("copies") - F("cancelled")), output_field=MONEY)), ZERO)
    )["total"]
    return Decimal(total)


def late_orders(today=None):
    """Sent or partly received orders past the date the vendor promised, the longest late first."""
    today = today or timezone.localdate()
    return orders().filter(status__in=OPEN_STATUSES, expected_by__lt=today).order_by("expected_by", "id")


def open_drafts():
    return orders().filter(status=OrderStatus.DRAFT)


def invoices():
    return (
        Invoice.objects.order_by("-date", "-id")
        .select_related("vendor")
        .annotate(lines_amount=Coalesce(Sum("lines__amount"), ZERO))
    )


def suggestions(status: str | None = None):
    rows = Suggestion.objects.select_related("patron", "reviewed_by", "order_line__order")
    return rows.filter(status=status) if status else rows


def suggestions_of(patron):
    return Suggestion.objects.filter(patron=patron).select_related("order_line__order").order_by("-created_at", "-id")


def pending_suggestions_count() -> int:
    return Suggestion.objects.filter(status=SuggestionStatus.PENDING).count()


def lines_of_vendor(vendor: Vendor):
    return OrderLine.objects.filter(order__vendor=vendor).select_related("order", "record")

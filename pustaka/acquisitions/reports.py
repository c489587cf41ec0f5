"""The acquisitions reports, registered with the reports app (``pustaka/reports/specs.py``): spending by
fund (a year's funds: budget, encumbered, spent, available) and by vendor (what was ordered, received,
invoiced and paid in a period). Each figure is one grouped query; Python only merges the rows."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum
from django.utils.translation import gettext as _

from pustaka.reports.queries import Filters
from pustaka.reports.tables import Column, Table, with_totals

from . import queries
from .choices import OrderStatus
from .models import Invoice, Order, ReceivedCopy, Vendor

MONEY = DecimalField(max_digits=16, decimal_places=2)


def spending_by_fund(f: Filters) -> Table:
    """A year's funds: budget, encumbered (ordered, still to come), spent (received) and available."""
    years = range(f.period.start.year, f.period.end.year + 1)
    funds = queries.funds_with_figures().filter(year__in=years).order_by("year", "code")
    rows = [
        {"fund": x.code, "name": x.name, "year": x.year, "budget": x.budget, "encumbered": x.encumbered,
         "spent": x.spent, "available": x.available}
        for x in funds
    ]  # fmt: skip
    columns = [
        Column("fund", _("Fund"), "text"),
        Column("name", _("Name"), "text"),
        Column("year", _("Year"), "text"),
        Column("budget", _("Budget"), "amount"),
        Column("encumbered", _("Encumbered"), "amount"),
        Column("spent", _("Spent"), "amount"),
        Column("available", _("Available"), "amount"),
    ]
    totals = with_totals(columns, rows, "fund", _("Total"))
    totals.update(
        {key: sum((r[key] for r in rows), Decimal(0)) for key in ("budget", "encumbered", "spent", "available")}
    )
    return Table(
        columns, rows, totals=totals if rows else None,
        notes=[_("Encumbered: copies ordered and still to come. Spent: copies received.")],
    )  # fmt: skip


def spending_by_vendor(f: Filters) -> Table:
    """Per vendor, in the period: orders sent and their value, copies received and their value,
    invoiced and paid amounts."""
    p = f.period
    sums: dict = defaultdict(lambda: defaultdict(Decimal))
    sent = (
        Order.objects.filter(sent_at__gte=p.since, sent_at__lt=p.until)
        .exclude(status=OrderStatus.DRAFT)
        .values("vendor_id")
        .annotate(
            orders=Count("id", distinct=True),
            ordered=Sum(
                ExpressionWrapper(F("lines__price") * (F("lines__copies") - F("lines__cancelled")), output_field=MONEY)
            ),
        )
    )
    for row in sent:
        sums[row["vendor_id"]]["orders"] = row["orders"]
        sums[row["vendor_id"]]["ordered"] = row["ordered"] or 0
    received = (
        ReceivedCopy.objects.filter(delivery__received_at__gte=p.since, delivery__received_at__lt=p.until)
        .values("line__order__vendor_id")
        .annotate(copies=Count("id"), value=Sum("line__price"))
    )
    for row in received:
        sums[row["line__order__vendor_id"]]["copies"] = row["copies"]
        sums[row["line__order__vendor_id"]]["received"] = row["value"] or 0
    invoiced = (
        Invoice.objects.filter(date__gte=p.start, date__lte=p.end).values("vendor_id").annotate(invoiced=Sum("amount"))
    )
    for row in invoiced:
        sums[row["vendor_id"]]["invoiced"] = row["invoiced"] or 0
    paid = (
        Invoice.objects.filter(date__gte=p.start, date__lte=p.end, paid_on__isnull=False)
        .values("vendor_id")
        .annotate(paid=Sum("amount"))
    )
    for row in paid:
        sums[row["vendor_id"]]["paid"] = row["paid"] or 0
    names = dict(Vendor.objects.filter(pk__in=sums).values_list("pk", "name"))
    keys = ("orders", "ordered", "copies", "received", "invoiced", "paid")
    rows = sorted(
        ({"vendor": names[pk], **{k: values.get(k, 0) for k in keys}} for pk, values in sums.items()),
        key=lambda r: (-r["ordered"], r["vendor"]),
    )
    columns = [
        Column("vendor", _("Vendor"), "text"),
        Column("orders", _("Orders sent")),
        Column("ordered", _("Ordered"), "amount"),
        Column("copies", _("Copies received")),
        Column("received", _("Received"), "amount"),
        Column("invoiced", _("Invoiced"), "amount"),
        Column("paid", _("Paid"), "amount"),
    ]
    return Table(columns, rows, totals=with_totals(columns, rows, "vendor", _("Total")) if rows else None)

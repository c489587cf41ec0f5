"""Acquisitions (pengadaan): vendors, funds, orders and their lines, deliveries, invoices, claims and
patrons' purchase suggestions.

A fund's figures are computed, never stored: encumbered is the price of the copies still to come on
sent orders, spent the price of the copies received, available the budget less both
(:func:`pustaka.acquisitions.queries.funds_with_figures`). Received copies are real items, made by
:func:`pustaka.holdings.actions.create_item` (so each gets its accession number) and listed in
:class:`ReceivedCopy`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.models import Branch

from .choices import OrderStatus, SuggestionStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


class Vendor(models.Model):
    """A bookshop, publisher or distributor the library buys from (pemasok)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        default_permissions = ("view",)
        permissions = [("manage_vendors", _("Can add and edit vendors"))]

    def __str__(self) -> str:
        return self.name


class Fund(models.Model):
    """A budget line of one year (dana pengadaan): what the library may spend on it."""

    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(_("budget"), **MONEY)
    is_active = models.BooleanField(_("open for orders"), default=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        default_permissions = ("view",)
        permissions = [("set_funds", _("Can set funds and their budgets"))]
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="fund_code_once_a_year"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="fund_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year}"


class OrderSequence(models.Model):
    """The last order number given in a year (numbers restart at 1 each year)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("order sequence")
        verbose_name_plural = _("order sequences")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Order(models.Model):
    """An order to one vendor (surat pesanan): its lines, status, dates and claims."""

    number = models.CharField(_("order number"), max_length=40, unique=True)
    vendor = models.ForeignKey(Vendor, models.PROTECT, related_name="orders", verbose_name=_("vendor"))
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    note = models.CharField(_("note to the vendor"), max_length=500, blank=True)
    expected_by = models.DateField(_("expected by"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    emailed_to = models.CharField(_("emailed to"), max_length=254, blank=True)
    email_problem = models.CharField(_("email problem"), max_length=300, blank=True)
    claim_count = models.PositiveSmallIntegerField(_("claims"), default=0)
    last_claimed_at = models.DateTimeField(_("last claimed"), null=True, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        default_permissions = ("view",)
        permissions = [
            ("place_order", _("Can write, send, cancel and claim orders")),
            ("receive_order", _("Can receive deliveries of orders")),
        ]
        indexes = [models.Index(fields=["status", "expected_by"], name="acq_order_status_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_late(self) -> bool:
        """Sent or partly received, and past the date the vendor promised."""
        from .choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES and self.expected_by is not None and self.expected_by < timezone.localdate()


class OrderLine(models.Model):
    """Copies of one title for one branch at one price, charged to one fund."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="lines", verbose_name=_("order"))
    record = models.ForeignKey("catalog.Record", models.PROTECT, related_name="+", verbose_name=_("title"))
    copies = models.PositiveSmallIntegerField(_("copies"))
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("branch"))
    item_type = models.ForeignKey("holdings.ItemType", models.PROTECT, related_name="+", verbose_name=_("item type"))
    price = models.DecimalField(_("price per copy"), **MONEY)
    fund = models.ForeignKey(Fund, models.PROTECT, related_name="lines", verbose_name=_("fund"))
    received = models.PositiveSmallIntegerField(_("copies received"), default=0)
    cancelled = models.PositiveSmallIntegerField(_("copies cancelled"), default=0)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1), name="order_line_copies_positive"),
            models.CheckConstraint(condition=Q(price__gte=0), name="order_line_price_not_negative"),
            models.CheckConstraint(
                condition=Q(received__lte=F("copies") - F("cancelled")), name="order_line_not_over_received"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} #{self.pk}"

    @property
    def outstanding(self) -> int:
        """Copies still to come (neither received nor cancelled)."""
        return self.copies - self.received - self.cancelled

    @property
    def total(self):
        return self.price * self.copies


class Delivery(models.Model):
    """One delivery of an order, received at the library: the copies it brought."""

    order = models.ForeignKey(Order, models.PROTECT, related_name="deliveries", verbose_name=_("order"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    note = models.CharField(_("delivery note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.order.number} {self.received_at:%Y-%m-%d}"


class ReceivedCopy(models.Model):
    """A copy a delivery brought for an order line (the item made for it)."""

    delivery = models.ForeignKey(Delivery, models.CASCADE, related_name="copies", verbose_name=_("delivery"))
    line = models.ForeignKey(OrderLine, models.PROTECT, related_name="received_copies", verbose_name=_("order line"))
    item = models.OneToOneField(
        "holdings.Item", models.SET_NULL, null=True, blank=True, related_name="order_copy", verbose_name=_("item")
    )
    barcode = models.CharField(_("barcode"), max_length=32)

    class Meta:
        ordering = ["id"]
        verbose_name = _("received copy")
        verbose_name_plural = _("received copies")
        default_permissions = ()

    def __str__(self) -> str:
        return self.barcode


class Claim(models.Model):
    """A reminder sent to the vendor about a late order (the claim letter)."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="claims", verbose_name=_("order"))
    number = models.PositiveSmallIntegerField(_("claim number"))
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "number"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="claim_number_once_an_order")]

    def __str__(self) -> str:
        return f"{self.order.number} / {self.number}"


class Invoice(models.Model):
    """A vendor's invoice (faktur) for copies of its orders: number, date, amount, paid or not."""

    vendor = models.ForeignKey(Vendor, models.PROTECT, related_name="invoices", verbose_name=_("vendor"))
    number = models.CharField(_("invoice number"), max_length=60)
    date = models.DateField(_("invoice date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        default_permissions = ("view",)
        permissions = [("record_invoice", _("Can record invoices and their payment"))]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "number"], name="invoice_number_once_a_vendor"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def paid(self) -> bool:
        return self.paid_on is not None


class InvoiceLine(models.Model):
    """What an invoice charges for one order line."""

    invoice = models.ForeignKey(Invoice, models.CASCADE, related_name="lines", verbose_name=_("invoice"))
    line = models.ForeignKey(OrderLine, models.PROTECT, related_name="invoice_lines", verbose_name=_("order line"))
    copies = models.PositiveSmallIntegerField(_("copies"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["id"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        default_permissions = ()
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_line_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.invoice.number}: {self.line_id}"


class Suggestion(models.Model):
    """A title a patron asks the library to buy, and the librarian's answer."""

    patron = models.ForeignKey(
        "patrons.Patron", models.CASCADE, related_name="purchase_suggestions", verbose_name=_("patron")
    )
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=17, blank=True)
    reason = models.CharField(_("why the library should have it"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    created_at = models.DateTimeField(_("suggested"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    order_line = models.OneToOneField(
        OrderLine, models.SET_NULL, null=True, blank=True, related_name="suggestion", verbose_name=_("order line")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purchase suggestion")
        verbose_name_plural = _("purchase suggestions")
        default_permissions = ("view",)
        permissions = [("review_suggestions", _("Can accept or reject patrons' purchase suggestions"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.REJECTED) | ~Q(rejection_reason=""),
                name="suggestion_rejected_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title

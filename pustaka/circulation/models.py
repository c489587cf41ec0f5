"""Circulation: loan rules, the calendar, loans, holds, the fines ledger, notices and SIP2 accounts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pustaka.catalog.models import Record
from pustaka.core.models import Branch, TimeStamped
from pustaka.holdings.models import Item, ItemType
from pustaka.patrons.models import Patron, PatronCategory

from .choices import FeeKind, HoldStatus, NoticeKind, PaymentMethod


class LoanRule(TimeStamped):
    """One cell of the loan-rule matrix: patron category × item type × branch (empty = any).

    The most specific rule wins (branch, then item type, then patron category count; see
    ``rules.find_rule``); a rule with all three empty is the library's default.
    """

    patron_category = models.ForeignKey(
        PatronCategory, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("patron category")
    )
    item_type = models.ForeignKey(
        ItemType, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("item type")
    )
    branch = models.ForeignKey(
        Branch, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("branch")
    )
    loan_days = models.PositiveIntegerField(_("loan period (days)"), default=14)
    renewals = models.PositiveIntegerField(_("renewals allowed"), default=2)
    max_items = models.PositiveIntegerField(_("maximum items on loan"), default=10)
    fine_per_day = models.DecimalField(_("fine per day"), max_digits=10, decimal_places=2, default=1000)
    max_fine = models.DecimalField(_("maximum fine per item"), max_digits=12, decimal_places=2, default=50000)
    grace_days = models.PositiveIntegerField(_("grace days"), default=0)
    holds_allowed = models.BooleanField(_("holds allowed"), default=True)
    hold_shelf_days = models.PositiveIntegerField(_("days on the hold shelf"), default=7)
    holds_when_available = models.BooleanField(
        _("holds while a copy is on the shelf"),
        default=False,
        help_text=_("Allow a hold on a title even when a copy is available on the shelf."),
    )
    replacement_charge = models.DecimalField(
        _("replacement charge"),
        max_digits=12,
        decimal_places=2,
        default=50000,
        help_text=_("Charged for a lost item that has no price of its own."),
    )
    processing_fee = models.DecimalField(
        _("processing fee for a lost item"), max_digits=12, decimal_places=2, default=10000
    )

    class Meta:
        verbose_name = _("loan rule")
        verbose_name_plural = _("loan rules")
        permissions = [
            ("manage_loan_rules", _("Can add, change and remove loan rules")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["patron_category", "item_type", "branch"],
                name="loan_rule_unique_cell",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(fine_per_day__gte=0) & Q(max_fine__gte=0), name="loan_rule_fines_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(replacement_charge__gte=0) & Q(processing_fee__gte=0),
                name="loan_rule_lost_charges_non_negative",
            ),
        ]

    def __str__(self) -> str:
        parts = [str(x) if x else "*" for x in (self.patron_category, self.item_type, self.branch)]
        return " × ".join(parts)


class ClosedDay(models.Model):
    """A day a branch (or, with no branch, every branch) is closed besides its weekly closed days."""

    branch = models.ForeignKey(
        Branch, models.CASCADE, null=True, blank=True, related_name="closed_days", verbose_name=_("branch")
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        permissions = [
            ("manage_calendar", _("Can add and remove closed days")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["branch", "date"], name="closed_day_unique", nulls_distinct=False)
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class Loan(models.Model):
    """One loan (peminjaman) of an item to a patron. Open while ``returned_at`` is empty.

    The database allows one open loan per item (partial unique constraint), so two desks lending the
    same copy at once give exactly one loan.
    """

    item = models.ForeignKey(Item, models.PROTECT, related_name="loans", verbose_name=_("item"))
    patron = models.ForeignKey(Patron, models.PROTECT, related_name="loans", verbose_name=_("patron"))
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("lent at"))
    rule = models.ForeignKey(LoanRule, models.SET_NULL, null=True, blank=True, related_name="+")
    checked_out_at = models.DateTimeField(_("lent"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    renewals = models.PositiveIntegerField(_("renewals"), default=0)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_branch = models.ForeignKey(
        Branch, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("returned at")
    )
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lent by")
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    claimed_returned_at = models.DateTimeField(_("patron says returned"), null=True, blank=True)
    is_lost = models.BooleanField(_("declared lost"), default=False)
    overridden = models.CharField(_("override"), max_length=200, blank=True)

    class Meta:
        ordering = ["-checked_out_at", "-id"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(returned_at__isnull=True), name="one_open_loan_per_item"
            )
        ]
        indexes = [
            models.Index(fields=["patron", "returned_at"], name="loan_patron_open_idx"),
            # Reports (pustaka/reports, measured by bench/reports.py): loans lent in a period, read from
            # the index alone; returns in a period; the open loans by due date (overdue lists, the desk).
            models.Index(
                fields=["checked_out_at", "branch", "patron", "item", "renewals", "due_at", "returned_at"],
                name="loan_lent_report_idx",
            ),
            models.Index(fields=["returned_at", "return_branch"], name="loan_returned_idx"),
            models.Index(fields=["due_at"], condition=Q(returned_at__isnull=True), name="loan_open_due_idx"),
        ]
        permissions = [
            ("checkout", _("Can lend copies")),
            ("checkin", _("Can check in copies and receive transits")),
            ("renew", _("Can renew loans")),
            ("declare_lost", _("Can declare loans lost")),
            ("override", _("Can override circulation refusals")),
            ("claim_returned", _("Can record claims-returned")),
        ]

    def __str__(self) -> str:
        return f"{self.item.barcode} → {self.patron.card_number}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None


class Hold(models.Model):
    """A hold (reservation) on a title (any copy of ``record``) or on one copy (``item``).

    Holds on a record are served in order of ``placed_at``. When a copy is trapped for the hold it is
    ``trapped_item``; it waits on the hold shelf of ``pickup_branch`` until ``shelf_until``.
    """

    record = models.ForeignKey(Record, models.PROTECT, related_name="holds", verbose_name=_("title"))
    item = models.ForeignKey(
        Item, models.PROTECT, null=True, blank=True, related_name="item_holds", verbose_name=_("specific copy")
    )
    patron = models.ForeignKey(Patron, models.PROTECT, related_name="holds", verbose_name=_("patron"))
    pickup_branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("pickup branch"))
    status = models.CharField(_("status"), max_length=12, choices=HoldStatus.choices, default=HoldStatus.WAITING)
    placed_at = models.DateTimeField(_("placed"), db_index=True)
    expires_on = models.DateField(_("not needed after"), null=True, blank=True)
    trapped_item = models.ForeignKey(
        Item, models.PROTECT, null=True, blank=True, related_name="trapped_holds", verbose_name=_("copy held")
    )
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    shelf_until = models.DateField(_("on the hold shelf until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("placed by")
    )

    class Meta:
        ordering = ["placed_at", "id"]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        permissions = [
            ("place_hold", _("Can place holds for patrons")),
            ("manage_holds", _("Can change, cancel, expire and fill holds")),
        ]
        indexes = [models.Index(fields=["record", "status", "placed_at"], name="hold_queue_idx")]
        constraints = [
            # One copy serves at most one open hold.
            models.UniqueConstraint(
                fields=["trapped_item"],
                condition=Q(status__in=["in_transit", "ready"]),
                name="one_hold_per_trapped_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record.title[:60]} · {self.patron.card_number}"


class FeeEntry(models.Model):
    """One line of a patron's ledger: a charge (fine, lost item, fee) or a credit (payment, waiver).

    ``amount`` is never negative; ``FeeKind.credits()`` say which lines lower the balance. A credit may
    name the charge it settles (``settles``).
    """

    patron = models.ForeignKey(Patron, models.PROTECT, related_name="fees", verbose_name=_("patron"))
    kind = models.CharField(_("kind"), max_length=12, choices=FeeKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    loan = models.ForeignKey(Loan, models.PROTECT, null=True, blank=True, related_name="fees", verbose_name=_("loan"))
    settles = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="settled_by", verbose_name=_("settles")
    )
    payment_method = models.CharField(_("payment method"), max_length=12, choices=PaymentMethod.for_fees(), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    branch = models.ForeignKey(
        Branch, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("branch")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="fee_amount_non_negative")]
        permissions = [
            ("charge_fee", _("Can add charges to a patron's ledger")),
            ("take_payment", _("Can take payments")),
            ("waive_fee", _("Can waive fines and fees")),
        ]

    def __str__(self) -> str:
        return f"{self.patron.card_number} {self.kind} {self.amount}"


class Notice(models.Model):
    """One notice sent (or attempted) to a patron. ``key`` makes each notice go out only once.

    ``claimed_at`` is set while one run is sending it (the claim is committed before the email goes
    out, so no other run sends it at the same time); it is cleared when the outcome is recorded.
    """

    patron = models.ForeignKey(Patron, models.CASCADE, related_name="notices", verbose_name=_("patron"))
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    key = models.CharField(max_length=120, unique=True)
    email = models.EmailField(_("sent to"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        permissions = [
            ("send_notices", _("Can send notices now")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.patron.card_number}"


class SipAccount(TimeStamped):
    """A login for a SIP2 self-check machine: which institution it speaks for and at which branch it lends."""

    login = models.CharField(_("login"), max_length=64, unique=True)
    password = models.CharField(_("password"), max_length=128)
    institution = models.CharField(_("institution id"), max_length=32)
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("branch"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("acts as"),
        help_text=_("The staff account whose permissions the machine uses."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["login"]
        verbose_name = _("SIP2 account")
        verbose_name_plural = _("SIP2 accounts")
        permissions = [
            ("manage_selfcheck", _("Can add and change self-check accounts")),
        ]

    def __str__(self) -> str:
        return self.login

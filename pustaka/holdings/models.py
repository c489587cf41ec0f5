"""Items (physical copies), item types and the condition history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from pustaka.catalog.callnumbers import shelf_key
from pustaka.catalog.models import Record
from pustaka.core.fields import SortKeyField
from pustaka.core.models import Branch, Location, TimeStamped

from .choices import Condition, ItemStatus, PullReason


class ItemType(models.Model):
    """A circulation class of items (book, reference, magazine, DVD...); loan rules key on it."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_loanable = models.BooleanField(_("can be lent"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("item type")
        verbose_name_plural = _("item types")
        permissions = [
            ("manage_item_types", _("Can add item types")),
        ]

    def __str__(self) -> str:
        return self.name


class Item(TimeStamped):
    """One physical copy of a record, with its barcode, place, status and condition."""

    barcode = models.CharField(_("barcode"), max_length=32, unique=True)
    record = models.ForeignKey(Record, models.PROTECT, related_name="items", verbose_name=_("record"))
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="items", verbose_name=_("branch"))
    location = models.ForeignKey(
        Location, models.PROTECT, null=True, blank=True, related_name="items", verbose_name=_("location")
    )
    call_number = models.CharField(
        _("call number"), max_length=200, blank=True, help_text=_("Leave empty to use the record's call number.")
    )
    copy_number = models.PositiveSmallIntegerField(_("copy number"), default=1)
    item_type = models.ForeignKey(ItemType, models.PROTECT, related_name="items", verbose_name=_("item type"))
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    acquired_on = models.DateField(_("acquisition date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.AVAILABLE)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    pulled_reason = models.CharField(_("pull reason"), max_length=10, choices=PullReason.choices, blank=True)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    loan_count = models.PositiveIntegerField(_("number of loans"), default=0)
    last_loan_at = models.DateTimeField(_("last loan"), null=True, blank=True)
    # Derived from the effective call number so shelves sort as librarians sort (see callnumbers.shelf_key).
    shelf_key = SortKeyField(_("shelf order"), max_length=255, blank=True, db_index=True, editable=False)
    public_note = models.CharField(_("public note"), max_length=300, blank=True)
    staff_note = models.TextField(_("staff note"), blank=True)

    class Meta:
        ordering = ["barcode"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        indexes = [
            models.Index(fields=["status", "branch"], name="item_status_branch_idx"),
            # A barcode typed in another letter case is found by one indexed query (core.lookups).
            models.Index(Upper("barcode"), name="item_barcode_upper_idx"),
            # Copies never lent, oldest first (reports: never borrowed, measured by bench/reports.py).
            models.Index(fields=["loan_count", "acquired_on", "barcode"], name="item_loan_count_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(barcode=""), name="item_barcode_not_empty"),
            models.CheckConstraint(
                condition=Q(status=ItemStatus.PULLED, pulled_reason__in=PullReason.values)
                | ~Q(status=ItemStatus.PULLED),
                name="item_pulled_has_reason",
            ),
        ]
        permissions = [
            ("add_copy", _("Can add copies to records")),
            ("edit_copy", _("Can edit copies' details")),
            ("receive_item", _("Can receive ordered items")),
            ("process_item", _("Can process new items")),
            ("shelve_item", _("Can confirm items on the shelf")),
            ("circulate_item", _("Can lend and return items")),
            ("pull_item", _("Can pull items from the shelf")),
            ("repair_item", _("Can repair items")),
            ("bind_item", _("Can send items to the bindery")),
            ("withdraw_item", _("Can withdraw and discard items")),
            ("sell_item", _("Can sell withdrawn items")),
            ("mark_missing", _("Can mark items missing")),
            ("mark_lost", _("Can mark items lost")),
            ("find_item", _("Can mark missing or lost items found")),
            ("change_condition", _("Can record an item's condition")),
        ]

    def __str__(self) -> str:
        return f"{self.barcode} · {self.record.title[:80]}" if self.record_id else self.barcode

    def save(self, *args, **kwargs):
        self.shelf_key = shelf_key(self.effective_call_number)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "shelf_key"}
        super().save(*args, **kwargs)

    @property
    def effective_call_number(self) -> str:
        return self.call_number or self.record.call_number

    @property
    def status_colour(self) -> str:
        return ItemStatus.colour(self.status)

    @property
    def condition_colour(self) -> str:
        return Condition.colour(self.condition)


class ConditionChange(models.Model):
    """One recorded change of an item's condition (the condition history)."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="condition_history", verbose_name=_("item"))
    from_condition = models.CharField(_("from"), max_length=10, choices=Condition.choices, blank=True)
    to_condition = models.CharField(_("to"), max_length=10, choices=Condition.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("condition change")
        verbose_name_plural = _("condition changes")

    def __str__(self) -> str:
        return f"{self.item.barcode}: {self.from_condition} → {self.to_condition}"

"""Technical services: processing profiles and progress, assignments and reviews, pull lists,
weeding, repairs, bindery shipments, sales, stocktakes and serial subscriptions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pustaka.catalog.models import Record
from pustaka.core.models import Branch, Location, TimeStamped
from pustaka.holdings.choices import Condition, PullReason
from pustaka.holdings.models import Item

from .choices import (
    DamageType,
    EntryOutcome,
    Frequency,
    IssueStatus,
    PaymentMethod,
    PullEntryState,
    PullListStatus,
    Queue,
    RepairStatus,
    ReviewOutcome,
    ScanResult,
    ShipmentStatus,
    StepKind,
    StocktakeStatus,
    WeedingDecision,
)

USER = settings.AUTH_USER_MODEL


# Processing -------------------------------------------------------------------------------------


class ProcessingProfile(TimeStamped):
    """The processing procedure of one branch (or of the whole library when ``branch`` is empty)."""

    branch = models.OneToOneField(
        Branch, models.CASCADE, null=True, blank=True, related_name="processing_profile", verbose_name=_("branch")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("processing profile")
        verbose_name_plural = _("processing profiles")
        permissions = [("manage_processing_profiles", _("Can change processing profiles and their steps"))]
        constraints = [
            models.UniqueConstraint(fields=["branch"], condition=Q(branch__isnull=True), name="one_library_profile")
        ]

    def __str__(self) -> str:
        return self.name


class ProcessingStep(models.Model):
    """One step of a profile, in order; a step turned off is skipped (pre-labelled items)."""

    profile = models.ForeignKey(ProcessingProfile, models.CASCADE, related_name="steps", verbose_name=_("profile"))
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("Only for your own steps."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_enabled = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["profile", "position", "id"]
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")

    def __str__(self) -> str:
        return self.name or str(StepKind(self.kind).label)


class ProcessingStepDone(models.Model):
    """A step ticked for an item: who did it and when."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="processing_done", verbose_name=_("item"))
    step = models.ForeignKey(ProcessingStep, models.PROTECT, related_name="+", verbose_name=_("step"))
    done_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+", verbose_name=_("done by"))
    done_at = models.DateTimeField(_("done"), auto_now_add=True)

    class Meta:
        ordering = ["done_at", "id"]
        verbose_name = _("processing step done")
        verbose_name_plural = _("processing steps done")
        permissions = [("do_processing", _("Can scan items into processing and tick their steps"))]
        constraints = [models.UniqueConstraint(fields=["item", "step"], name="processing_step_once")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.step}"


# Supervision ------------------------------------------------------------------------------------


class Assignment(models.Model):
    """Who works on an item in a queue; ``finished_at`` is set when the work leaves the queue."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="assignments", verbose_name=_("item"))
    queue = models.CharField(_("queue"), max_length=16, choices=Queue.choices)
    assigned_to = models.ForeignKey(USER, models.PROTECT, related_name="assignments", verbose_name=_("assigned to"))
    assigned_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+", verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        permissions = [
            ("assign_work", _("Can assign work to technicians")),
            ("review_work", _("Can review technicians' work and send it back")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "queue"], condition=Q(finished_at__isnull=True), name="one_open_assignment_per_queue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.queue} → {self.assigned_to_id}"


class Review(models.Model):
    """A senior technician's or librarian's check of a technician's work on an item."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="reviews", verbose_name=_("item"))
    queue = models.CharField(_("queue"), max_length=16, choices=Queue.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReviewOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    reviewer = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed"), auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.item_id} {self.queue} {self.outcome}"


# Pull lists and weeding -------------------------------------------------------------------------


class PullList(TimeStamped):
    """Items to take off the shelves for one reason, worked in shelf order."""

    name = models.CharField(_("name"), max_length=200)
    reason = models.CharField(_("reason"), max_length=10, choices=PullReason.choices)
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="pull_lists", verbose_name=_("branch"))
    status = models.CharField(_("status"), max_length=10, choices=PullListStatus.choices, default=PullListStatus.OPEN)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pull list")
        verbose_name_plural = _("pull lists")
        permissions = [
            ("make_pull_lists", _("Can make pull lists and add items to them")),
            ("close_pull_lists", _("Can close pull lists")),
        ]

    def __str__(self) -> str:
        return self.name


class PullListEntry(models.Model):
    """One item on a pull list, and whether it was found on the shelf."""

    pull_list = models.ForeignKey(PullList, models.CASCADE, related_name="entries", verbose_name=_("pull list"))
    item = models.ForeignKey(Item, models.PROTECT, related_name="pull_entries", verbose_name=_("item"))
    state = models.CharField(_("state"), max_length=10, choices=PullEntryState.choices, default=PullEntryState.WAITING)
    handled_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pull list entry")
        verbose_name_plural = _("pull list entries")
        constraints = [models.UniqueConstraint(fields=["pull_list", "item"], name="item_once_per_pull_list")]

    def __str__(self) -> str:
        return f"{self.pull_list_id}: {self.item_id}"


class WeedingCriteria(TimeStamped):
    """CREW/MUSTIE-style rules for proposing items to weed in a collection or class range."""

    name = models.CharField(_("name"), max_length=200)
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("branch"))
    location = models.ForeignKey(
        Location, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("location")
    )
    class_from = models.CharField(_("class number from"), max_length=50, blank=True)
    class_to = models.CharField(_("class number to"), max_length=50, blank=True)
    material_type = models.CharField(_("material type"), max_length=16, blank=True)
    min_years_since_publication = models.PositiveSmallIntegerField(
        _("published at least N years ago"), null=True, blank=True
    )
    min_years_since_last_loan = models.PositiveSmallIntegerField(
        _("not lent for at least N years"), null=True, blank=True
    )
    max_loan_count = models.PositiveIntegerField(_("lent at most N times"), null=True, blank=True)
    conditions = models.JSONField(
        _("in condition"), default=list, blank=True, help_text=_("Leave empty for any condition.")
    )
    min_copies_held = models.PositiveSmallIntegerField(_("only when at least N copies are held"), null=True, blank=True)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("weeding criteria")
        verbose_name_plural = _("weeding criteria")
        permissions = [("propose_weeding", _("Can set weeding criteria and propose candidates"))]

    def __str__(self) -> str:
        return self.name


class WeedingCandidate(models.Model):
    """An item the criteria proposed, with the reasons, and the librarian's decision."""

    criteria = models.ForeignKey(WeedingCriteria, models.CASCADE, related_name="candidates")
    item = models.ForeignKey(Item, models.CASCADE, related_name="weeding_candidacies", verbose_name=_("item"))
    reasons = models.JSONField(_("reasons"), default=list)
    decision = models.CharField(
        _("decision"), max_length=10, choices=WeedingDecision.choices, default=WeedingDecision.PROPOSED
    )
    decided_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    pull_list = models.ForeignKey(PullList, models.SET_NULL, null=True, blank=True, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        verbose_name = _("weeding candidate")
        verbose_name_plural = _("weeding candidates")
        permissions = [("decide_weeding", _("Can approve or reject weeding candidates"))]
        constraints = [models.UniqueConstraint(fields=["criteria", "item"], name="candidate_once_per_criteria")]

    def __str__(self) -> str:
        return f"{self.criteria_id}: {self.item_id}"


# Repair and bindery -----------------------------------------------------------------------------


class RepairTicket(TimeStamped):
    """A repair of one item: the damage, the work done, time and materials."""

    item = models.ForeignKey(Item, models.PROTECT, related_name="repairs", verbose_name=_("item"))
    damage_type = models.CharField(_("damage"), max_length=20, choices=DamageType.choices)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RepairStatus.choices, default=RepairStatus.OPEN)
    opened_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+", verbose_name=_("opened by"))
    repaired_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("repaired by")
    )
    minutes_spent = models.PositiveIntegerField(_("minutes spent"), default=0)
    materials_cost = models.DecimalField(_("materials cost"), max_digits=12, decimal_places=2, default=0)
    condition_after = models.CharField(_("condition after"), max_length=10, choices=Condition.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        permissions = [("handle_repairs", _("Can open repair tickets, record repairs and close them"))]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=Q(status="open"), name="one_open_repair_per_item"),
            models.CheckConstraint(condition=Q(materials_cost__gte=0), name="repair_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.item_id}"


class BinderyVendor(TimeStamped):
    """An outside bindery."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    contact = models.TextField(_("contact"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bindery")
        verbose_name_plural = _("binderies")
        permissions = [("manage_binderies", _("Can add binderies"))]

    def __str__(self) -> str:
        return self.name


class BinderyShipment(TimeStamped):
    """Items sent together to a bindery; they are ``at_bindery`` until received back (possibly in parts)."""

    vendor = models.ForeignKey(BinderyVendor, models.PROTECT, related_name="shipments", verbose_name=_("bindery"))
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("branch"))
    status = models.CharField(_("status"), max_length=16, choices=ShipmentStatus.choices, default=ShipmentStatus.DRAFT)
    sent_on = models.DateField(_("sent"), null=True, blank=True)
    expected_on = models.DateField(_("expected back"), null=True, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, default=0)
    instructions = models.TextField(_("general instructions"), blank=True)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bindery shipment")
        verbose_name_plural = _("bindery shipments")
        permissions = [
            ("prepare_bindery_shipments", _("Can start bindery shipments")),
            ("send_to_bindery", _("Can fill and send bindery shipments")),
            ("receive_from_bindery", _("Can receive items back from the bindery")),
        ]
        constraints = [models.CheckConstraint(condition=Q(cost__gte=0), name="bindery_cost_not_negative")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.vendor}"


class BinderyShipmentItem(models.Model):
    """One item in a shipment with its binding instructions and when it came back."""

    shipment = models.ForeignKey(BinderyShipment, models.CASCADE, related_name="lines", verbose_name=_("shipment"))
    item = models.ForeignKey(Item, models.PROTECT, related_name="bindery_lines", verbose_name=_("item"))
    instructions = models.CharField(_("instructions"), max_length=500, blank=True)
    returned_on = models.DateField(_("returned"), null=True, blank=True)
    binding_note = models.CharField(_("new binding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("shipment item")
        verbose_name_plural = _("shipment items")
        constraints = [models.UniqueConstraint(fields=["shipment", "item"], name="item_once_per_shipment")]

    def __str__(self) -> str:
        return f"{self.shipment_id}: {self.item_id}"


# Sale -------------------------------------------------------------------------------------------


class SaleEvent(TimeStamped):
    """A book sale (or the library's ongoing sale shelf)."""

    name = models.CharField(_("name"), max_length=200)
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("branch"))
    held_on = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("sale event")
        verbose_name_plural = _("sale events")
        permissions = [("hold_sales", _("Can hold sales: events, prices and sales of withdrawn items"))]

    def __str__(self) -> str:
        return self.name


class SaleOffer(models.Model):
    """A withdrawn item offered for sale at a price."""

    item = models.OneToOneField(Item, models.PROTECT, related_name="sale_offer", verbose_name=_("item"))
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    offered_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    offered_at = models.DateTimeField(_("offered"), auto_now_add=True)

    class Meta:
        verbose_name = _("sale offer")
        verbose_name_plural = _("sale offers")
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="sale_price_not_negative")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.price}"


class Sale(models.Model):
    """A sold item: the sales ledger, each line tied to the withdrawn item."""

    item = models.OneToOneField(Item, models.PROTECT, related_name="sale", verbose_name=_("item"))
    event = models.ForeignKey(
        SaleEvent, models.PROTECT, null=True, blank=True, related_name="sales", verbose_name=_("sale event")
    )
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    payment_method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.for_sales())
    sold_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+", verbose_name=_("sold by"))
    sold_at = models.DateTimeField(_("sold"), auto_now_add=True)
    receipt = models.CharField(_("receipt"), max_length=40, blank=True, db_index=True)

    class Meta:
        ordering = ["-sold_at"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="sold_price_not_negative")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.price}"


# Stocktake --------------------------------------------------------------------------------------


class Stocktake(TimeStamped):
    """An inventory of a location or call-number range, scanned shelf by shelf."""

    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("branch"))
    location = models.ForeignKey(
        Location, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("location")
    )
    call_number_from = models.CharField(_("call number from"), max_length=100, blank=True)
    call_number_to = models.CharField(_("call number to"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StocktakeStatus.choices, default=StocktakeStatus.OPEN)
    started_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+", verbose_name=_("started by"))
    confirmed_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Frozen at confirmation: how many copies were expected on the shelf, how many of them were seen.
    expected_count = models.PositiveIntegerField(_("copies expected on the shelf"), null=True, blank=True)
    seen_count = models.PositiveIntegerField(_("expected copies seen"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        permissions = [
            ("take_stock", _("Can start, scan, finish and cancel stocktakes")),
            ("confirm_stocktake", _("Can confirm a stocktake and mark items missing")),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.branch.code}"


class StocktakeScan(models.Model):
    """One barcode scanned during a stocktake, in scanning order, with what it says."""

    stocktake = models.ForeignKey(Stocktake, models.CASCADE, related_name="scans", verbose_name=_("stocktake"))
    position = models.PositiveIntegerField(_("position"))
    barcode = models.CharField(_("barcode"), max_length=32)
    item = models.ForeignKey(Item, models.SET_NULL, null=True, blank=True, related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=ScanResult.choices)
    # The item's status when it was scanned: the report shows it as it was, not as it is today.
    item_status = models.CharField(_("item status then"), max_length=20, blank=True)
    scanned_at = models.DateTimeField(_("scanned"), auto_now_add=True)

    class Meta:
        ordering = ["stocktake", "position"]
        verbose_name = _("stocktake scan")
        verbose_name_plural = _("stocktake scans")
        constraints = [models.UniqueConstraint(fields=["stocktake", "position"], name="scan_position_unique")]

    def __str__(self) -> str:
        return f"{self.stocktake_id}#{self.position} {self.barcode}"


class StocktakeEntry(models.Model):
    """A copy the stocktake expects on the shelf, taken when it starts (in scope and standing on its
    shelf then, with where it stood). Confirmation freezes each entry's outcome: seen, marked missing
    (with the copy as it was, which the confirmed report shows) or gone from the shelf during the
    stocktake (lent, moved: not counted). Copies added or moved onto the shelf later have no entry."""

    stocktake = models.ForeignKey(Stocktake, models.CASCADE, related_name="entries", verbose_name=_("stocktake"))
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("item"))
    # Where the copy stood when the stocktake started.
    location_id_then = models.BigIntegerField(_("location then"), null=True, blank=True)
    shelf_key_then = models.CharField(_("shelf key then"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=EntryOutcome.choices, default=EntryOutcome.EXPECTED)
    # Filled for a copy marked missing: its place in the report and the copy as it was.
    position = models.PositiveIntegerField(_("position"), null=True, blank=True)
    barcode = models.CharField(_("barcode"), max_length=32, blank=True)
    call_number = models.CharField(_("call number"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    location_code = models.CharField(_("location code"), max_length=32, blank=True)
    location_name = models.CharField(_("location"), max_length=200, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        ordering = ["stocktake", "position", "id"]
        verbose_name = _("stocktake entry")
        verbose_name_plural = _("stocktake entries")
        constraints = [models.UniqueConstraint(fields=["stocktake", "item"], name="stocktake_entry_once")]
        indexes = [models.Index(fields=["stocktake", "outcome"], name="stocktake_entry_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.stocktake_id}: {self.item_id} {self.outcome}"


# Serials ----------------------------------------------------------------------------------------


class Subscription(TimeStamped):
    """A serial title the library receives (magazine, newspaper) and how often issues come."""

    record = models.ForeignKey(Record, models.PROTECT, related_name="subscriptions", verbose_name=_("title"))
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("branch"))
    location = models.ForeignKey(
        Location, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("location")
    )
    item_type = models.ForeignKey("holdings.ItemType", models.PROTECT, related_name="+", verbose_name=_("item type"))
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    starts_on = models.DateField(_("first issue expected"))
    ends_on = models.DateField(_("subscription ends"), null=True, blank=True)
    grace_days = models.PositiveSmallIntegerField(_("days of grace before an issue is late"), default=7)
    vendor = models.CharField(_("supplier"), max_length=200, blank=True)
    numbering = models.CharField(
        _("numbering"),
        max_length=100,
        default="No. {n}",
        help_text=_("How issues are labelled; {n} is the issue number, {year} the year."),
    )
    first_number = models.PositiveIntegerField(_("number of the first issue"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["record__title"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        permissions = [("manage_subscriptions", _("Can start and change serial subscriptions"))]

    def __str__(self) -> str:
        return f"{self.record.title} ({self.branch.code})"


class SerialIssue(models.Model):
    """One expected issue of a subscription; checking it in creates its item."""

    subscription = models.ForeignKey(Subscription, models.CASCADE, related_name="issues")
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("issue"), max_length=100)
    expected_on = models.DateField(_("expected"))
    status = models.CharField(_("status"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.EXPECTED)
    received_on = models.DateField(_("received"), null=True, blank=True)
    item = models.OneToOneField(Item, models.SET_NULL, null=True, blank=True, related_name="serial_issue")
    claimed_on = models.DateField(_("last claimed"), null=True, blank=True)
    claim_count = models.PositiveSmallIntegerField(_("claims"), default=0)

    class Meta:
        ordering = ["subscription", "expected_on", "number"]
        verbose_name = _("serial issue")
        verbose_name_plural = _("serial issues")
        permissions = [
            ("check_in_issue", _("Can check in serial issues")),
            ("claim_issue", _("Can claim late serial issues")),
        ]
        constraints = [models.UniqueConstraint(fields=["subscription", "number"], name="issue_number_unique")]

    def __str__(self) -> str:
        return f"{self.subscription.record.title} {self.label}"

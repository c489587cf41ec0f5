"""Technical-services choices: processing steps, queues, repair, bindery, sale, stocktake, serials."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pustaka.core.choices import ColouredChoices, PaymentMethod, template_kind

__all__ = ["PaymentMethod"]  # one PaymentMethod for fees and sales: core's (PaymentMethod.for_sales())


class StepKind(models.TextChoices):
    """The usual processing steps; a library may add its own (``OTHER`` with its own name)."""

    CATALOGUE = "catalogue", _("Enter into the catalogue")
    STAMP = "stamp", _("Library stamp")
    SPINE_LABEL = "spine_label", _("Call-number spine label")
    BARCODE_LABEL = "barcode_label", _("Barcode label")
    COVER = "cover", _("Protective cover")
    SECURITY_STRIP = "security_strip", _("Security strip")
    RFID_TAG = "rfid_tag", _("RFID tag")
    OTHER = "other", _("Other step")


class Queue(models.TextChoices):
    """The technician's work queues (work can be assigned in each)."""

    CATALOGUING = "cataloguing", _("Waiting for a call number")
    PROCESSING = "processing", _("Processing")
    SHELVING = "shelving", _("Shelving")
    PULLING = "pulling", _("Pulling")
    REPAIR = "repair", _("Repair")
    BINDERY = "bindery", _("Bindery")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    SALE = "sale", _("Sale")


@template_kind("review_outcome")
class ReviewOutcome(ColouredChoices):
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back")


@template_kind("pull_list_status")
class PullListStatus(ColouredChoices):
    OPEN = "open", pgettext_lazy("status", "Open")
    CLOSED = "closed", pgettext_lazy("status", "Closed")


@template_kind("pull_entry_state")
class PullEntryState(ColouredChoices):
    """Whether the technician found the item on the shelf."""

    WAITING = "waiting", _("To pull")
    PULLED = "pulled", _("Pulled")
    NOT_FOUND = "not_found", _("Not found")


@template_kind("weeding_decision")
class WeedingDecision(ColouredChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DamageType(models.TextChoices):
    TORN_PAGES = "torn_pages", _("Torn pages")
    LOOSE_PAGES = "loose_pages", _("Loose pages")
    BROKEN_SPINE = "broken_spine", _("Broken spine")
    COVER_DAMAGE = "cover_damage", _("Damaged cover")
    WATER = "water", _("Water damage")
    MOULD = "mould", _("Mould")
    WRITING = "writing", _("Writing or highlighting")
    LABEL = "label", _("Missing or worn label")
    MEDIA = "media", _("Damaged disc or media")
    OTHER = "other", _("Other damage")


@template_kind("repair_status")
class RepairStatus(ColouredChoices):
    OPEN = "open", pgettext_lazy("status", "Open")
    DONE = "done", _("Done")
    SENT_TO_BINDERY = "sent_to_bindery", _("Sent to the bindery")
    BEYOND_REPAIR = "beyond_repair", _("Beyond repair")


@template_kind("shipment_status")
class ShipmentStatus(ColouredChoices):
    DRAFT = "draft", _("Being prepared")
    SENT = "sent", _("Sent")
    PARTLY_RETURNED = "partly_returned", _("Partly returned")
    RETURNED = "returned", _("Returned")


@template_kind("stocktake_status")
class StocktakeStatus(ColouredChoices):
    OPEN = "open", _("Scanning")
    REVIEW = "review", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


@template_kind("scan_result")
class ScanResult(ColouredChoices):
    """What a scan during stocktake says about the item."""

    OK = "ok", _("In place")
    OUT_OF_ORDER = "out_of_order", _("Out of order")
    WRONG_SHELF = "wrong_shelf", _("On the wrong shelf")
    SHOULD_NOT_BE_HERE = "should_not_be_here", _("Should not be on the shelf")
    OUTSIDE_RANGE = "outside_range", _("Outside the stocktake range")
    UNKNOWN = "unknown", _("Unknown barcode")
    DUPLICATE = "duplicate", _("Scanned twice")
    FOUND = "found", _("Found (was missing)")


class EntryOutcome(ColouredChoices):
    """What became of a copy a stocktake expected on the shelf (frozen at confirmation)."""

    EXPECTED = "expected", pgettext_lazy("stocktake outcome", "Expected")
    SEEN = "seen", _("Seen")
    MISSING = "missing", _("Marked missing")
    GONE = "gone", _("Left the shelf during the stocktake")


class Frequency(models.TextChoices):
    """How often a serial appears; ``days`` between issues for prediction."""

    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    BIMONTHLY = "bimonthly", _("Every two months")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Twice a year")
    ANNUAL = "annual", _("Yearly")


@template_kind("issue_status")
class IssueStatus(ColouredChoices):
    EXPECTED = "expected", _("Expected")
    RECEIVED = "received", _("Received")
    LATE = "late", _("Late")
    CLAIMED = "claimed", _("Claimed")
    MISSING = "missing", _("Never arrived")


ReviewOutcome.set_colours({"approved": "green", "sent_back": "orange"})
PullListStatus.set_colours({"open": "blue", "closed": "grey"})
PullEntryState.set_colours({"waiting": "blue", "pulled": "green", "not_found": "red"})
WeedingDecision.set_colours({"proposed": "blue", "approved": "green", "rejected": "grey"})
RepairStatus.set_colours({"open": "yellow", "done": "green", "sent_to_bindery": "blue", "beyond_repair": "red"})
ShipmentStatus.set_colours({"draft": "grey", "sent": "blue", "partly_returned": "yellow", "returned": "green"})
StocktakeStatus.set_colours({"open": "blue", "review": "yellow", "confirmed": "green", "cancelled": "grey"})
ScanResult.set_colours(
    {
        "ok": "green",
        "out_of_order": "yellow",
        "wrong_shelf": "orange",
        "should_not_be_here": "red",
        "outside_range": "purple",
        "unknown": "red",
        "duplicate": "grey",
        "found": "blue",
    }
)
EntryOutcome.set_colours({"expected": "grey", "seen": "green", "missing": "red", "gone": "blue"})
IssueStatus.set_colours(
    {"expected": "blue", "received": "green", "late": "orange", "claimed": "yellow", "missing": "red"}
)

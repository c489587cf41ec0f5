"""Item statuses, pull reasons and conditions, each with its label and badge colour."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pustaka.core.choices import ColouredChoices, template_kind


@template_kind("item_status")
class ItemStatus(ColouredChoices):
    """Where an item (copy) is in its life; the allowed moves are in ``transitions.py``."""

    ON_ORDER = "on_order", _("On order")
    RECEIVED = "received", _("Received")
    IN_PROCESSING = "in_processing", _("In processing")
    READY_FOR_SHELVING = "ready_for_shelving", _("Ready for shelving")
    AVAILABLE = "available", _("Available")
    ON_LOAN = "on_loan", _("On loan")
    ON_HOLD_SHELF = "on_hold_shelf", _("On hold shelf")
    IN_TRANSIT = "in_transit", _("In transit")
    PULLED = "pulled", _("Pulled")
    IN_REPAIR = "in_repair", _("In repair")
    AT_BINDERY = "at_bindery", _("At the bindery")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FOR_SALE = "for_sale", _("For sale")
    SOLD = "sold", _("Sold")
    DISCARDED = "discarded", _("Discarded")
    MISSING = "missing", _("Missing")
    LOST = "lost", _("Lost")

    @classmethod
    def public_hidden(cls) -> set[str]:
        """Statuses the public catalogue never shows."""
        return {cls.WITHDRAWN, cls.FOR_SALE, cls.SOLD, cls.DISCARDED}

    @classmethod
    def on_shelf(cls) -> set[str]:
        return {cls.AVAILABLE}


@template_kind("pull_reason")
class PullReason(ColouredChoices):
    """Why an item was pulled from the shelf."""

    WEED = "weed", _("Weeding")
    REPAIR = "repair", _("Repair")
    BIND = "bind", _("Binding")


class Workflow(ColouredChoices):
    """Who owns a move of the lifecycle table: the workflow whose action (and page) makes it."""

    ITEM = "item", pgettext_lazy("workflow", "item")
    DESK = "desk", pgettext_lazy("workflow", "circulation desk")
    PROCESSING = "processing", pgettext_lazy("workflow", "processing")
    SHELVING = "shelving", pgettext_lazy("workflow", "shelving")
    PULLING = "pulling", pgettext_lazy("workflow", "pull list")
    REPAIR = "repair", pgettext_lazy("workflow", "repair")
    BINDERY = "bindery", pgettext_lazy("workflow", "bindery")
    WEEDING = "weeding", pgettext_lazy("workflow", "withdrawal")
    SALE = "sale", pgettext_lazy("workflow", "book sale")
    STOCKTAKE = "stocktake", pgettext_lazy("workflow", "stocktake")


@template_kind("condition")
class Condition(ColouredChoices):
    """The physical condition of an item, with its own history."""

    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    WORN = "worn", _("Worn")
    DAMAGED = "damaged", _("Damaged")


ItemStatus.set_colours(
    {
        "on_order": "grey",
        "received": "blue",
        "in_processing": "blue",
        "ready_for_shelving": "teal",
        "available": "green",
        "on_loan": "orange",
        "on_hold_shelf": "purple",
        "in_transit": "purple",
        "pulled": "yellow",
        "in_repair": "yellow",
        "at_bindery": "yellow",
        "withdrawn": "grey",
        "for_sale": "grey",
        "sold": "grey",
        "discarded": "grey",
        "missing": "red",
        "lost": "red",
    }
)
PullReason.set_colours({"weed": "grey", "repair": "yellow", "bind": "blue"})
Condition.set_colours({"good": "green", "fair": "teal", "worn": "yellow", "damaged": "red"})

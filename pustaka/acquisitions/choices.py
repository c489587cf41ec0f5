"""Acquisitions choices: where an order stands, and what became of a patron's purchase suggestion."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices, template_kind


@template_kind("order_status")
class OrderStatus(ColouredChoices):
    """Draft (being written) → sent to the vendor → partly received → received; or cancelled."""

    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    PARTLY_RECEIVED = "partly_received", _("Partly received")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


OrderStatus.set_colours(
    {
        OrderStatus.DRAFT: "grey",
        OrderStatus.SENT: "blue",
        OrderStatus.PARTLY_RECEIVED: "orange",
        OrderStatus.RECEIVED: "green",
        OrderStatus.CANCELLED: "red",
    }
)

#: Orders whose outstanding copies hold money of their funds (encumbered) and may be received or claimed.
OPEN_STATUSES = (OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED)


@template_kind("suggestion_status")
class SuggestionStatus(ColouredChoices):
    """A patron's suggestion waits for the librarian, who accepts it (an order line) or rejects it."""

    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


SuggestionStatus.set_colours(
    {SuggestionStatus.PENDING: "blue", SuggestionStatus.ACCEPTED: "green", SuggestionStatus.REJECTED: "red"}
)

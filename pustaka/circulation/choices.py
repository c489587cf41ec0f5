"""Circulation choices: hold statuses, ledger entry kinds, notice kinds."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices, PaymentMethod

__all__ = ["PaymentMethod"]  # one PaymentMethod for fees and sales: core's (PaymentMethod.for_fees())


class HoldStatus(ColouredChoices):
    """Where a hold (reservation) is: waiting in the queue, on its way, ready on the hold shelf, or done."""

    WAITING = "waiting", _("Waiting")
    IN_TRANSIT = "in_transit", _("In transit to pickup branch")
    READY = "ready", _("Ready on the hold shelf")
    FULFILLED = "fulfilled", _("Collected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")

    @classmethod
    def open(cls) -> set[str]:
        return {cls.WAITING, cls.IN_TRANSIT, cls.READY}


class FeeKind(ColouredChoices):
    """A line of a patron's ledger. Charges raise the balance; payments and waivers lower it."""

    OVERDUE = "overdue", _("Overdue fine")
    LOST = "lost", _("Lost item")
    PROCESSING = "processing", _("Processing fee")
    CARD = "card", _("Card replacement")
    MANUAL = "manual", _("Other charge")
    PAYMENT = "payment", _("Payment")
    WAIVER = "waiver", _("Waiver")
    REFUND = "refund", _("Refund of a lost-item charge")

    @classmethod
    def credits(cls) -> set[str]:
        return {cls.PAYMENT, cls.WAIVER, cls.REFUND}


class NoticeKind(ColouredChoices):
    """The notices sent to patrons by email."""

    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    HOLD_READY = "hold_ready", _("Hold ready for pickup")
    EXPIRING = "expiring", _("Membership expiring")
    PROGRAM_REMINDER = "program_reminder", _("Program reminder")
    HELP_ANSWER = "help_answer", _("Answer to your question")


HoldStatus.set_colours(
    {
        "waiting": "blue",
        "in_transit": "purple",
        "ready": "green",
        "fulfilled": "grey",
        "cancelled": "grey",
        "expired": "grey",
    }
)
FeeKind.set_colours({k: ("green" if k in {"payment", "waiver", "refund"} else "orange") for k in FeeKind.values})

"""Where a notice's delivery by WhatsApp or SMS stands."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices, template_kind


@template_kind("delivery_state")
class DeliveryState(ColouredChoices):
    """queued → sent; queued → failed (tried again later) → sent or gave_up; staff may retry a failed
    or given-up delivery now (back to queued) and cancel one not sent yet (see ``transitions.py``)."""

    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Gave up")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def open(cls) -> set[str]:
        """The states a delivery is still tried from."""
        return {cls.QUEUED, cls.FAILED}


DeliveryState.set_colours(
    {"queued": "blue", "sent": "green", "failed": "orange", "gave_up": "red", "cancelled": "grey"}
)

"""Where a notice's delivery by WhatsApp or SMS stands."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices


class DeliveryState(ColouredChoices):
    """queued → sent; queued → failed (tried again later) → sent or gave_up."""

    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Gave up")

    @classmethod
    def open(cls) -> set[str]:
        """The states a delivery is still tried from."""
        return {cls.QUEUED, cls.FAILED}


DeliveryState.set_colours({"queued": "blue", "sent": "green", "failed": "orange", "gave_up": "red"})

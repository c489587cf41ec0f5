"""Notice delivery errors: each says why a retry or a cancel was refused."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class DeliveryNotFound(NotFound):
    code = "delivery_not_found"
    message = _("There is no notice delivery #%(delivery)s.")


class DeliveryBeingSent(Conflict):
    code = "delivery_being_sent"
    message = _("Notice delivery #%(delivery)s is being sent right now; look again in a minute.")


class DeliveryNotRetryable(Conflict):
    code = "delivery_not_retryable"
    message = _("Notice delivery #%(delivery)s is %(state)s: only a failed or given-up delivery can be sent again.")


class DeliveryNotCancellable(Conflict):
    code = "delivery_not_cancellable"
    message = _("Notice delivery #%(delivery)s is %(state)s: only a queued or failed delivery can be cancelled.")


class PeriodBackwards(ValidationFailed):
    code = "period_backwards"
    message = _("The end date is before the start date.")

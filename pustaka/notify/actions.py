"""Notice deliveries: the writes staff make (the worker's attempts are in :mod:`.delivery`).

- :func:`retry_delivery`: a failed or given-up delivery goes back to the queue and is sent at once
  (after the commit, by the worker's job); a sent delivery is never sent again.
- :func:`cancel_delivery`: a queued or failed delivery is not sent at all.

Neither touches a delivery being sent at this moment (its claim is live).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.registry import action

from .choices import DeliveryState
from .delivery import CLAIM_LEASE
from .errors import DeliveryBeingSent, DeliveryNotCancellable, DeliveryNotRetryable
from .models import Delivery
from .transitions import CANCEL, DELIVERIES, MANAGE, RETRY


def _locked(delivery: Delivery) -> Delivery:
    """The delivery, locked, refused while a worker holds a live claim on it."""
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if locked.claimed_at is not None and locked.claimed_at > timezone.now() - CLAIM_LEASE:
        raise DeliveryBeingSent(delivery=delivery.pk)
    return locked


@action(RETRY, permission=MANAGE, label=_("Notice delivery sent again"))
def retry_delivery(*, delivery: Delivery, actor, reason: str = "") -> Delivery:
    """Put a failed or given-up delivery back in the queue, due now, and send it after the commit."""
    delivery = _locked(delivery)
    before = {"state": delivery.state, "attempts": delivery.attempts, "error": delivery.last_error}
    rule = DELIVERIES.move(
        delivery,
        to=DeliveryState.QUEUED,
        actor=actor,
        refused=lambda: DeliveryNotRetryable(delivery=delivery.pk, state=delivery.get_state_display()),
    )
    delivery.next_attempt_at = None
    delivery.save(update_fields=["state", "next_attempt_at"])
    audit(actor, rule.verb, delivery, before=before, after={"state": delivery.state, "reason": reason[:300]})

    from .tasks import deliver_later

    pk = delivery.pk
    transaction.on_commit(lambda: deliver_later(pk))
    return delivery


@action(CANCEL, permission=MANAGE, label=_("Notice delivery cancelled"))
def cancel_delivery(*, delivery: Delivery, actor, reason: str = "") -> Delivery:
    """Do not send a queued or failed delivery (a wrong number, a notice no longer true)."""
    delivery = _locked(delivery)
    before = {"state": delivery.state}
    rule = DELIVERIES.move(
        delivery,
        to=DeliveryState.CANCELLED,
        actor=actor,
        refused=lambda: DeliveryNotCancellable(delivery=delivery.pk, state=delivery.get_state_display()),
    )
    delivery.next_attempt_at = None
    delivery.save(update_fields=["state", "next_attempt_at"])
    audit(actor, rule.verb, delivery, before=before, after={"state": delivery.state, "reason": reason[:300]})
    return delivery


__all__ = ["cancel_delivery", "retry_delivery"]

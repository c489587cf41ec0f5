"""Sending a notice by WhatsApp and SMS: queue one delivery per channel, send it, retry with backoff.

- :func:`queue_for` (called by :func:`pustaka.circulation.notices.send_notice` once a notice is
  recorded) creates one :class:`Delivery` per WhatsApp/SMS channel the patron chose; its unique
  ``key`` (notice key + channel) means a channel is never queued twice for one notice.
- :func:`deliver` claims the delivery (committed), sends it outside any transaction, then records
  the outcome: sent; failed and tried again after :data:`BACKOFF` (huey schedules it, and the
  periodic :func:`retry_due` picks up anything it missed); or gave up after :data:`MAX_ATTEMPTS`
  or an answer retrying cannot change. A delivery already sent is never sent again.
- Every outcome is a move along ``transitions.DELIVERIES``, audited as the row's verb
  (``notify.delivery.sent`` / ``.failed`` / ``.gave_up``): a delivery's audit events are its attempts.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.registry import declare_verbs
from pustaka.patrons.choices import NoticeChannel

from .choices import DeliveryState
from .gateways import Result, gateway
from .models import Delivery
from .transitions import DELIVERIES

log = logging.getLogger(__name__)

GATEWAY_CHANNELS = (NoticeChannel.WHATSAPP, NoticeChannel.SMS)
#: Waits before the 2nd, 3rd, ... attempt; after the last the delivery gives up.
BACKOFF = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120)]
MAX_ATTEMPTS = len(BACKOFF) + 1
CLAIM_LEASE = datetime.timedelta(minutes=10)

declare_verbs(
    {
        "notify.delivery.sent": _("Notice delivered"),
        "notify.delivery.failed": _("Notice delivery failed, will retry"),
        "notify.delivery.gave_up": _("Notice delivery given up"),
    }
)


def phone_for_gateway(phone: str) -> str:
    """``0812-3456-7890`` → ``6281234567890`` (what WhatsApp and SMS gateways expect in Indonesia)."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def queue_for(notice, patron) -> list[Delivery]:
    """One queued delivery per WhatsApp/SMS channel the patron chose (none twice for a notice)."""
    text = f"{notice.subject}\n\n{notice.body}".strip()
    to = phone_for_gateway(patron.phone)
    queued = []
    for channel in patron.notice_channels or []:
        if channel not in GATEWAY_CHANNELS or not to:
            continue
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    notice=notice, channel=channel, key=f"{notice.key}:{channel}"[:140], to=to, text=text
                )
        except IntegrityError:
            continue  # queued by an earlier attempt of this notice
        queued.append(delivery)
    return queued


def _claim(delivery_id: int, now) -> Delivery | None:
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - CLAIM_LEASE)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = Delivery.objects.filter(free, due, pk=delivery_id, state__in=DeliveryState.open()).update(
        claimed_at=timezone.now()
    )
    return Delivery.objects.get(pk=delivery_id) if claimed else None


def deliver(delivery_id: int, *, now=None, sender=None, schedule: bool = True) -> Delivery | None:
    """Try one delivery now; None when there is nothing to do (sent, given up, not due, being sent).

    Call it outside a transaction. ``sender`` is the gateway (default: the one the settings name)."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    try:
        result = (sender or gateway()).send(
            channel=delivery.channel, to=delivery.to, text=delivery.text, key=delivery.key
        )
    except Exception as exc:  # a broken adapter is a failed attempt, never an exception in the worker
        result = Result(ok=False, error=f"{type(exc).__name__}: {exc}"[:300], retry=True)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempts += 1
        delivery.claimed_at = None
        if delivery.state not in DeliveryState.open():  # cancelled by staff after a lost claim: keep it so
            delivery.save(update_fields=["attempts", "claimed_at"])
            return None
        if result.ok:
            target = DeliveryState.SENT
            delivery.sent_at, delivery.last_error = now, ""
            delivery.provider_id, delivery.next_attempt_at = result.provider_id[:120], None
        elif result.retry and delivery.attempts < MAX_ATTEMPTS:
            target, delivery.last_error = DeliveryState.FAILED, result.error[:300]
            delivery.next_attempt_at = now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
        else:
            target, delivery.last_error, delivery.next_attempt_at = DeliveryState.GAVE_UP, result.error[:300], None
        rule = DELIVERIES.move(delivery, to=target, actor=None)
        delivery.save()
        audit(
            None,
            rule.verb,
            delivery,
            after={"key": delivery.key, "attempt": delivery.attempts, "error": delivery.last_error},
        )
    if delivery.state == DeliveryState.FAILED and schedule:
        from .tasks import deliver_later

        transaction.on_commit(lambda: deliver_later.schedule((delivery.pk,), eta=delivery.next_attempt_at))
    if not result.ok:
        log.warning("Delivery %s failed (attempt %s): %s", delivery.key, delivery.attempts, delivery.last_error)
    return delivery


def deliver_all(deliveries, *, now=None) -> list[Delivery]:
    """Try each of ``deliveries`` now (a notice's channels, right after it is recorded)."""
    return [d for d in (deliver(delivery.pk, now=now) for delivery in deliveries) if d is not None]


def retry_due(*, now=None, sender=None) -> int:
    """Try every queued or failed delivery whose time has come (the worker, every few minutes)."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), state__in=DeliveryState.open()
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due[:500]) if deliver(pk, now=now, sender=sender, schedule=False) is not None)

"""Deliveries of notices by WhatsApp and SMS: one row per notice and channel, with its state."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pustaka.patrons.choices import NoticeChannel

from .choices import DeliveryState


class Delivery(models.Model):
    """One notice sent (or being tried) through one channel.

    ``key`` (the notice's key and the channel) is unique, so a notice goes out at most once per
    channel: a retry after success finds the delivery sent and does nothing. ``claimed_at`` is set
    while one worker sends it (committed first, as for e-mail notices). ``state`` moves only along
    ``transitions.DELIVERIES``; each attempt is an audit event of the delivery (its history)."""

    notice = models.ForeignKey(
        "circulation.Notice", models.CASCADE, related_name="deliveries", verbose_name=_("notice")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=NoticeChannel.choices)
    key = models.CharField(_("idempotency key"), max_length=140, unique=True)
    to = models.CharField(_("sent to"), max_length=254)
    text = models.TextField(_("message"))
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    provider_id = models.CharField(_("gateway message id"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx")]
        permissions = [("manage_deliveries", _("Can retry and cancel notice deliveries"))]

    def __str__(self) -> str:
        return self.key

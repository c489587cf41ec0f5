"""Questions to the librarians and their answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import HelpStatus, HelpTopic


class HelpRequest(models.Model):
    """A question to the librarians ("tanya pustakawan") from a patron or an anonymous visitor.

    ``first_answered_at`` minus ``asked_at`` is the response time. ``ip_hash`` (a keyed hash, never
    the address itself) limits how often one address may ask.
    """

    patron = models.ForeignKey(
        "patrons.Patron", models.SET_NULL, null=True, blank=True, related_name="help_requests", verbose_name=_("patron")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    topic = models.CharField(_("topic"), max_length=12, choices=HelpTopic.choices, default=HelpTopic.FINDING)
    question = models.TextField(_("question"))
    record = models.ForeignKey(
        "catalog.Record", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("about the title")
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=HelpStatus.choices, default=HelpStatus.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests_assigned",
        verbose_name=_("assigned to"),
    )
    asked_at = models.DateTimeField(_("asked"), db_index=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        indexes = [models.Index(fields=["status", "asked_at"], name="helprequest_queue_idx")]
        permissions = [("answer_questions", _("Can assign, answer and close questions to the librarians"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.question[:60]}"

    @property
    def response_time(self):
        """Time from the question to its first answer (None while unanswered)."""
        return self.first_answered_at - self.asked_at if self.first_answered_at else None


class HelpAnswer(models.Model):
    """A librarian's answer to a help request; emailed to the asker (``emailed_at`` or ``email_error``)."""

    help_request = models.ForeignKey(HelpRequest, models.CASCADE, related_name="answers", verbose_name=_("question"))
    body = models.TextField(_("answer"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"))
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)

    class Meta:
        ordering = ["answered_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"#{self.help_request_id}: {self.body[:60]}"

"""Clearance letters (surat bebas pustaka): a numbered letter saying a patron owes the library nothing.

A :class:`ClearanceLetter` is issued only when the patron has no open loans, no unpaid charges and
no pending holds (:func:`pustaka.clearance.queries.blockers`). Its number comes from a yearly
sequence (:class:`ClearanceSequence`, one row per year, incremented under a row lock) formatted by
the library's pattern (:class:`ClearanceSettings`); a unique constraint keeps a number from ever
being given twice, and a revoked letter keeps its number. The letter's random ``code`` is in its QR
code and opens the public verification page ``/clearance/<code>/``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.models import Branch

from .choices import ClearancePurpose, ClearanceStatus

DEFAULT_PATTERN = "{seq:03}/BP/{year}"


class ClearanceSettings(models.Model):
    """The library's rules for clearance letters (one row): number pattern, validity, signatory."""

    number_pattern = models.CharField(
        _("number pattern"),
        max_length=60,
        default=DEFAULT_PATTERN,
        help_text=_(
            "{seq:03} is the letter's number in the year (001, 002, ...), {year} the year, {month} the month, "
            "{roman_month} the month in Roman numerals (XII), {branch} the branch code."
        ),
    )
    validity_days = models.PositiveIntegerField(
        _("valid for (days)"), null=True, blank=True, default=90, help_text=_("Empty: valid without a time limit.")
    )
    signatory_name = models.CharField(_("signed by (name)"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signed by (title)"), max_length=150, default="Kepala Perpustakaan")
    block_on_request = models.BooleanField(
        _("a letter a patron asks for in the catalogue blocks further loans"), default=True
    )

    class Meta:
        verbose_name = _("clearance letter settings")
        verbose_name_plural = _("clearance letter settings")
        default_permissions = ("view",)
        permissions = [("configure_clearance", _("Can set the rules of clearance letters"))]

    def __str__(self) -> str:
        return str(_("Clearance letter settings"))

    @classmethod
    def current(cls) -> "ClearanceSettings":
        """The settings row (unsaved defaults when the library has not set any: a read writes nothing)."""
        return cls.objects.first() or cls()


class ClearanceSequence(models.Model):
    """The last letter number given in a year (numbers restart at 1 each year)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("clearance letter sequence")
        verbose_name_plural = _("clearance letter sequences")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ClearanceLetter(models.Model):
    """A clearance letter (surat keterangan bebas pustaka) issued to a patron."""

    number = models.CharField(_("letter number"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    patron = models.ForeignKey(
        "patrons.Patron", models.PROTECT, related_name="clearance_letters", verbose_name=_("patron")
    )
    patron_name = models.CharField(_("name on the letter"), max_length=310)
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("issued at"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=ClearancePurpose.choices)
    purpose_note = models.CharField(_("details"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("issued by")
    )
    requested_by_patron = models.BooleanField(_("asked for in the catalogue"), default=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    blocks_loans = models.BooleanField(_("blocks further loans"), default=False)
    block = models.ForeignKey(
        "patrons.PatronBlock",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loan block"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ClearanceStatus.choices, default=ClearanceStatus.ISSUED
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("clearance letter")
        verbose_name_plural = _("clearance letters")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="clearance_number_once_a_year"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="clearance_sequence_positive"),
            models.CheckConstraint(condition=~Q(code=""), name="clearance_code_not_empty"),
        ]
        indexes = [models.Index(fields=["patron", "issued_at"], name="clearance_patron_idx")]
        permissions = [
            ("issue_clearance", _("Can issue clearance letters")),
            ("revoke_clearance", _("Can revoke clearance letters")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        """Issued, not revoked, and not past its validity date."""
        if self.status != ClearanceStatus.ISSUED:
            return False
        return self.valid_until is None or self.valid_until >= timezone.localdate()

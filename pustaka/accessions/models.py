"""The accession register (buku induk): one numbered line per copy the library ever acquired."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AcquisitionSource
from .pattern import DEFAULT_PATTERN


class RegisterSettings(models.Model):
    """The library's accession number pattern (one row)."""

    pattern = models.CharField(_("accession number pattern"), max_length=60, default=DEFAULT_PATTERN)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("accession register settings")
        verbose_name_plural = _("accession register settings")
        permissions = [
            ("set_accession_pattern", _("Can set the accession number pattern")),
        ]

    def __str__(self) -> str:
        return self.pattern

    @classmethod
    def current(cls) -> "RegisterSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls.objects.create()


class AccessionCounter(models.Model):
    """The last sequence number given in one year (``year`` 0: a pattern that runs on over the years).

    Locked (``select_for_update``) while a number is taken, and never lowered, so a number is never
    given twice, even when its copy is deleted."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("accession counter")
        verbose_name_plural = _("accession counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Accession(models.Model):
    """One line of the register: the number a copy received, where it came from and what it cost.

    The line stays when its copy is deleted (``item`` becomes empty; ``barcode`` and ``title`` keep
    what the copy was), so the register has no gaps nobody can explain."""

    number = models.CharField(_("accession number"), max_length=80, unique=True)
    counter_year = models.PositiveSmallIntegerField(_("counter"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    year = models.PositiveSmallIntegerField(_("year of acquisition"), db_index=True)
    item = models.OneToOneField(
        "holdings.Item",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="accession",
        verbose_name=_("item"),
    )
    barcode = models.CharField(_("barcode"), max_length=32)
    title = models.CharField(_("title"), max_length=300)
    source = models.CharField(
        _("source of acquisition"), max_length=10, choices=AcquisitionSource.choices, default=AcquisitionSource.PURCHASE
    )
    supplier = models.CharField(
        _("supplier or donor"), max_length=200, blank=True, help_text=_("The bookshop, publisher or giver.")
    )
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    acquired_on = models.DateField(_("acquisition date"))
    created_at = models.DateTimeField(_("numbered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["year", "counter_year", "sequence"]
        verbose_name = _("accession")
        verbose_name_plural = _("accessions")
        constraints = [
            models.UniqueConstraint(fields=["counter_year", "sequence"], name="accession_sequence_once"),
            models.CheckConstraint(condition=~models.Q(number=""), name="accession_number_not_empty"),
        ]
        permissions = [
            ("edit_acquisition", _("Can correct a copy's source, supplier and price")),
        ]

    def __str__(self) -> str:
        return self.number

"""Copy cataloguing: the remote catalogues a librarian copies records from, and what was copied.

A :class:`Target` is one remote catalogue (SRU with CQL over HTTP, or Z39.50), searched by
:mod:`pustaka.copycat.queries` in parallel with the others. A :class:`CopiedRecord` notes each
record brought in (which catalogue, its control number, the cover link the remote record carried,
how many copies were added), written by :func:`pustaka.copycat.actions.import_copy` in the same
transaction as the record and its copies.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Protocol


class Target(models.Model):
    """A remote catalogue to copy records from: its protocol and address, record format, and order."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices, default=Protocol.SRU)
    base_url = models.CharField(
        _("base URL (SRU)"), max_length=300, blank=True, help_text=_("For example http://lx2.loc.gov:210/LCDB")
    )
    host = models.CharField(_("host (Z39.50)"), max_length=200, blank=True)
    port = models.PositiveIntegerField(_("port (Z39.50)"), null=True, blank=True)
    database = models.CharField(_("database (Z39.50)"), max_length=100, blank=True)
    record_syntax = models.CharField(
        _("record syntax (Z39.50)"), max_length=20, default="usmarc", help_text=_("usmarc for MARC 21 records")
    )
    schema = models.CharField(
        _("record schema (SRU)"), max_length=40, default="marcxml", help_text=_("marcxml for MARC 21 records")
    )
    timeout = models.PositiveSmallIntegerField(
        _("timeout (seconds)"), default=10, help_text=_("How long to wait for an answer before giving up.")
    )
    enabled = models.BooleanField(_("searched"), default=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=10, help_text=_("Catalogues with a lower number are listed first.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["priority", "name"]
        verbose_name = _("remote catalogue")
        verbose_name_plural = _("remote catalogues")
        default_permissions = ("view",)
        permissions = [("manage_targets", _("Can manage the remote catalogues of copy cataloguing"))]
        constraints = [
            models.CheckConstraint(condition=~Q(protocol="sru") | ~Q(base_url=""), name="copycat_sru_target_has_url"),
            models.CheckConstraint(
                condition=~Q(protocol="z3950") | (~Q(host="") & Q(port__isnull=False)),
                name="copycat_z3950_target_has_host",
            ),
            models.CheckConstraint(condition=Q(timeout__gte=1) & Q(timeout__lte=120), name="copycat_timeout_range"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        """Where the catalogue answers, as a librarian would write it."""
        if self.protocol == Protocol.Z3950:
            return f"{self.host}:{self.port}/{self.database}" if self.database else f"{self.host}:{self.port}"
        return self.base_url


class CopiedRecord(models.Model):
    """A record copied from a remote catalogue into this one, with the copies added in the same step."""

    record = models.ForeignKey(
        "catalog.Record", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("record")
    )
    target = models.ForeignKey(
        Target, models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("remote catalogue")
    )
    target_name = models.CharField(_("copied from"), max_length=100)
    remote_id = models.CharField(_("remote control number"), max_length=64, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    cover_url = models.URLField(_("cover link"), max_length=500, blank=True)
    item_count = models.PositiveSmallIntegerField(_("copies added"), default=0)
    imported_at = models.DateTimeField(_("copied"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied by")
    )

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("copied record")
        verbose_name_plural = _("copied records")
        default_permissions = ("view",)
        permissions = [("copy_catalogue", _("Can search remote catalogues and copy records with their copies"))]

    def __str__(self) -> str:
        return f"{self.target_name}: {self.remote_id or self.isbn or self.pk}"

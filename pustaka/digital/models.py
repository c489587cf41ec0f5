"""Digital library: resources attached to records, stored files, collections, licences, access,
preservation (fixity) and link checks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pustaka.catalog.models import Record
from pustaka.core.models import TimeStamped
from pustaka.patrons.models import Patron, PatronCategory

from .choices import AccessAction, CheckOutcome, FileRole, FileState, RefusalReason, ResourceKind


class Collection(TimeStamped):
    """A curated grouping of resources (e.g. "Koleksi Jurnal Teknik"); also an OAI set and an OPDS feed."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(_("shown to the public"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        permissions = [("manage_collections", _("Can add and change collections"))]

    def __str__(self) -> str:
        return self.name


class Licence(TimeStamped):
    """The terms under which the library may offer resources: dates, who, where, how many, how.

    ``ip_ranges`` holds CIDR ranges (one per line) for on-site-only access; empty means anywhere.
    ``patron_categories`` empty means every patron; ``is_open_access`` lets anyone, even anonymous.
    """

    name = models.CharField(_("name"), max_length=200)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    terms = models.TextField(_("terms"), blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    is_open_access = models.BooleanField(_("open access"), default=False)
    patron_categories = models.ManyToManyField(
        PatronCategory, blank=True, related_name="licences", verbose_name=_("patron categories")
    )
    ip_ranges = models.TextField(_("on-site IP ranges (CIDR, one per line)"), blank=True)
    concurrent_users = models.PositiveIntegerField(_("concurrent users"), null=True, blank=True)
    download_allowed = models.BooleanField(_("download allowed"), default=True)
    embargo_months = models.PositiveIntegerField(_("embargo (months)"), default=0)
    seats = models.PositiveIntegerField(_("software seats"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        permissions = [("manage_licences", _("Can add and change licences and put resources under them"))]

    def __str__(self) -> str:
        return self.name


class DigitalResource(TimeStamped):
    """A digital resource of a catalogue record: an e-book, an e-journal, a database, software, media.

    A record may have physical items and digital resources at once. E-journals carry coverage dates and
    a remote link; software carries its version and platform.
    """

    record = models.ForeignKey(Record, models.PROTECT, related_name="digital_resources", verbose_name=_("record"))
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    label = models.CharField(_("label"), max_length=200, blank=True)
    remote_url = models.URLField(_("remote link"), max_length=1000, blank=True)
    coverage_start = models.DateField(_("coverage from"), null=True, blank=True)
    coverage_end = models.DateField(_("coverage until"), null=True, blank=True)
    coverage_note = models.CharField(_("coverage note"), max_length=300, blank=True)
    embargo = models.CharField(
        _("embargo (KBART)"),
        max_length=40,
        blank=True,
        help_text=_("A moving wall as in KBART: P1Y = all but the current year, R6M = only the last 6 months."),
    )
    version = models.CharField(_("version"), max_length=50, blank=True)
    platform = models.CharField(_("platform"), max_length=100, blank=True)
    licence = models.ForeignKey(
        Licence, models.SET_NULL, null=True, blank=True, related_name="resources", verbose_name=_("licence")
    )
    collections = models.ManyToManyField(
        Collection, blank=True, related_name="resources", verbose_name=_("collections")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("digital resource")
        verbose_name_plural = _("digital resources")
        permissions = [
            ("manage_resources", _("Can add and change digital resources and their files")),
            ("ingest_file", _("Can ingest digital files")),
            ("run_fixity", _("Can run fixity and link checks")),
            ("view_usage", _("Can see usage statistics")),
            ("lend_seat", _("Can lend software seats")),
            ("backup_library", _("Can back up and restore the library")),
        ]

    def __str__(self) -> str:
        return self.label or self.record.title[:100]


class StoredFile(models.Model):
    """A file in the content-addressed store: named by its SHA-256, identified by signature (PRONOM).

    The bytes live at ``files/<sha[:2]>/<sha[2:4]>/<sha>`` in the storage; the path is never taken from
    input.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.BigIntegerField(_("size (bytes)"))
    mime_type = models.CharField(_("MIME type"), max_length=100)
    pronom_id = models.CharField(_("PRONOM id"), max_length=20, blank=True)
    format_name = models.CharField(_("format"), max_length=100, blank=True)
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    is_encrypted = models.BooleanField(_("encrypted"), default=False)
    metadata = models.JSONField(_("extracted metadata"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=FileState.choices, default=FileState.OK)
    last_checked_at = models.DateTimeField(_("last fixity check"), null=True, blank=True)
    created_at = models.DateTimeField(_("ingested"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return f"{self.original_name or self.sha256[:12]} ({self.format_name or self.mime_type})"

    @property
    def relative_path(self) -> str:
        return f"{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"


class ResourceFile(models.Model):
    """A stored file as part of a resource (its content, cover, installer...)."""

    resource = models.ForeignKey(DigitalResource, models.CASCADE, related_name="files", verbose_name=_("resource"))
    file = models.ForeignKey(StoredFile, models.PROTECT, related_name="uses", verbose_name=_("file"))
    role = models.CharField(_("role"), max_length=12, choices=FileRole.choices, default=FileRole.CONTENT)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        ordering = ["resource", "role", "id"]
        verbose_name = _("resource file")
        verbose_name_plural = _("resource files")
        constraints = [models.UniqueConstraint(fields=["resource", "file", "role"], name="resource_file_unique")]

    def __str__(self) -> str:
        return f"{self.resource} · {self.file}"


class SoftwareSeat(models.Model):
    """One seat (licence key) of a software resource, lent to a patron and returned like an item."""

    resource = models.ForeignKey(DigitalResource, models.CASCADE, related_name="seats", verbose_name=_("resource"))
    licence_key = models.CharField(_("licence key"), max_length=200, blank=True)
    patron = models.ForeignKey(
        Patron, models.PROTECT, null=True, blank=True, related_name="software_seats", verbose_name=_("lent to")
    )
    lent_at = models.DateTimeField(_("lent"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)

    class Meta:
        ordering = ["resource", "id"]
        verbose_name = _("software seat")
        verbose_name_plural = _("software seats")
        permissions = [("manage_seats", _("Can add and remove software seats"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(patron__isnull=True) | Q(lent_at__isnull=False), name="seat_lent_has_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} #{self.pk}"


class AccessEvent(models.Model):
    """One attempt to use a resource: who, what, when, from where, granted or refused and why."""

    resource = models.ForeignKey(DigitalResource, models.CASCADE, related_name="accesses", verbose_name=_("resource"))
    file = models.ForeignKey(StoredFile, models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    patron = models.ForeignKey(Patron, models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    granted = models.BooleanField(_("granted"))
    reason = models.CharField(_("reason"), max_length=20, choices=RefusalReason.choices, blank=True)
    session_key = models.CharField(max_length=64, blank=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        indexes = [models.Index(fields=["resource", "occurred_at"], name="access_resource_time_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {'ok' if self.granted else self.reason}"


class FixityCheck(models.Model):
    """A preservation event: one re-hash of a stored file and what it found."""

    file = models.ForeignKey(StoredFile, models.CASCADE, related_name="fixity_checks", verbose_name=_("file"))
    checked_at = models.DateTimeField(_("checked"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=CheckOutcome.choices)
    found_sha256 = models.CharField(_("SHA-256 found"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("fixity check")
        verbose_name_plural = _("fixity checks")

    def __str__(self) -> str:
        return f"{self.file.sha256[:12]} {self.outcome}"


class LinkCheck(models.Model):
    """One check of a resource's remote link: HTTP status, time taken, and the outcome."""

    resource = models.ForeignKey(
        DigitalResource, models.CASCADE, related_name="link_checks", verbose_name=_("resource")
    )
    url = models.URLField(_("link"), max_length=1000)
    checked_at = models.DateTimeField(_("checked"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=CheckOutcome.choices)
    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(_("final link"), max_length=1000, blank=True)
    elapsed_ms = models.PositiveIntegerField(_("time (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    method = models.CharField(_("HTTP method"), max_length=4, blank=True)  # GET when the server refused HEAD
    redirects = models.JSONField(_("redirects"), default=list, blank=True)  # [[status, location], ...]

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")

    def __str__(self) -> str:
        return f"{self.url} {self.outcome}"

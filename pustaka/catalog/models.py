"""Bibliographic records: one per title (book, serial, e-resource, media), with its original MARC."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pustaka.core.models import TimeStamped

from .choices import ClassificationScheme, ContributorRole, MaterialType, RecordSource, ThesisKind


class Record(TimeStamped):
    """A bibliographic record (a title). Items (copies) and digital resources hang from it.

    ``contributors`` is a list of ``{"name", "role", "dates"}`` in order of the title page;
    ``subjects`` a list of subject headings (``"Programming -- Textbooks"``). ``marc`` keeps the
    original MARC record (UTF-8 ISO 2709) so nothing the cataloguer entered is lost on export.
    A thesis (skripsi, tesis, disertasi) carries its degree, granting institution and year (MARC 502);
    its supervisors are contributors with the role ``thesis_advisor`` (700 $4 ths).
    """

    material_type = models.CharField(
        _("material type"), max_length=16, choices=MaterialType.choices, default=MaterialType.BOOK
    )
    title = models.CharField(_("title"), max_length=1000)
    subtitle = models.CharField(_("subtitle"), max_length=1000, blank=True)
    responsibility = models.CharField(_("statement of responsibility"), max_length=1000, blank=True)
    contributors = models.JSONField(_("contributors"), default=list, blank=True)
    publisher = models.CharField(_("publisher"), max_length=500, blank=True)
    place = models.CharField(_("place of publication"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    edition = models.CharField(_("edition"), max_length=200, blank=True)
    extent = models.CharField(_("physical description"), max_length=500, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, db_index=True)
    isbns = models.JSONField(_("all ISBNs"), default=list, blank=True)
    issn = models.CharField(_("ISSN"), max_length=9, blank=True, db_index=True)
    language = models.CharField(
        _("language"), max_length=3, blank=True, help_text=_("MARC language code, e.g. ind, eng.")
    )
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    series = models.CharField(_("series"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    classification_scheme = models.CharField(
        _("classification scheme"), max_length=8, choices=ClassificationScheme.choices, default=ClassificationScheme.DDC
    )
    class_number = models.CharField(_("class number"), max_length=100, blank=True)
    call_number = models.CharField(_("call number"), max_length=200, blank=True)
    control_number = models.CharField(_("control number (001)"), max_length=64, blank=True, db_index=True)
    control_number_source = models.CharField(_("control number source (003)"), max_length=32, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=RecordSource.choices, default=RecordSource.MANUAL)
    marc = models.BinaryField(_("original MARC record"), null=True, blank=True, editable=False)
    # True once a cataloguer edits a record that came with MARC: export then rewrites the descriptive
    # fields from the columns above while keeping every other field of the original.
    marc_edited = models.BooleanField(default=False, editable=False)
    is_suppressed = models.BooleanField(_("hidden from the public catalogue"), default=False)
    thesis_kind = models.CharField(_("kind of thesis"), max_length=10, choices=ThesisKind.choices, blank=True)
    degree = models.CharField(_("degree"), max_length=200, blank=True, help_text=_("e.g. Sarjana Komputer (S.Kom.)"))
    degree_institution = models.CharField(_("degree-granting institution"), max_length=300, blank=True)
    degree_year = models.PositiveSmallIntegerField(_("year the degree was granted"), null=True, blank=True)
    # A cover image another catalogue gave (copy cataloguing): shown when no digital resource has a cover.
    cover_link = models.URLField(_("cover link"), max_length=500, blank=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("bibliographic record")
        verbose_name_plural = _("bibliographic records")
        # Harvesting (OAI-PMH) walks records in (datestamp, id) order.
        indexes = [models.Index(fields=["updated_at", "id"], name="record_harvest_idx")]
        permissions = [
            ("catalogue", _("Can catalogue and edit records")),
            ("import_marc", _("Can import MARC files")),
            ("export_marc", _("Can export MARC files")),
        ]

    def __str__(self) -> str:
        return self.full_title[:300]

    @property
    def full_title(self) -> str:
        return f"{self.title} : {self.subtitle}" if self.subtitle else self.title

    @property
    def main_contributor(self) -> str:
        return self.contributors[0]["name"] if self.contributors else ""

    @property
    def authors_display(self) -> str:
        return "; ".join(c.get("name", "") for c in self.contributors)

    @property
    def supervisors(self) -> list[str]:
        return [c["name"] for c in self.contributors or [] if c.get("role") == ContributorRole.THESIS_ADVISOR]

    @property
    def thesis_note(self) -> str:
        """The dissertation note as MARC 502 reads: "Skripsi, Sarjana Komputer -- Universitas X, 2023"."""
        kind = self.thesis_kind.capitalize()  # the Indonesian word itself: Skripsi, Tesis, Disertasi
        head = ", ".join(p for p in (kind, self.degree) if p)
        tail = ", ".join(str(p) for p in (self.degree_institution, self.degree_year) if p)
        return " -- ".join(p for p in (head, tail) if p)

    def contributor_role_label(self, role: str) -> str:
        return ContributorRole(role).label if role in ContributorRole.values else role


class DeletedRecord(models.Model):
    """A tombstone for a deleted record, so harvesters (OAI-PMH, deletedRecord=persistent) learn it is gone."""

    record_id = models.PositiveBigIntegerField(_("record id"), unique=True)
    material_type = models.CharField(_("material type"), max_length=16, choices=MaterialType.choices)
    deleted_at = models.DateTimeField(_("deleted"), db_index=True)

    class Meta:
        ordering = ["deleted_at", "record_id"]
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")

    def __str__(self) -> str:
        return f"{self.record_id} ({self.deleted_at:%Y-%m-%d})"

"""One table: a record's text in one form, with what it was built from, so a change shows at once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CachedForm(models.Model):
    """A record's serialisation in one form (MARCXML, Dublin Core, an OPDS entry), built once, reused.

    Derived data, like the search index: the database's record is the truth and a row is only used
    while it still matches it. ``sequence`` is the record's last change-log entry (``search.ChangeLog``)
    when the text was built and ``record_updated`` the record's ``updated_at``: a later change-log
    entry for the record, or another ``updated_at``, makes the row stale and the next reader rebuilds
    it. ``rule`` is the library's call-number rule for texts that depend on it (else empty);
    ``context`` what the reader's request adds (its base address and language, for texts with links
    or words in them): a reader asking in another context builds its own text.
    ``record_id`` is a plain number, not a foreign key: a deleted record is never read again (readers
    join the record table), and raw deletes of records are not blocked by this table.
    """

    class Form(models.TextChoices):
        MARCXML = "marcxml", _("MARCXML")
        DC = "dc", _("Dublin Core")
        OPDS = "opds", _("OPDS entry")

    record_id = models.BigIntegerField()
    form = models.CharField(max_length=10, choices=Form.choices)
    text = models.TextField()
    sequence = models.BigIntegerField(default=0)
    record_updated = models.DateTimeField()
    rule = models.CharField(max_length=40, blank=True)
    context = models.CharField(max_length=300, blank=True)
    built_at = models.DateTimeField()

    class Meta:
        verbose_name = _("cached record form")
        verbose_name_plural = _("cached record forms")
        constraints = [
            models.UniqueConstraint(fields=["record_id", "form", "context"], name="recordcache_one_form_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.form}"

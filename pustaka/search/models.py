"""The change log that keeps the search index in step with the database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeLog(models.Model):
    """One change to a record or item, in commit order (``id`` is the sequence number).

    Written in the same transaction as the change; the indexer applies rows in order and stores the
    last sequence it applied inside the index.
    """

    class Kind(models.TextChoices):
        RECORD = "record", _("record")
        ITEM = "item", _("item")

    class Op(models.TextChoices):
        UPSERT = "upsert", _("changed")
        DELETE = "delete", _("deleted")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    # The record whose index document must be rebuilt (an item change rebuilds its record).
    record_id = models.BigIntegerField(db_index=True)
    op = models.CharField(max_length=10, choices=Op.choices, default=Op.UPSERT)
    logged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("search change")
        verbose_name_plural = _("search changes")

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.object_id} {self.op}"

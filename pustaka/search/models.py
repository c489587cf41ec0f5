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


class IndexReplica(models.Model):
    """One copy of the search index that follows the change log: a node's index (its name is the node's).

    The replica's indexer registers it when it starts and reports the last sequence it applied with a
    heartbeat; the change log is pruned only below the lowest sequence of the replicas heard from within
    ``PUSTAKA_REPLICA_TIMEOUT`` seconds. A replica silent for longer is dropped from that horizon
    (``dropped_at``); when it returns after the log it needs was pruned, it rebuilds its index.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    sequence = models.BigIntegerField(_("applied sequence"), default=0)
    registered_at = models.DateTimeField(_("registered"))
    heartbeat_at = models.DateTimeField(_("last heard from"))
    dropped_at = models.DateTimeField(_("dropped from the pruning horizon"), null=True, blank=True)
    rebuilds = models.PositiveIntegerField(_("rebuilds"), default=0)

    class Meta:
        verbose_name = _("index replica")
        verbose_name_plural = _("index replicas")
        ordering = ["name"]
        permissions = [("manage_index", _("Can manage the search index replicas and the change log"))]

    def __str__(self) -> str:
        return f"{self.name} @{self.sequence}"


class ChangeLogPrune(models.Model):
    """One pruning of the change log: every row up to ``through`` older than the keep window was deleted.

    ``through`` is the highest sequence deleted; an index whose applied sequence is below the highest
    ``through`` has lost log rows it needed and must be rebuilt from the database.
    """

    through = models.BigIntegerField(_("pruned through"), db_index=True)
    deleted = models.PositiveIntegerField(_("rows deleted"))
    horizon = models.BigIntegerField(_("horizon"))
    replicas = models.JSONField(_("replicas passed"), default=list)
    pruned_at = models.DateTimeField(_("pruned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change log pruning")
        verbose_name_plural = _("change log prunings")
        ordering = ["-through"]

    def __str__(self) -> str:
        return f"pruned through #{self.through}"

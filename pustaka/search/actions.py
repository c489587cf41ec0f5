"""Every write to the search index's bookkeeping: replicas registering and reporting, and pruning the log.

These are the indexer's own writes (``pustaka reindex --follow`` calls them as the system,
``actor=None``, through :class:`pustaka.search.replicas.ReplicaKeeper`); a person needs
``search.manage_index`` (administrators). The index itself is written only by the indexer
(``engine.indexer``); the change log only by the actions of the apps whose records change.
"""

from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.registry import action

from . import errors
from .models import ChangeLog, ChangeLogPrune, IndexReplica
from .replicas import keep_seconds, replica_timeout

__all__ = ["PruneResult", "prune_change_log", "register_replica", "report_replica"]

PERMISSION = "search.manage_index"
DROP_VERB = "search.replica.drop"
REBUILD_VERB = "search.replica.rebuild"
PRUNES_KEPT_DAYS = 30


def _check(name, sequence) -> tuple[str, int]:
    text = str(name or "").strip()
    if not text or len(text) > 200 or "\n" in text or "\r" in text:
        raise errors.InvalidReplicaName(field="name")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise errors.InvalidSequence(field="sequence")
    return text, sequence


@action(
    "search.replica.register",
    permission=PERMISSION,
    label=_("Index replica registered"),
    labels={"search.replica.return": _("Index replica returned")},
)
def register_replica(*, name: str, sequence: int, actor=None, now=None) -> IndexReplica:
    """Register the index replica ``name`` at ``sequence`` (its indexer starting), or greet it again.

    A new replica, or one that had been dropped from the pruning horizon, is audited; a known live
    one only has its sequence and heartbeat brought up to date.
    """
    name, sequence = _check(name, sequence)
    now = now or timezone.now()
    replica = IndexReplica.objects.select_for_update().filter(name=name).first()
    if replica is None:
        replica = IndexReplica.objects.create(name=name, sequence=sequence, registered_at=now, heartbeat_at=now)
        audit(actor, "search.replica.register", replica, after={"name": name, "sequence": sequence})
        return replica
    returning = replica.dropped_at is not None
    before = {"sequence": replica.sequence, "dropped_at": replica.dropped_at and replica.dropped_at.isoformat()}
    replica.sequence, replica.heartbeat_at, replica.dropped_at = sequence, now, None
    replica.save(update_fields=["sequence", "heartbeat_at", "dropped_at"])
    if returning:
        audit(actor, "search.replica.return", replica, before=before, after={"sequence": sequence})
    return replica


@action(
    "search.replica.report",
    permission=PERMISSION,
    label=_("Index replica reported its sequence"),
    labels={REBUILD_VERB: _("Index replica rebuilt")},
)
def report_replica(*, name: str, sequence: int, rebuilt: bool = False, actor=None, now=None) -> IndexReplica:
    """The heartbeat: the replica ``name`` has applied the log up to ``sequence``.

    Written every few seconds, so a plain report writes no audit event (the row is its own record);
    a report after a rebuild (``rebuilt``) is audited. A replica not registered yet, or dropped from the
    horizon while it was silent, is registered again.
    """
    name, sequence = _check(name, sequence)
    now = now or timezone.now()
    replica = IndexReplica.objects.select_for_update().filter(name=name).first()
    if replica is None or replica.dropped_at is not None:
        replica = register_replica(name=name, sequence=sequence, actor=actor, now=now)
    else:
        replica.sequence, replica.heartbeat_at = sequence, now
        replica.save(update_fields=["sequence", "heartbeat_at"])
    if rebuilt:
        IndexReplica.objects.filter(pk=replica.pk).update(rebuilds=replica.rebuilds + 1)
        replica.rebuilds += 1
        audit(actor, REBUILD_VERB, replica, after={"sequence": sequence, "rebuilds": replica.rebuilds})
    return replica


@dataclass
class PruneResult:
    """What one pruning did: the horizon, the rows deleted (through which sequence), who was dropped."""

    horizon: int | None
    deleted: int = 0
    through: int = 0
    dropped: list[str] = field(default_factory=list)
    prune: ChangeLogPrune | None = None


@action(
    "search.changelog.prune",
    permission=PERMISSION,
    label=_("Search change log pruned"),
    labels={DROP_VERB: _("Index replica dropped")},
)
def prune_change_log(*, actor=None, now=None) -> PruneResult:
    """Drop replicas silent past ``PUSTAKA_REPLICA_TIMEOUT`` from the horizon, then delete the log rows
    every live replica has applied (up to the lowest live sequence) that are older than
    ``PUSTAKA_CHANGELOG_KEEP_SECONDS``.

    Nothing is pruned while no replica is live. The pruning is recorded (``ChangeLogPrune``, the highest
    sequence deleted) in the same transaction as the delete, so an indexer that reads the log and then
    the record never misses a row unknowingly: below the record it rebuilds instead.
    """
    now = now or timezone.now()
    silent_since = now - timezone.timedelta(seconds=replica_timeout())
    dropped = []
    for replica in IndexReplica.objects.select_for_update().filter(heartbeat_at__lt=silent_since, dropped_at=None):
        replica.dropped_at = now
        replica.save(update_fields=["dropped_at"])
        audit(
            actor, DROP_VERB, replica, after={"sequence": replica.sequence, "heartbeat_at": str(replica.heartbeat_at)}
        )
        dropped.append(replica.name)
    live = list(IndexReplica.objects.filter(heartbeat_at__gte=silent_since).values_list("name", "sequence"))
    if not live:
        return PruneResult(horizon=None, dropped=dropped)
    low = min(sequence for _name, sequence in live)
    old = ChangeLog.objects.filter(id__lte=low, logged_at__lt=now - timezone.timedelta(seconds=keep_seconds()))
    through = old.aggregate(top=Max("id"))["top"]
    if not through:
        return PruneResult(horizon=low, dropped=dropped)
    deleted, _counts = old.filter(id__lte=through).delete()
    prune = ChangeLogPrune.objects.create(
        through=through, deleted=deleted, horizon=low, replicas=[{"name": n, "sequence": s} for n, s in live]
    )
    audit(actor, "search.changelog.prune", prune, after={"through": through, "deleted": deleted, "horizon": low})
    # The record of prunings stays short: a month of them, and always the highest ``through``.
    top = ChangeLogPrune.objects.aggregate(top=Max("through"))["top"]
    ChangeLogPrune.objects.filter(pruned_at__lt=now - timezone.timedelta(days=PRUNES_KEPT_DAYS)).exclude(
        through__gte=top
    ).delete()
    return PruneResult(horizon=low, deleted=deleted, through=through, dropped=dropped, prune=prune)

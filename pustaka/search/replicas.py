"""Reads about the index replicas and the pruned change log, and the bookkeeping an indexer keeps.

Each node keeps its own index, a *replica* that follows the change log from its own sequence. Its
indexer (``pustaka reindex --follow``) registers the replica under the node's name when it starts,
reports the sequence it applied with a heartbeat, and now and then prunes the log below the
*horizon*: the lowest sequence of the replicas heard from within ``PUSTAKA_REPLICA_TIMEOUT`` seconds.
A replica silent for longer is dropped from the horizon; its index is rebuilt when it returns if the
log it needed is gone (its sequence is below :func:`pruned_through`). Every write goes through the
actions in ``actions.py``.
"""

import socket
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from .models import ChangeLogPrune, IndexReplica


def node_name() -> str:
    """This node's replica name: ``PUSTAKA_NODE_NAME``, else the host name and the home folder."""
    name = (getattr(settings, "PUSTAKA_NODE_NAME", "") or "").strip()
    return name or f"{socket.gethostname()}:{settings.HOME}"[:200]


def replica_timeout() -> float:
    return float(getattr(settings, "PUSTAKA_REPLICA_TIMEOUT", 24 * 3600))


def keep_seconds() -> float:
    return float(getattr(settings, "PUSTAKA_CHANGELOG_KEEP_SECONDS", 900))


def pruned_through() -> int:
    """The highest sequence ever pruned from the log (0 if never): an index below it must be rebuilt."""
    return ChangeLogPrune.objects.aggregate(top=Max("through"))["top"] or 0


def live_replicas(now=None):
    """The replicas heard from within the timeout (the ones that hold the pruning horizon)."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=replica_timeout())
    return IndexReplica.objects.filter(heartbeat_at__gte=cutoff)


def horizon(now=None) -> int | None:
    """The lowest applied sequence among the live replicas; None when no replica is live (prune nothing)."""
    return live_replicas(now).aggregate(low=Min("sequence"))["low"]


def replicas_overview() -> list[dict]:
    """Every registered replica with its sequence, heartbeat and whether it holds the horizon (for /health)."""
    now = timezone.now()
    cutoff = now - timezone.timedelta(seconds=replica_timeout())
    return [
        {
            "name": r.name,
            "sequence": r.sequence,
            "heartbeat_at": r.heartbeat_at.isoformat(),
            "live": r.heartbeat_at >= cutoff,
            "dropped": r.dropped_at is not None,
            "rebuilds": r.rebuilds,
        }
        for r in IndexReplica.objects.order_by("name")
    ]


@dataclass
class ReplicaKeeper:
    """What one indexer does for its replica between two passes: register, report, prune.

    ``tick(sequence, rebuilds)`` is called after every pass of the follow loop: it registers the
    replica on the first call, reports when the sequence changed or the heartbeat is due, and prunes
    the log every ``PUSTAKA_CHANGELOG_PRUNE_EVERY`` seconds.
    """

    name: str
    heartbeat: float = 5.0
    prune_every: float = 60.0
    registered: bool = False
    reported_sequence: int = -1
    reported_rebuilds: int = 0
    reported_at: float = 0.0
    pruned_at: float = 0.0

    @classmethod
    def for_this_node(cls) -> "ReplicaKeeper":
        return cls(
            name=node_name(),
            heartbeat=float(getattr(settings, "PUSTAKA_REPLICA_HEARTBEAT", 5)),
            prune_every=float(getattr(settings, "PUSTAKA_CHANGELOG_PRUNE_EVERY", 60)),
        )

    def tick(self, sequence: int, rebuilds: int = 0, *, clock=time.monotonic) -> None:
        from . import actions

        now = clock()
        if not self.registered:
            actions.register_replica(name=self.name, sequence=sequence, actor=None)
            self.registered, self.reported_sequence, self.reported_at = True, sequence, now
            self.pruned_at = now
        rebuilt = rebuilds > self.reported_rebuilds
        if rebuilt or sequence != self.reported_sequence or now - self.reported_at >= self.heartbeat:
            actions.report_replica(name=self.name, sequence=sequence, rebuilt=rebuilt, actor=None)
            self.reported_sequence, self.reported_at, self.reported_rebuilds = sequence, now, rebuilds
        if now - self.pruned_at >= self.prune_every:
            actions.prune_change_log(actor=None)
            self.pruned_at = now

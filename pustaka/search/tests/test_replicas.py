"""Index replicas: each node's index registers, reports its sequence with a heartbeat, holds the pruning
horizon while it is heard from, is dropped when silent too long, and rebuilds when the log it needed is gone."""

import datetime as dt
import threading
import time

import pytest
from django.utils import timezone

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.search import actions, engine, errors
from pustaka.search.changes import last_sequence, record_changed
from pustaka.search.models import ChangeLog, ChangeLogPrune, IndexReplica
from pustaka.search.query import SearchQuery
from pustaka.search.replicas import ReplicaKeeper, horizon, node_name, pruned_through


def found(text):
    return engine.search(SearchQuery(text=text, public_only=False)).ids


def verbs():
    return list(AuditEvent.objects.filter(verb__startswith="search.").order_by("id").values_list("verb", flat=True))


def log_rows(count, *, age_seconds=3600):
    """``count`` change-log rows for new records, logged ``age_seconds`` ago; returns the records."""
    from pustaka.catalog.models import Record

    records = []
    for n in range(count):
        record = Record.objects.create(title=f"Hikayat nomor {n}", language="ind")
        record_changed(record.id)
        records.append(record)
    ChangeLog.objects.update(logged_at=timezone.now() - dt.timedelta(seconds=age_seconds))
    return records


@pytest.fixture
def keep_nothing(settings):
    settings.PUSTAKA_CHANGELOG_KEEP_SECONDS = 0
    settings.PUSTAKA_REPLICA_TIMEOUT = 600


def test_a_replica_registers_once_and_is_audited_once(db):
    replica = actions.register_replica(name="node-a", sequence=0)
    again = actions.register_replica(name="node-a", sequence=7)
    assert again.pk == replica.pk and IndexReplica.objects.get().sequence == 7
    assert verbs() == ["search.replica.register"]


@pytest.mark.parametrize(
    ("name", "sequence", "error", "field"),
    [
        ("", 0, errors.InvalidReplicaName, "name"),
        ("a" * 201, 0, errors.InvalidReplicaName, "name"),
        ("node\nb", 0, errors.InvalidReplicaName, "name"),
        ("node-b", -1, errors.InvalidSequence, "sequence"),
        ("node-b", "12", errors.InvalidSequence, "sequence"),
    ],
)
def test_a_bad_name_or_sequence_is_refused_and_nothing_is_written(db, name, sequence, error, field):
    with pytest.raises(error) as refused:
        actions.register_replica(name=name, sequence=sequence)
    assert refused.value.field == field and str(refused.value)
    assert not IndexReplica.objects.exists() and verbs() == []


@pytest.mark.parametrize("role", ["librarian", "it_manager", "circulation", "technician"])
def test_only_the_system_and_administrators_keep_the_replicas(db, make_staff, administrator, role):
    actor = make_staff(role)
    for call in (
        lambda actor: actions.register_replica(name="node-a", sequence=0, actor=actor),
        lambda actor: actions.report_replica(name="node-a", sequence=0, actor=actor),
        lambda actor: actions.prune_change_log(actor=actor),
    ):
        with pytest.raises(PermissionDenied):
            call(actor)
    assert not IndexReplica.objects.exists() and verbs() == []
    actions.register_replica(name="node-a", sequence=0, actor=administrator)
    assert IndexReplica.objects.get().name == "node-a"


def test_a_report_moves_the_sequence_and_heartbeat_without_an_audit_event(db):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    actions.register_replica(name="node-a", sequence=3, now=long_ago)
    replica = actions.report_replica(name="node-a", sequence=9)
    assert replica.sequence == 9 and replica.heartbeat_at > long_ago
    assert verbs() == ["search.replica.register"]


def test_a_report_from_an_unknown_replica_registers_it(db):
    actions.report_replica(name="node-new", sequence=4)
    assert IndexReplica.objects.get().sequence == 4
    assert verbs() == ["search.replica.register"]


def test_the_horizon_is_the_lowest_live_replica_and_pruning_stops_there(db, keep_nothing):
    log_rows(10)
    first = ChangeLog.objects.order_by("id").first().id
    actions.register_replica(name="node-a", sequence=first + 7)
    actions.register_replica(name="node-b", sequence=first + 4)
    assert horizon() == first + 4

    result = actions.prune_change_log()
    assert result.deleted == 5 and result.through == first + 4
    assert ChangeLog.objects.order_by("id").first().id == first + 5  # node-b still needs the rest
    prune = ChangeLogPrune.objects.get()
    assert prune.through == first + 4 and prune.horizon == first + 4 and prune.deleted == 5
    assert {r["name"] for r in prune.replicas} == {"node-a", "node-b"}
    assert pruned_through() == first + 4
    assert verbs()[-1] == "search.changelog.prune"

    assert actions.prune_change_log().deleted == 0  # nothing more until node-b reports
    actions.report_replica(name="node-b", sequence=last_sequence())
    assert actions.prune_change_log().deleted == 3  # up to node-a's sequence
    assert ChangeLog.objects.count() == 2


def test_nothing_is_pruned_without_a_live_replica_or_inside_the_keep_window(db, settings):
    settings.PUSTAKA_CHANGELOG_KEEP_SECONDS = 900
    log_rows(3, age_seconds=60)  # a minute old: within the keep window
    assert actions.prune_change_log().horizon is None  # no replica registered
    actions.register_replica(name="node-a", sequence=last_sequence())
    result = actions.prune_change_log()
    assert result.horizon == last_sequence() and result.deleted == 0
    assert ChangeLog.objects.count() == 3 and not ChangeLogPrune.objects.exists()


def test_a_silent_replica_is_dropped_from_the_horizon_and_returns_when_it_reports(db, keep_nothing):
    log_rows(6)
    end = last_sequence()
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    actions.register_replica(name="node-down", sequence=end - 5, now=an_hour_ago)
    actions.register_replica(name="node-up", sequence=end)

    result = actions.prune_change_log()
    assert result.dropped == ["node-down"] and result.horizon == end
    assert result.deleted == 6 and not ChangeLog.objects.exists()
    down = IndexReplica.objects.get(name="node-down")
    assert down.dropped_at is not None
    assert "search.replica.drop" in verbs()
    assert actions.prune_change_log().dropped == []  # dropped once, not on every pruning

    actions.report_replica(name="node-down", sequence=end - 5)  # it is back
    down.refresh_from_db()
    assert down.dropped_at is None and down.heartbeat_at > an_hour_ago
    assert verbs()[-1] == "search.replica.return"
    assert pruned_through() == end > down.sequence  # the log it needed is gone: its indexer rebuilds


def test_an_index_behind_the_pruned_log_rebuilds_from_the_database(db, index_dir, keep_nothing):
    records = log_rows(4)
    engine.apply_changes()
    behind = engine.applied_sequence()
    assert behind == last_sequence()

    # While this node was down, another edited a record, reached the end, and the log was pruned.
    records[0].title = "Serat Centhini"
    records[0].save()
    record_changed(records[0].id)
    ChangeLog.objects.update(logged_at=timezone.now() - dt.timedelta(hours=1))
    actions.register_replica(name="node-b", sequence=last_sequence())
    actions.register_replica(name="node-a", sequence=last_sequence())  # (the other node's replica)
    assert actions.prune_change_log().deleted == 5
    assert not ChangeLog.objects.exists() and pruned_through() > behind

    with engine.Indexer(index_dir) as indexer:
        indexer.apply_pending()
        assert indexer.log_rebuilds == 1
        assert indexer.sequence == pruned_through()
        indexer.apply_pending()  # once rebuilt, nothing more to do
        assert indexer.log_rebuilds == 1
    assert found("centhini") == [records[0].id]
    assert engine.applied_sequence() == pruned_through() == last_sequence()


def test_a_new_node_whose_log_was_pruned_builds_its_whole_index(db, tmp_path, keep_nothing):
    records = log_rows(3)
    actions.register_replica(name="node-a", sequence=last_sequence())
    actions.prune_change_log()
    fresh = tmp_path / "new-node-index"
    assert engine.apply_changes(fresh) == 0
    assert sorted(engine.search(SearchQuery(text="hikayat", public_only=False), path=fresh).ids) == sorted(
        r.id for r in records
    )


def test_the_keeper_registers_reports_on_change_or_heartbeat_and_prunes_on_its_interval(db, keep_nothing):
    clock = [100.0]
    keeper = ReplicaKeeper(name="node-k", heartbeat=5, prune_every=60)
    log_rows(2)
    end = last_sequence()

    keeper.tick(0, clock=lambda: clock[0])
    assert IndexReplica.objects.get().sequence == 0
    heartbeat = IndexReplica.objects.get().heartbeat_at

    clock[0] += 1
    keeper.tick(end, clock=lambda: clock[0])  # a new sequence is reported at once
    assert IndexReplica.objects.get().sequence == end

    clock[0] += 1
    keeper.tick(end, clock=lambda: clock[0])  # nothing new, heartbeat not due: no write
    assert IndexReplica.objects.get().heartbeat_at > heartbeat
    stamp = IndexReplica.objects.get().heartbeat_at
    keeper.tick(end, clock=lambda: clock[0])
    assert IndexReplica.objects.get().heartbeat_at == stamp
    clock[0] += 5
    keeper.tick(end, clock=lambda: clock[0])  # the heartbeat is due
    assert IndexReplica.objects.get().heartbeat_at > stamp

    assert ChangeLog.objects.count() == 2
    clock[0] += 60
    keeper.tick(end, clock=lambda: clock[0])  # the pruning interval has passed
    assert ChangeLog.objects.count() == 0

    keeper.tick(end, 1, clock=lambda: clock[0])  # its indexer rebuilt: reported and audited
    assert IndexReplica.objects.get().rebuilds == 1
    assert verbs().count("search.replica.rebuild") == 1


def test_the_follower_registers_this_node_and_reports_its_sequence(transactional_db, index_dir, settings):
    from pustaka.catalog.models import Record

    settings.PUSTAKA_NODE_NAME = "node-follow"
    stop = threading.Event()
    follower = threading.Thread(target=engine.follow, args=(stop,), daemon=True)
    follower.start()
    try:
        record = Record.objects.create(title="Babad tanah Jawi", language="ind")
        record_changed(record.id)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not IndexReplica.objects.filter(sequence=last_sequence()).exists():
            time.sleep(0.05)
        replica = IndexReplica.objects.get()
        assert replica.name == "node-follow" and replica.sequence == last_sequence()
        assert found("babad") == [record.id]
    finally:
        stop.set()
        follower.join(5)


def test_a_node_is_named_by_its_host_and_home_unless_named(settings):
    settings.PUSTAKA_NODE_NAME = ""
    assert node_name().endswith(f":{settings.HOME}")
    settings.PUSTAKA_NODE_NAME = "rak-utara"
    assert node_name() == "rak-utara"


def test_health_lists_the_replicas_for_staff_only(client, administrator, patron_user):
    actions.register_replica(name="node-a", sequence=0)
    assert client.get("/health").json()["index"]["replicas"] == 1
    client.force_login(patron_user)
    assert client.get("/health").json()["index"]["replicas"] == 1
    client.force_login(administrator)
    replicas = client.get("/health").json()["index"]["replicas"]
    assert [r["name"] for r in replicas] == ["node-a"] and replicas[0]["live"] is True


def test_a_replica_that_rebuilt_before_its_first_report_is_counted(db):
    """A node back after its log was pruned rebuilds before its indexer first reports: still counted."""
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    actions.register_replica(name="node-back", sequence=2, now=an_hour_ago)
    IndexReplica.objects.update(dropped_at=an_hour_ago)
    ReplicaKeeper(name="node-back").tick(9, 1)
    back = IndexReplica.objects.get()
    assert back.dropped_at is None and back.sequence == 9 and back.rebuilds == 1
    assert verbs() == ["search.replica.register", "search.replica.return", "search.replica.rebuild"]

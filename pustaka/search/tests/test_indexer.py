"""The change log keeps the index in step: edits searchable after apply_changes, crashes resume, reindex rebuilds."""

import pytest
from django.core.management import call_command

from pustaka.search import engine
from pustaka.search.changes import last_sequence
from pustaka.search.query import SearchQuery


def found(text, **options):
    return engine.search(SearchQuery(text=text, **options)).ids


def test_create_edit_and_delete_are_searchable_after_apply_changes(db, index_dir, administrator):
    from pustaka.catalog.actions import create_record, delete_record, update_record

    record = create_record(actor=administrator, title="Penelitian tindakan kelas", language="ind")
    assert found("tindakan") == []  # not yet applied
    assert engine.apply_changes() >= 1
    assert found("teliti") == [record.id]

    update_record(record=record, actor=administrator, title="Evaluasi pembelajaran")
    engine.apply_changes()
    assert found("tindakan") == []
    assert found("evaluasi") == [record.id]

    delete_record(record=record, actor=administrator)
    engine.apply_changes()
    assert found("evaluasi") == []
    assert engine.applied_sequence() == last_sequence()


def test_withdrawing_the_last_copy_hides_the_record_from_the_public(db, index_dir, administrator, make_item, record):
    from pustaka.holdings.actions import move_item

    item = make_item()
    from pustaka.search.changes import record_changed

    record_changed(record.id)
    engine.apply_changes()
    assert found("pemrograman") == [record.id]
    move_item(item=item, to="pulled", actor=administrator, workflow="pulling", reason="weed")
    move_item(item=item, to="withdrawn", actor=administrator, workflow="weeding")
    engine.apply_changes()
    assert found("pemrograman") == []
    assert found("pemrograman", public_only=False) == [record.id]


def test_the_indexer_resumes_from_its_stored_sequence_after_a_crash(db, index_dir, monkeypatch):
    from pustaka.catalog.models import Record
    from pustaka.search.changes import record_changed

    first = Record.objects.create(title="Sejarah Aceh", language="ind")
    record_changed(first.id)
    engine.apply_changes()
    applied = engine.applied_sequence()

    second = Record.objects.create(title="Sejarah Bali", language="ind")
    record_changed(second.id)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(engine.indexer, "record_documents", crash)  # where the writer looks it up
    with pytest.raises(RuntimeError):
        engine.apply_changes()
    monkeypatch.undo()
    assert engine.applied_sequence() == applied  # nothing half-applied

    assert engine.apply_changes() == 1  # a new indexer starts from the stored sequence
    assert sorted(found("sejarah")) == sorted([first.id, second.id])
    assert engine.applied_sequence() == last_sequence()


def test_only_one_process_may_hold_the_writer(db, index_dir):
    with engine.Indexer():
        with pytest.raises(engine.IndexBusy):
            engine.Indexer().__enter__()
        assert engine.apply_changes() == 0


def test_reindex_command_rebuilds_from_the_database(db, index_dir, record, capsys):
    from pustaka.catalog.models import Record

    Record.objects.filter(id=record.id).update(title="Algoritma dan struktur data")  # behind the log's back
    call_command("reindex")
    assert found("algoritma") == [record.id]
    assert engine.applied_sequence() == last_sequence()
    assert "Indexed 1 record" in capsys.readouterr().out


def test_reindex_pending_applies_only_the_log(db, index_dir, record, capsys):
    from pustaka.search.changes import record_changed

    record_changed(record.id)
    call_command("reindex", "--pending")
    assert found("pemrograman") == [record.id]
    assert "Applied 1 logged changes" in capsys.readouterr().out


def test_health_reports_the_index_sequence_and_pending_changes(client, db, index_dir, record):
    from pustaka.search.changes import record_changed

    record_changed(record.id)
    index = client.get("/health").json()["index"]
    assert index["engine"] == "tantivy"
    assert index["pending"] == 1 and index["applied_sequence"] == 0
    engine.apply_changes()
    index = client.get("/health").json()["index"]
    assert index["pending"] == 0 and index["applied_sequence"] == last_sequence() and index["ok"] is True


def test_a_follower_applies_an_edit_within_a_second(transactional_db, index_dir):
    import threading
    import time

    from pustaka.catalog.models import Record
    from pustaka.search.changes import record_changed

    stop = threading.Event()  # `pustaka reindex --follow` runs this loop in its main thread
    threading.Thread(target=engine.follow, args=(stop,), daemon=True).start()
    try:
        record = Record.objects.create(title="Kebun raya Bogor", language="ind")
        record_changed(record.id)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and found("bogor") != [record.id]:
            time.sleep(0.05)
        assert found("bogor") == [record.id]
    finally:
        stop.set()
        time.sleep(0.6)


def test_applying_the_same_change_twice_keeps_one_document(db, index_dir, record):
    from pustaka.search.changes import record_changed

    for _ in range(3):
        record_changed(record.id)
        engine.apply_changes()
    assert engine.search(SearchQuery(text="pemrograman")).total == 1
    index = engine._reader()
    assert index.searcher().num_docs == 2  # the record and the meta document holding the sequence


def test_the_indexer_waits_for_a_fresh_hole_in_the_sequence_but_not_an_old_one():
    import datetime as dt

    from django.utils import timezone

    from pustaka.search.engine import _without_recent_gap

    now = timezone.now()
    rows = [(5, 1, now), (7, 2, now)]  # 6 may belong to a transaction still running
    assert _without_recent_gap(rows, 4) == [(5, 1, now)]
    old = now - dt.timedelta(minutes=1)
    rows = [(5, 1, old), (7, 2, old)]  # 6 was rolled back long ago
    assert _without_recent_gap(rows, 4) == rows


def test_a_change_committed_late_into_a_skipped_hole_still_reaches_the_index(db, index_dir):
    """On PostgreSQL a long transaction can commit a sequence number after the indexer passed it
    (the hole had looked settled): the indexer looks for such holes again and applies them."""
    import datetime as dt

    from django.utils import timezone

    from pustaka.catalog.models import Record
    from pustaka.search.models import ChangeLog

    engine.apply_changes()
    start = engine.applied_sequence() or 0
    late = Record.objects.create(title="Candi Borobudur", language="ind")
    early = Record.objects.create(title="Candi Prambanan", language="ind")
    a_minute_ago = timezone.now() - dt.timedelta(minutes=1)
    with engine.Indexer(index_dir) as indexer:
        ChangeLog.objects.create(id=start + 2, kind="record", object_id=early.id, record_id=early.id)
        ChangeLog.objects.filter(id=start + 2).update(logged_at=a_minute_ago)
        indexer.apply_pending()  # start + 1 looks rolled back long ago: passed
        assert found("prambanan") == [early.id] and found("borobudur") == []

        ChangeLog.objects.create(id=start + 1, kind="record", object_id=late.id, record_id=late.id)  # commits late
        indexer.apply_pending()
    assert found("borobudur") == [late.id]
    assert engine.applied_sequence() == start + 2


def test_call_numbers_are_searched_by_their_beginning(db, index_dir):
    from pustaka.catalog.models import Record
    from pustaka.search.changes import record_changed

    made = {}
    for key, call_number in {"novel": "899.2213 HIR l", "poetry": "899.221 CHA d", "python": "005.133 SUT p"}.items():
        made[key] = Record.objects.create(title=f"Buku {key}", language="ind", call_number=call_number)
        record_changed(made[key].id)
    engine.apply_changes()

    def ids(query):
        return {key for key, record in made.items() if record.id in found(query, public_only=False)}

    assert ids("callno:899") == {"novel", "poetry"}
    assert ids("callno:899.221") == {"novel", "poetry"}
    assert ids("callno:899.2213") == {"novel"}
    assert ids('callno:"005.133 SUT"') == {"python"}
    assert ids("callno:005.133 callno:sut") == {"python"}
    assert ids("callno:900") == set()


def test_an_index_built_by_an_older_analysis_is_rebuilt_before_changes_apply(db, index_dir):
    from pustaka.catalog.models import Record
    from pustaka.search.changes import record_changed

    record = Record.objects.create(title="Children's stories of the archipelago", language="eng")
    record_changed(record.id)
    engine.apply_changes()
    assert found("children", public_only=False) == [record.id]
    marker = index_dir / engine.ANALYSIS_FILE
    assert marker.read_text() == engine.ANALYSIS_VERSION
    marker.write_text("1")  # as an index from the previous release would say
    other = Record.objects.create(title="Qur'an dan terjemahannya", language="ind")
    record_changed(other.id)
    engine.apply_changes()
    assert marker.read_text() == engine.ANALYSIS_VERSION
    assert found("quran", public_only=False) == [other.id]
    assert found("children", public_only=False) == [record.id]
    assert engine.applied_sequence() == last_sequence()

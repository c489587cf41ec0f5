"""The change log that the search indexer follows."""

from pustaka.search.changes import item_changed, last_sequence, record_changed, records_changed
from pustaka.search.models import ChangeLog


def test_an_import_logs_every_record_in_order(db):
    records_changed(range(1, 1203))

    assert ChangeLog.objects.count() == 1202
    rows = list(ChangeLog.objects.order_by("id").values_list("record_id", "kind", "op")[:2])
    assert rows == [(1, "record", "upsert"), (2, "record", "upsert")]
    assert ChangeLog.objects.filter(logged_at__isnull=True).count() == 0


def test_sequence_numbers_grow_with_each_change(db):
    record_changed(7)
    first = last_sequence()
    item_changed(3, 7, deleted=True)
    assert last_sequence() > first
    assert ChangeLog.objects.get(id=last_sequence()).op == "delete"

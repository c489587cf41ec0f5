"""Append to the change log; callers are actions, inside their transaction."""

from .models import ChangeLog


def record_changed(record_id: int, *, deleted: bool = False) -> None:
    ChangeLog.objects.create(
        kind=ChangeLog.Kind.RECORD,
        object_id=record_id,
        record_id=record_id,
        op=ChangeLog.Op.DELETE if deleted else ChangeLog.Op.UPSERT,
    )


def records_changed(record_ids) -> None:
    """Bulk form for importers: one multi-row statement, without the ORM's per-object work."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    table = connection.ops.quote_name(ChangeLog._meta.db_table)
    rows = [(ChangeLog.Kind.RECORD.value, rid, rid, ChangeLog.Op.UPSERT.value, now) for rid in record_ids]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (kind, object_id, record_id, op, logged_at) VALUES {values}",
                [value for row in chunk for value in row],
            )


def items_changed(pairs) -> None:
    """Bulk form: ``pairs`` of (item id, record id)."""
    ChangeLog.objects.bulk_create(
        [ChangeLog(kind=ChangeLog.Kind.ITEM, object_id=item_id, record_id=record_id) for item_id, record_id in pairs],
        batch_size=1000,
    )


def item_changed(item_id: int, record_id: int, *, deleted: bool = False) -> None:
    ChangeLog.objects.create(
        kind=ChangeLog.Kind.ITEM,
        object_id=item_id,
        record_id=record_id,
        op=ChangeLog.Op.DELETE if deleted else ChangeLog.Op.UPSERT,
    )


def last_sequence() -> int:
    """The log's last sequence (after a pruning that emptied the log, the last one pruned)."""
    from .replicas import pruned_through

    last = ChangeLog.objects.order_by("-id").values_list("id", flat=True).first()
    return last or pruned_through()

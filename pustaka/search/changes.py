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
    """Bulk form for importers."""
    ChangeLog.objects.bulk_create(
        [ChangeLog(kind=ChangeLog.Kind.RECORD, object_id=rid, record_id=rid) for rid in record_ids],
        batch_size=2000,
    )


def item_changed(item_id: int, record_id: int, *, deleted: bool = False) -> None:
    ChangeLog.objects.create(
        kind=ChangeLog.Kind.ITEM,
        object_id=item_id,
        record_id=record_id,
        op=ChangeLog.Op.DELETE if deleted else ChangeLog.Op.UPSERT,
    )


def last_sequence() -> int:
    last = ChangeLog.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0

"""Writing batches: one transaction each, matched by control number or ISBN, audited, in the search log."""

from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pustaka.core.audit import build
from pustaka.core.models import AuditEvent
from pustaka.search.changes import records_changed

from ..choices import RecordSource
from ..models import Record
from .parsed import ImportResult, Parsed

#: Columns the importer writes: every column of a record but its id, created_at and is_suppressed.
WRITTEN_COLUMNS = [f.name for f in Record._meta.concrete_fields if f.name not in ("id", "created_at", "is_suppressed")]
AUDITED_COLUMNS = [c for c in WRITTEN_COLUMNS if c not in ("marc", "updated_at", "source", "marc_edited")]
AUDIT_COLUMNS = [
    "occurred_at",
    "actor_id",
    "actor_name",
    "verb",
    "content_type_id",
    "object_id",
    "object_repr",
    "before",
    "after",
    "request_id",
]


def _same_catalogue_other_record(cn_a: str, src_a: str, cn_b: str, src_b: str) -> bool:
    """Two records that the same catalogue numbered differently are different records, whatever their ISBN."""
    return bool(cn_a and cn_b and cn_a != cn_b and src_a == src_b)


def _same_control_number(cn_a: str, src_a: str, cn_b: str, src_b: str) -> bool:
    return bool(cn_a) and cn_a == cn_b and (src_a == src_b or not src_a or not src_b)


class _Table:
    """Plain multi-row INSERTs for one model.

    Django's ``bulk_create`` compiles every value through the field machinery; on a catalogue-sized
    import that took longer than reading and mapping the records together. Values here are taken as
    they are (the mapping already made them plain str/int/bytes), JSON columns go through the
    backend's own JSON adapter, and datetimes are adapted once per batch by the caller.
    """

    def __init__(self, model, names: list[str]):
        ops = connection.ops
        self.names = names
        fields = [model._meta.get_field(name) for name in names]
        self.json = [(i, f.encoder) for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        self.table = ops.quote_name(model._meta.db_table)
        self.columns = ", ".join(ops.quote_name(f.column) for f in fields)
        self.row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        self.per_statement = max(1, min(500, 30000 // len(fields)))
        self.pk = ops.quote_name(model._meta.pk.column)
        self.table_name = model._meta.db_table
        self.pk_column = model._meta.pk.column
        self.returning = connection.features.can_return_rows_from_bulk_insert

    def row(self, values: dict) -> list:
        row = [values[name] for name in self.names]
        adapt = connection.ops.adapt_json_value
        for i, encoder in self.json:
            row[i] = adapt(row[i], encoder)
        return row

    def insert(self, rows: list[list], *, returning: bool = False) -> list[int]:
        """Insert ``rows``; with ``returning`` give their new ids in order."""
        if connection.vendor == "postgresql":
            return self._copy(rows, returning=returning)
        ids: list[int] = []
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.per_statement):
                part = rows[start : start + self.per_statement]
                sql = f"INSERT INTO {self.table} ({self.columns}) VALUES {', '.join([self.row_sql] * len(part))}"
                if returning:
                    sql += f" RETURNING {self.pk}"
                cursor.execute(sql, [value for row in part for value in row])
                if returning:
                    ids.extend(row[0] for row in cursor.fetchall())
        return ids

    def _copy(self, rows: list[list], *, returning: bool) -> list[int]:
        """PostgreSQL: COPY the rows in (ids taken from the table's sequence first when wanted).

        A multi-row INSERT of a thousand rows is a query psycopg parses and quotes in Python every time.
        """
        ids: list[int] = []
        columns = self.columns
        with connection.cursor() as cursor:
            if returning:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table_name, self.pk_column, len(rows)],
                )
                ids = [row[0] for row in cursor.fetchall()]
                rows = [[record_id, *row] for record_id, row in zip(ids, rows, strict=True)]
                columns = f"{self.pk}, {columns}"
            copy_sql = f"COPY {self.table} ({columns}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        return ids


class _Slot:
    """One database row a batch writes: an existing record (``id``) or a new one."""

    __slots__ = ("id", "item", "events", "before")

    def __init__(self, id=None):
        self.id = id
        self.item = None
        self.events = []  # (Parsed, created?)
        self.before = None


class _Writer:
    """Writes batches of (Parsed, columns) in one transaction each, matching existing records."""

    def __init__(self, *, actor, label: str, result: ImportResult, reject: Callable):
        self.actor = actor
        self.label = label
        self.result = result
        self.reject = reject
        self.records = _Table(Record, [*WRITTEN_COLUMNS, "created_at", "is_suppressed"])
        self.events = _Table(AuditEvent, AUDIT_COLUMNS)
        fields = {f.name: f for f in Record._meta.concrete_fields}
        ops = connection.ops
        assignments = ", ".join(f"{ops.quote_name(fields[c].column)} = %s" for c in WRITTEN_COLUMNS)
        self.update_sql = f"UPDATE {self.records.table} SET {assignments} WHERE {self.records.pk} = %s"

    def write(self, batch: list[tuple[Parsed, dict]]) -> None:
        """Write a batch in one transaction; if the database refuses it, write its records one by one.

        A lost connection or a locked database (OperationalError, InterfaceError) is not the records'
        fault: it stops the import (the batches already written stay) instead of rejecting them.
        """
        try:
            with transaction.atomic():
                created, updated = self._store(batch)
        except (OperationalError, InterfaceError):
            raise
        except DatabaseError:
            # One bad row must not reject its neighbours: write them one at a time.
            created = updated = 0
            for entry in batch:
                try:
                    with transaction.atomic():
                        c, u = self._store([entry])
                except (OperationalError, InterfaceError):
                    raise
                except DatabaseError as exc:
                    parsed, columns = entry
                    self.reject(
                        parsed,
                        columns.get("control_number", ""),
                        _("the database refused the record (%(error)s)") % {"error": str(exc)[:300]},
                    )
                else:
                    created += c
                    updated += u
        self.result.created += created
        self.result.updated += updated

    def _store(self, batch) -> tuple[int, int]:
        control_numbers = {columns["control_number"] for _parsed, columns in batch if columns["control_number"]}
        isbns = {isbn for _parsed, columns in batch for isbn in columns["isbns"]}
        by_cn: dict[str, list] = {}
        if control_numbers:
            for row in Record.objects.filter(control_number__in=control_numbers).values_list(
                "id", "control_number", "control_number_source"
            ):
                by_cn.setdefault(row[1], []).append(row)
        by_isbn: dict[str, list] = {}
        if isbns:
            for row in Record.objects.filter(isbn__in=isbns).values_list(
                "id", "isbn", "control_number", "control_number_source"
            ):
                by_isbn.setdefault(row[1], []).append(row)

        slots: list[_Slot] = []
        slot_by_id: dict[int, _Slot] = {}
        slot_by_cn: dict[str, list[_Slot]] = {}
        slot_by_isbn: dict[str, list[_Slot]] = {}

        def existing(record_id):
            slot = slot_by_id.get(record_id)
            if slot is None:
                slot = slot_by_id[record_id] = _Slot(record_id)
                slots.append(slot)
            return slot

        for parsed, columns in batch:
            cn, src = columns["control_number"], columns["control_number_source"]
            slot = None
            if cn:
                for s in slot_by_cn.get(cn, ()):
                    if _same_control_number(cn, src, s.item["control_number"], s.item["control_number_source"]):
                        slot = s
                        break
                if slot is None:
                    for record_id, other_cn, other_src in sorted(by_cn.get(cn, ())):
                        if _same_control_number(cn, src, other_cn, other_src):
                            slot = existing(record_id)
                            break
            if slot is None:
                for isbn in columns["isbns"]:
                    for s in slot_by_isbn.get(isbn, ()):
                        item = s.item
                        if not _same_catalogue_other_record(
                            cn, src, item["control_number"], item["control_number_source"]
                        ):
                            slot = s
                            break
                    if slot is None:
                        for record_id, _isbn, other_cn, other_src in sorted(by_isbn.get(isbn, ())):
                            if not _same_catalogue_other_record(cn, src, other_cn, other_src):
                                slot = existing(record_id)
                                break
                    if slot is not None:
                        break
            created = slot is None
            if created:
                slot = _Slot()
                slots.append(slot)
            slot.item = columns
            slot.events.append((parsed, created))
            if cn:
                slot_by_cn.setdefault(cn, []).append(slot)
            for isbn in columns["isbns"]:
                slot_by_isbn.setdefault(isbn, []).append(slot)

        now = timezone.now()
        now_db = connection.ops.adapt_datetimefield_value(now)
        new_slots = [s for s in slots if s.id is None]
        old_slots = [s for s in slots if s.id is not None]
        if old_slots:
            self._update(old_slots, now_db)
        if new_slots:
            extra = {"source": RecordSource.MARC, "created_at": now_db, "updated_at": now_db, "is_suppressed": False}
            rows = [self.records.row({**s.item, **extra}) for s in new_slots]
            if self.records.returning:
                ids = self.records.insert(rows, returning=True)
            else:  # an old SQLite without RETURNING: let Django find the ids
                objs = [
                    Record(
                        **{k: v for k, v in s.item.items() if k != "_explicit_call_number"}, source=RecordSource.MARC
                    )
                    for s in new_slots
                ]
                ids = [obj.pk for obj in Record.objects.bulk_create(objs)]
            for slot, record_id in zip(new_slots, ids, strict=True):
                slot.id = record_id

        rows = []
        created_count = updated_count = 0
        proxy = Record(pk=0)
        # One audit event a record; the parts they share come from one build() a batch.
        template = build(self.actor, "catalog.record.import", proxy)
        shared = {name: getattr(template, name) for name in AUDIT_COLUMNS}
        shared["occurred_at"] = now_db
        for slot in slots:
            item = slot.item
            proxy.title = item["title"]
            proxy.subtitle = item["subtitle"]
            object_repr = str(proxy)[:300]
            for parsed, is_new in slot.events:
                after = {"source": "marc", "file": self.label, "position": parsed.position}
                if item["control_number"]:
                    after["control_number"] = item["control_number"]
                before = None
                if is_new:
                    created_count += 1
                else:
                    updated_count += 1
                    if slot.before is not None:
                        changed = {k: v for k, v in item.items() if k in slot.before and slot.before[k] != v}
                        before = {k: slot.before[k] for k in changed}
                        after.update(changed)
                values = {**shared, "object_id": str(slot.id), "object_repr": object_repr}
                values["before"] = before
                values["after"] = after
                rows.append(self.events.row(values))
        self.events.insert(rows)
        records_changed([s.id for s in slots])
        return created_count, updated_count

    def _update(self, slots: list[_Slot], now_db) -> None:
        befores = {
            row["id"]: row for row in Record.objects.filter(id__in=[s.id for s in slots]).values("id", *AUDITED_COLUMNS)
        }
        extra = {"source": RecordSource.MARC, "marc_edited": False, "updated_at": now_db}
        rows = []
        for slot in slots:
            before = befores.get(slot.id)
            if before is None:
                continue
            slot.before = before
            item = dict(slot.item)
            if not item.pop("_explicit_call_number", False) and before["call_number"]:
                item["call_number"] = before["call_number"]  # keep the library's own call number
            slot.item = item
            rows.append(self.records.row({**item, **extra, "created_at": None, "is_suppressed": None})[:-2] + [slot.id])
        with connection.cursor() as cursor:
            cursor.executemany(self.update_sql, rows)

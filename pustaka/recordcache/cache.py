"""Read a page of records' texts in one form from the cache; build and keep the ones missing or stale.

``texts(ids, form)`` is what SRU, OAI-PMH and OPDS call: one query reads, for every id, whether the
record may be shown, its cached text and whether that text is still current, i.e. no change-log entry
for the record came after it (``search.ChangeLog``: every action that changes a record appends one in
its transaction), the record's ``updated_at`` is the one it was built from, and the call-number rule
it depends on (if any) is still the library's. ``context`` names what the reader's request adds to a
text (its base address and language: links and words in a record's export); texts are kept per context.
Only the records that fail the check are loaded and
serialised, and their new texts are stored for the next reader (one multi-row upsert).

The rows are derived data, like the search index, not a person's change: they are written here and
not through an action (nothing to permit or audit), and a failure to store them (a database busy
with an import) only means the next reader builds them again.
"""

from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation

from pustaka.catalog.marc import attach_export_extras, dc_xml, record_marcxml
from pustaka.catalog.models import Record
from pustaka.core.models import Library
from pustaka.search.models import ChangeLog

from .models import CachedForm

Form = CachedForm.Form


def _rule_dependent(record) -> bool:
    """Whether the record's MARCXML is written from its columns (then the call-number rule matters)."""
    return bool(record.marc_edited or not record.marc)


def build(record, form: str, *, rule: str) -> tuple[str, str]:
    """``(text, rule it depends on or "")`` of ``record`` in ``form``, written from the record itself."""
    if form == Form.MARCXML:
        if _rule_dependent(record):
            return record_marcxml(record, call_number_rule=rule), rule
        return record_marcxml(record), ""
    if form == Form.DC:
        return dc_xml(record), ""
    raise ValueError(f"no record form {form!r}")


def _default_rule() -> str:
    return Library._meta.get_field("call_number_rule").get_default()


def _check_sql(count: int, public_only: bool) -> str:
    """For each id: the record's id, its cached text (or NULL), whether that text was built from this
    version of the record with the library's current rule (1/0), its sequence, and the record's last
    change-log sequence (0 without one)."""
    q = connection.ops.quote_name
    record, cached = q(Record._meta.db_table), q(CachedForm._meta.db_table)
    log, library = q(ChangeLog._meta.db_table), q(Library._meta.db_table)
    marks = ", ".join(["%s"] * count)
    return (
        f"SELECT r.id, c.text,"
        f" CASE WHEN c.text IS NOT NULL AND c.record_updated = r.updated_at AND (c.rule = ''"
        f" OR c.rule = COALESCE((SELECT b.call_number_rule FROM {library} b ORDER BY b.id LIMIT 1), %s))"
        f" THEN 1 ELSE 0 END, c.sequence,"
        f" (SELECT COALESCE(MAX(l.id), 0) FROM {log} l WHERE l.record_id = r.id)"
        f" FROM {record} r LEFT JOIN {cached} c ON c.record_id = r.id AND c.form = %s AND c.context = %s"
        f" WHERE r.id IN ({marks})" + (" AND NOT r.is_suppressed" if public_only else "")
    )


def texts(ids, form: str, *, context: str = "", public_only: bool = True) -> dict[int, str]:
    """The text in ``form`` of each record of ``ids`` that exists (and, with ``public_only``, is not
    suppressed), by id: one query when every text is cached and current (it also reads each record's last
    change-log sequence, before the record itself is read, so a change racing this one is seen as newer);
    for the others one query for the records, one for the library's rule when a text needs it and one
    upsert."""
    ids = list(dict.fromkeys(int(pk) for pk in ids))
    if not ids:
        return {}
    found: dict[int, str] = {}
    stale: dict[int, int] = {}  # id: its last change-log sequence, read before the record is
    with connection.cursor() as cursor:
        cursor.execute(_check_sql(len(ids), public_only), [_default_rule(), form, context, *ids])
        for pk, text, built_from_this, sequence, last in cursor.fetchall():
            if built_from_this and sequence >= last:
                found[pk] = text
            else:
                stale[pk] = last
    if stale:
        found.update(_rebuild(stale, form, context=context, public_only=public_only))
    return found


def _rebuild(sequences: dict[int, int], form: str, *, context: str, public_only: bool) -> dict[int, str]:
    records = Record.objects.filter(pk__in=list(sequences))
    if public_only:
        records = records.filter(is_suppressed=False)
    records = list(records)
    _prepare(records, context)
    rule = None
    built, rows = {}, []
    now = timezone.now()
    for record in records:
        if rule is None and form == Form.MARCXML and _rule_dependent(record):
            rule = Library.objects.values_list("call_number_rule", flat=True).first() or _default_rule()
        text, depends = build(record, form, rule=rule or "")
        built[record.pk] = text
        rows.append(
            CachedForm(
                record_id=record.pk,
                form=form,
                context=context,
                text=text,
                sequence=sequences.get(record.pk, 0),
                record_updated=record.updated_at,
                rule=depends,
                built_at=now,
            )
        )
    store(rows)
    return built


def _prepare(records: list, context: str) -> None:
    """Let the export look up what other apps add to these records in one go, not record by record
    (:func:`pustaka.catalog.marc.attach_export_extras`)."""
    if records:
        attach_export_extras(records, base_url=context.split("|", 1)[0].rstrip("/") or None)


def store(rows: list[CachedForm]) -> None:
    """Insert or replace cached rows in one statement; a database too busy to take them is left alone."""
    if not rows:
        return
    try:
        with transaction.atomic():
            CachedForm.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["record_id", "form", "context"],
                update_fields=["text", "sequence", "record_updated", "rule", "built_at"],
            )
    except DatabaseError:
        pass


def request_context(request) -> str:
    """The context of a reader's request: its base address and its language."""
    return f"{request.build_absolute_uri('/')[:250]}|{translation.get_language() or ''}"

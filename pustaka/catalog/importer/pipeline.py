"""The import itself: ``import_marc`` reads (in a second process for big files), maps and writes in batches."""

import contextlib
import io
import logging
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pustaka.core.models import Library
from pustaka.core.registry import action

from ..marc import CALL_NUMBER_TAGS, map_fields
from .iso2709 import iter_iso2709
from .marcxml import detect_format, iter_marcxml
from .parsed import FORMATS, MAX_REJECTIONS_KEPT, READ_SIZE, ImportResult, Parsed, Rejected
from .report import _Report
from .writer import _Writer


@contextlib.contextmanager
def _quiet_pymarc():
    """pymarc logs every oddity it forgives; the import report says what matters."""
    logger = logging.getLogger("pymarc")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def _open_source(source):
    """A seekable binary stream for a path or a file object (a pipe is spooled to a temporary file)."""
    if isinstance(source, str | Path):
        with open(source, "rb") as stream:
            yield stream
        return
    seekable = False
    with contextlib.suppress(AttributeError, OSError, io.UnsupportedOperation):
        seekable = source.seekable()
    if seekable:
        yield source
        return
    with tempfile.TemporaryFile() as spool:
        while data := source.read(READ_SIZE):
            spool.write(data)
        spool.seek(0)
        yield spool


def _prepared(stream: BinaryIO, kind: str, rule: str) -> Iterator[tuple[Parsed, dict | None]]:
    """Read and map each record: (parsed, columns), or (parsed with ``error`` set, None)."""
    records = iter_iso2709(stream) if kind == "iso2709" else iter_marcxml(stream)
    for parsed in records:
        if not parsed.error:
            try:
                columns = _columns(parsed, rule)
            except Rejected as exc:
                parsed.error = str(exc)
                parsed.control_number = _control_number(parsed.fields)
            else:
                parsed.fields = parsed.raw = None  # the columns (with the raw record) are all a batch needs
                yield parsed, columns
                continue
        parsed.fields = parsed.raw = None
        yield parsed, None


PIPE_CHUNK = 250  # records a message from the reading process carries


def _reading_process(stream, kind: str, rule: str, conn) -> None:
    """The second process of a pipelined import: reads and maps, sends the results in small lists.

    Entries travel as plain tuples (position, offset, line, error, control number, column values);
    each message names the columns once. Pickling dataclasses and dicts cost the writer more time
    than the rest of its unpacking.
    """
    try:
        with _quiet_pymarc():
            keys: tuple = ()
            out = []
            for parsed, columns in _prepared(stream, kind, rule):
                values = None
                if columns is not None:
                    if not keys:
                        keys = tuple(columns)
                    values = tuple(columns[key] for key in keys)
                out.append((parsed.position, parsed.offset, parsed.line, parsed.error, parsed.control_number, values))
                if len(out) >= PIPE_CHUNK:
                    conn.send((keys, out))
                    out = []
            if out:
                conn.send((keys, out))
        conn.send(None)
    except BaseException as exc:  # tell the writing process, which raises it
        conn.send(RuntimeError(f"reading the MARC file failed: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _pipelined(stream: BinaryIO, kind: str, rule: str) -> Iterator[tuple[Parsed, dict | None]]:
    """:func:`_prepared` run in a forked process, so reading and mapping overlap with the database writes.

    The pipe holds at most one message, so the reader never runs far ahead: memory stays flat.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    reader = context.Process(target=_reading_process, args=(stream, kind, rule, send), daemon=True)
    reader.start()
    send.close()
    try:
        while True:
            try:
                message = receive.recv()
            except EOFError:
                raise RuntimeError("the process reading the MARC file stopped unexpectedly") from None
            if message is None:
                break
            if isinstance(message, Exception):
                raise message
            keys, entries = message
            for position, offset, line, error, control_number, values in entries:
                parsed = Parsed(position, offset, error=error, control_number=control_number, line=line)
                yield parsed, (dict(zip(keys, values, strict=True)) if values is not None else None)
    finally:
        receive.close()
        if reader.is_alive():
            reader.terminate()
        reader.join()


def _use_processes(stream: BinaryIO, processes: int | None) -> int:
    """Two processes (read and map / write) for a big file on a machine with two cores or more.

    Only where forking is safe: a process with one thread (the command line), never a threaded server.
    """
    if processes is not None:
        return 2 if processes >= 2 and "fork" in multiprocessing.get_all_start_methods() else 1
    if (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        here = stream.tell()
        size = stream.seek(0, io.SEEK_END)
        stream.seek(here)
    except (OSError, ValueError):
        return 1
    return 2 if size >= PIPELINE_MIN_BYTES else 1


PIPELINE_MIN_BYTES = 8 * 1024 * 1024  # about 10,000 records: below that a second process does not pay


@action(
    "catalog.record.import",
    permission="catalog.import_marc",
    label=gettext_lazy("Record imported from MARC"),
    atomic=False,
)
def import_marc(
    *,
    source,
    actor,
    format: str = "auto",
    batch_size: int = 1000,
    report_path=None,
    progress: Callable[[int], None] | None = None,
    processes: int | None = 1,
) -> ImportResult:
    """Import a MARC 21 file (ISO 2709 in UTF-8 or MARC-8, or MARCXML) into the catalogue.

    ``source`` is a path or a binary file object; ``actor`` None means the system (the command line),
    else it needs ``catalog.import_marc``. Records whose 001 (and 003) or ISBN match an existing record
    update it (it keeps its id and items); the others are created. Each batch of ``batch_size`` records
    is written in one transaction with one audit event per record and the search change log. A record
    that cannot be read is rejected with its reason into ``report_path`` (default
    ``$PUSTAKA_HOME/reports/marc-import-<time>.tsv``; appended to when it exists) and the import goes on.
    ``progress(done)`` is called after each batch with the number of records handled so far.
    Not one transaction: each batch commits on its own, so a long import keeps what it has written.
    ``processes``: 2 reads and maps in a second (forked) process while this one writes; None lets the
    importer choose (2 for files of 8 MB or more on a machine with two cores, in a process with one
    thread: the command line uses this); 1 (default, what pages and the API use) never forks.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    batch_size = max(1, int(batch_size))
    label = Path(source).name if isinstance(source, str | Path) else Path(getattr(source, "name", "") or "-").name
    result = ImportResult()
    report = _Report(report_path, label)

    def reject(parsed: Parsed, control_number: str, reason: str) -> None:
        result.rejected += 1
        if len(result.rejections) < MAX_REJECTIONS_KEPT:
            result.rejections.append((parsed.position, control_number, reason))
        if parsed.line is not None:
            reason = _("%(reason)s (line %(line)s)") % {"reason": reason, "line": parsed.line}
        report.add(parsed.position, parsed.offset, control_number, reason)

    rule = Library.current().call_number_rule
    writer = _Writer(actor=actor, label=label, result=result, reject=reject)
    try:
        with _open_source(source) as stream, _quiet_pymarc():
            kind = format if format != "auto" else detect_format(stream)
            if kind is None:
                reject(Parsed(0), "", _("the file is neither ISO 2709 MARC nor MARCXML"))
                return result
            if _use_processes(stream, processes) == 2:
                entries = _pipelined(stream, kind, rule)
            else:
                entries = _prepared(stream, kind, rule)
            batch: list[tuple[Parsed, dict]] = []
            done = reported = 0
            for parsed, columns in entries:
                done += 1
                if columns is None:
                    reject(parsed, parsed.control_number, parsed.error)
                    continue
                batch.append((parsed, columns))
                if len(batch) >= batch_size:
                    writer.write(batch)
                    batch = []
                    if progress:
                        progress(done)
                        reported = done
            if batch:
                writer.write(batch)
            if progress and done != reported:
                progress(done)
    finally:
        result.report_path = report.close()
    return result


def _control_number(fields) -> str:
    for entry in fields or ():
        if entry.tag == "001":
            return (entry.data or "").strip()[:64]
    return ""


def _columns(parsed: Parsed, rule: str) -> dict:
    fields = parsed.fields
    tags = {field.tag for field in fields}
    if "245" not in tags:
        raise Rejected(_("the record has no title (field 245)"))
    try:
        columns = map_fields(parsed.leader, fields, call_number_rule=rule)
    except Exception as exc:  # a record odd enough to break the mapping is reported, not fatal
        raise Rejected(
            _("the record could not be mapped (%(error)s)") % {"error": f"{type(exc).__name__}: {exc}"}
        ) from None
    if not columns["title"]:
        raise Rejected(_("the record has no title (field 245 is empty)"))
    columns["marc"] = parsed.raw
    columns["marc_edited"] = False
    columns["_explicit_call_number"] = not tags.isdisjoint(CALL_NUMBER_TAGS)
    return columns

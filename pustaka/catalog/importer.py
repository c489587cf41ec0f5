"""Importing MARC 21 files (ISO 2709 in UTF-8 or MARC-8, and MARCXML) into the catalogue.

The file is streamed: records are read one at a time and written in batches, each batch in one
transaction, so memory stays flat however long the file is. A record that cannot be read faithfully
is rejected with its reason (into a TSV report) and the rest of the file still imports.

Reading ISO 2709
    Records are framed here (five-digit record length, end-of-record mark) rather than by
    ``pymarc.MARCReader`` so that the importer knows each record's byte offset, skips padding
    between records and finds its footing again after a record whose length is wrong (MARCReader
    stops at the first such record and loses the rest of the file). A UTF-8 record is decoded into
    pymarc fields by :func:`_read_fields`: the same fields ``pymarc.Record(chunk, to_unicode=True)``
    gives (a test holds it to that), decoded a field at a time rather than a subfield at a time, with
    the directory checked against the data, and only the fields the mapping reads. Text is decoded
    with ``utf8_handling="strict"``: a record that is not valid UTF-8 is rejected, not stored with
    U+FFFD in place of the letters it had ("replace" would lose text without anyone noticing, and the
    stored original would no longer be the original). MARC-8 records (leader/09 blank) are read by
    pymarc and converted with a strict converter that refuses unknown escapes and characters
    (pymarc's own prints a warning and puts a blank in their place); a record marked MARC-8 whose
    text is valid UTF-8 (a common export mistake) is read as UTF-8. A record without 245 is rejected.

Reading MARCXML
    The file is checked to be well-formed first (nothing is imported from a broken XML file), then
    parsed by pymarc's SAX handler fed in pieces, so records stream as they end.

Writing
    Each batch is one transaction: one query finds existing records by control number (001 with
    003), one by ISBN; new rows go in with multi-row INSERT (COPY on PostgreSQL), matched ones with
    one UPDATE each in ``executemany``; one audit event per record (``catalog.record.import``) and
    the search change log go in the same transaction. A batch the database refuses is written again
    one record at a time, so one bad row is rejected alone.
"""

import contextlib
import io
import logging
import multiprocessing
import os
import re
import tempfile
import threading
import xml.parsers.expat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.sax import make_parser
from xml.sax.handler import feature_external_ges, feature_external_pes, feature_namespaces

import pymarc
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pymarc import Field, Indicators, Leader, Subfield
from pymarc.exceptions import BaseAddressInvalid, BaseAddressNotFound, NoFieldsFound, RecordDirectoryInvalid
from pymarc.marcxml import XmlHandler

from pustaka.core.audit import build
from pustaka.core.models import AuditEvent, Library
from pustaka.core.permissions import require
from pustaka.search.changes import records_changed

from .choices import RecordSource
from .marc import CALL_NUMBER_TAGS, MAPPED_TAGS, Marc8Error, map_fields, marc8_to_unicode_strict
from .models import Record

FORMATS = ("auto", "iso2709", "marcxml")
READ_SIZE = 1 << 20
MAX_REJECTIONS_KEPT = 10_000  # in ImportResult.rejections; the report file has every one
_VALID_TAG = re.compile(r"^[0-9A-Za-z]{3}$")
_BAD_SUBFIELD_CODE = re.compile(rb"\x1f[\x80-\xff]")
_XML_START = re.compile(rb"<(?:[\w.-]+:)?(?:collection|record)[\s>/]")
# Columns the importer writes (everything but id, created_at, is_suppressed).
WRITTEN_COLUMNS = [
    "material_type",
    "title",
    "subtitle",
    "responsibility",
    "contributors",
    "publisher",
    "place",
    "year",
    "edition",
    "extent",
    "isbn",
    "isbns",
    "issn",
    "language",
    "subjects",
    "series",
    "summary",
    "notes",
    "classification_scheme",
    "class_number",
    "call_number",
    "control_number",
    "control_number_source",
    "source",
    "marc",
    "marc_edited",
    "updated_at",
]
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


class Rejected(Exception):
    """A record that cannot be imported; the message is the reason a cataloguer reads in the report."""


@dataclass
class ImportResult:
    """What an import did. ``rejections`` holds (position in file, control number or "", reason)."""

    created: int = 0
    updated: int = 0
    rejected: int = 0
    rejections: list[tuple[int, str, str]] = field(default_factory=list)
    report_path: Path | None = None

    @property
    def total(self) -> int:
        return self.created + self.updated + self.rejected


@dataclass
class Parsed:
    """One record read from a file, or the reason it could not be read.

    ``leader`` and ``fields`` (pymarc fields; from ISO 2709 only the tags the mapping reads) feed
    :func:`~pustaka.catalog.marc.map_fields`; ``raw`` is the whole record as UTF-8 ISO 2709, to store.
    """

    position: int
    offset: int | None = None
    leader: str = ""
    fields: list | None = None
    raw: bytes | None = None
    error: str | None = None
    control_number: str = ""
    line: int | None = None


# --- reading ISO 2709 ---------------------------------------------------------------------------

_PYMARC_REASONS = {
    "RecordLeaderInvalid": gettext_noop("the leader is not valid"),
    "BaseAddressNotFound": gettext_noop("the leader gives no base address of data"),
    "BaseAddressInvalid": gettext_noop("the base address of data in the leader lies outside the record"),
    "RecordDirectoryInvalid": gettext_noop("the directory is not a whole number of 12-character entries"),
    "NoFieldsFound": gettext_noop("the record has no fields"),
    "TruncatedRecord": gettext_noop("the record is shorter than its leader says"),
}


def _reason_from_exception(exc: Exception) -> str:
    name = type(exc).__name__
    if name in _PYMARC_REASONS:
        return _(_PYMARC_REASONS[name])
    if isinstance(exc, UnicodeDecodeError):
        byte = exc.object[exc.start : exc.start + 1].hex() if exc.object else ""
        if exc.encoding == "ascii":
            return _("the leader, directory or indicators contain a non-ASCII byte (0x%(byte)s)") % {"byte": byte}
        return _("the text is not valid UTF-8 (byte 0x%(byte)s)") % {"byte": byte}
    if isinstance(exc, ValueError):
        return _("the directory is not valid (%(error)s)") % {"error": str(exc)[:200]}
    return _("the record could not be read (%(error)s)") % {"error": f"{name}: {exc}"[:200]}


def _control_number_of(chunk: bytes) -> str:
    """The 001 of a raw record, found without trusting its structure (for the report only)."""
    try:
        base = int(chunk[12:17])
        directory = chunk[24 : base - 1]
        for i in range(0, len(directory) - 11, 12):
            if directory[i : i + 3] == b"001":
                length = int(directory[i + 3 : i + 7])
                start = base + int(directory[i + 7 : i + 12])
                return chunk[start : start + length - 1].decode("ascii", "replace").strip()[:64]
    except (ValueError, IndexError):
        pass
    return ""


def _structure_problem(chunk: bytes) -> tuple[str | None, bool]:
    """Check the directory against the data: (reason the record is broken or None, odd indicators).

    A field with fewer or more than two indicator characters is forgiven as pymarc forgives it (blanks
    for missing ones, extra characters dropped); the record is then stored as pymarc re-encodes it.
    """
    base = int(chunk[12:17])
    directory = chunk[24 : base - 1]
    size = len(chunk)
    odd_indicators = False
    for i in range(0, len(directory), 12):
        tag = directory[i : i + 3]
        if not tag.isalnum():
            return _("field tag “%(tag)s” is not valid") % {"tag": tag.decode("latin-1")}, False
        length = int(directory[i + 3 : i + 7])
        start = base + int(directory[i + 7 : i + 12])
        end = start + length - 1
        if length < 1 or end >= size or chunk[end] != 0x1E:
            return _("the directory does not match the data of field %(tag)s") % {"tag": tag.decode()}, False
        if tag < b"010" and tag.isdigit():
            continue
        if length > 3:
            first = chunk.find(b"\x1f", start, end)
            if first == -1:
                return _("field %(tag)s has no subfields") % {"tag": tag.decode()}, False
            if first != start + 2:
                odd_indicators = True
    return None, odd_indicators


def _marc8_record(raw: pymarc.Record) -> pymarc.Record:
    """Decode a raw (undecoded) MARC-8 record strictly into a Unicode pymarc record (leader/09 ``a``)."""
    rec = pymarc.Record()
    rec.leader = pymarc.Leader(str(raw.leader)[:9] + "a" + str(raw.leader)[10:])
    for f in raw.fields:
        if f.control_field:
            rec.add_field(Field(f.tag, data=f.data.decode("iso8859-1")))
            continue
        subfields = []
        for code, value in f.subfields:
            try:
                subfields.append(Subfield(code, marc8_to_unicode_strict(value)))
            except Marc8Error as exc:
                raise Rejected(
                    _("field %(tag)s is not valid MARC-8: %(error)s") % {"tag": f.tag, "error": exc}
                ) from None
        rec.add_field(Field(f.tag, Indicators(f.indicator1, f.indicator2), subfields))
    return rec


_new_field = Field.__new__


def _read_fields(chunk: bytes, wanted: frozenset | None = None) -> tuple[str, list[Field], bool]:
    """Decode a UTF-8 record into pymarc fields, checking the directory against the data as it goes.

    Gives the fields ``pymarc.Record(chunk, to_unicode=True, force_utf8=True)`` gives, about three
    times faster: each field is decoded once and split on the subfield delimiter, where pymarc decodes
    subfield by subfield. With ``wanted``, fields with other tags are checked but not decoded (the
    whole record is checked as UTF-8 at once). Returns the leader, the fields and whether a field had
    other than two indicator characters (forgiven as pymarc forgives it: blanks added, extras dropped).
    """
    leader = chunk[:24].decode("ascii")
    base = int(chunk[12:17])
    size = len(chunk)
    if base <= 0:
        raise BaseAddressNotFound
    if base >= size:
        raise BaseAddressInvalid
    directory = chunk[24 : base - 1].decode("ascii")
    if len(directory) % 12:
        raise RecordDirectoryInvalid
    if not directory:
        raise NoFieldsFound
    if wanted is not None:
        chunk.decode("utf-8")  # strict: a record with any invalid UTF-8 is refused
    fields = []
    odd_indicators = False
    for i in range(0, len(directory), 12):
        tag = directory[i : i + 3]
        length = int(directory[i + 3 : i + 7])
        start = base + int(directory[i + 7 : i + 12])
        end = start + length - 1
        if not tag.isalnum():
            raise Rejected(_("field tag “%(tag)s” is not valid") % {"tag": tag})
        if length < 1 or end >= size or chunk[end] != 0x1E:
            raise Rejected(_("the directory does not match the data of field %(tag)s") % {"tag": tag})
        if tag < "010" and tag.isdigit():
            if wanted is None or tag in wanted:
                fields.append(Field(tag, data=chunk[start:end].decode("utf-8")))
            continue
        if wanted is not None and tag not in wanted:
            if length > 3 and chunk[start + 2] != 0x1F:
                first = chunk.find(b"\x1f", start, end)
                if first == -1:
                    raise Rejected(_("field %(tag)s has no subfields") % {"tag": tag})
                odd_indicators = True
            continue
        parts = chunk[start:end].decode("utf-8").split("\x1f")
        indicators = parts[0]
        if len(indicators) != 2:
            if len(parts) == 1 and len(indicators) > 2:
                raise Rejected(_("field %(tag)s has no subfields") % {"tag": tag})
            if not indicators.isascii():
                raise Rejected(_("the indicators of field %(tag)s are not ASCII") % {"tag": tag})
            odd_indicators = True
            indicators = (indicators + "  ")[:2]
        # Field.__init__ re-checks what was just checked; filling its slots directly halves the cost.
        field = _new_field(Field)
        field.tag = tag
        field.data = None
        field.control_field = False
        field._indicators = Indicators(indicators[0], indicators[1])
        field.subfields = [Subfield(p[0], p[1:]) for p in parts[1:] if p]
        fields.append(field)
    return leader, fields, odd_indicators


def _decode_utf8(chunk: bytes) -> tuple[pymarc.Record, bool]:
    """A whole UTF-8 record as a pymarc record (see :func:`_read_fields`) and whether indicators were odd."""
    leader, fields, odd_indicators = _read_fields(chunk)
    rec = pymarc.Record()
    rec.leader = Leader(leader)
    rec.fields = fields
    return rec, odd_indicators


def decode_iso2709(chunk: bytes) -> tuple[str, list[Field], bytes]:
    """One framed ISO 2709 record to (leader, the fields the mapping reads, UTF-8 ISO 2709 to store).

    Raises :class:`Rejected` with the reason when the record cannot be read faithfully.
    """
    if _BAD_SUBFIELD_CODE.search(chunk):
        raise Rejected(_("a subfield code is not an ASCII letter or digit"))
    coding = chunk[9:10]
    utf8 = coding == b"a"
    if not utf8 and not chunk[24:].isascii():
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            utf8 = True  # marked MARC-8 (or unknown) but the text is UTF-8: read it as what it is
    try:
        if coding == b"a":
            leader, fields, odd_indicators = _read_fields(chunk, MAPPED_TAGS)
            if not odd_indicators:
                return leader, fields, chunk  # the original, byte for byte
            rec, _odd = _decode_utf8(chunk)
        elif utf8 or (coding == b" " and chunk.isascii() and b"\x1b" not in chunk):
            rec, _odd = _decode_utf8(chunk)
        elif coding == b" ":
            rec = pymarc.Record(chunk, to_unicode=False)
            problem, _odd = _structure_problem(chunk)
            if problem:
                raise Rejected(problem)
            rec = _marc8_record(rec)
        else:
            raise Rejected(
                _("leader/09 says the character coding is “%(value)s”; MARC 21 allows blank (MARC-8) or a (UTF-8)")
                % {"value": coding.decode("latin-1")}
            )
        raw = rec.as_marc()  # leader/09 becomes "a": the stored record is always UTF-8
    except Rejected:
        raise
    except Exception as exc:  # pymarc raises many kinds for a broken record
        raise Rejected(_reason_from_exception(exc)) from None
    return str(rec.leader), rec.fields, raw


def iter_iso2709(stream: BinaryIO) -> Iterator[Parsed]:
    """Read ISO 2709 records one at a time; broken ones come back with ``error`` and reading goes on."""
    buf = b""
    pos = 0  # read position inside buf
    base = 0  # file offset of buf[0]
    eof = False
    position = 0

    def fill(needed: int) -> bool:
        nonlocal buf, pos, base, eof
        while len(buf) - pos < needed and not eof:
            data = stream.read(max(READ_SIZE, needed))
            if not data:
                eof = True
                break
            buf = buf[pos:] + data
            base += pos
            pos = 0
        return len(buf) - pos >= needed

    def find_end() -> int:
        """Distance from ``pos`` to the next end-of-record mark (reading on as needed), or -1."""
        search = pos
        while True:
            found = buf.find(b"\x1d", search)
            if found != -1:
                return found - pos
            if eof:
                return -1
            seen = len(buf) - pos
            fill(seen + READ_SIZE)
            search = pos + seen

    while True:
        # Padding between records (spaces, newlines, NULs, stray marks) is not a record.
        while True:
            if not fill(1):
                return
            if 0x30 <= buf[pos] <= 0x39:
                break
            rest = buf[pos : pos + 64]
            stripped = rest.lstrip(b" \r\n\t\x00\x1a\x1d\x1e")
            pos += len(rest) - len(stripped)
            if stripped:
                break
        position += 1
        offset = base + pos
        fill(5)
        head = buf[pos : pos + 5]
        length = int(head) if len(head) == 5 and head.isdigit() else 0
        if length < 26:
            end = find_end()
            chunk = buf[pos : pos + end + 1] if end != -1 else buf[pos:]
            pos = pos + end + 1 if end != -1 else len(buf)
            yield Parsed(
                position,
                offset,
                error=_("the record does not start with a valid five-digit record length"),
                control_number=_control_number_of(chunk),
            )
            continue
        if not fill(length) or buf[pos + length - 1] != 0x1D:
            # The length is wrong: the record really ends at the next end-of-record mark.
            end = find_end()
            chunk = buf[pos : pos + end + 1] if end != -1 else buf[pos:]
            pos = pos + end + 1 if end != -1 else len(buf)
            reason = (
                _("the record is cut short: the file ends inside it")
                if end == -1
                else _("the record length in the leader (%(length)s) does not match the record (%(actual)s bytes)")
                % {"length": length, "actual": len(chunk)}
            )
            yield Parsed(position, offset, error=reason, control_number=_control_number_of(chunk))
            continue
        chunk = buf[pos : pos + length]
        pos += length
        try:
            leader, fields, raw = decode_iso2709(chunk)
        except Rejected as exc:
            yield Parsed(position, offset, error=str(exc), control_number=_control_number_of(chunk))
            continue
        yield Parsed(position, offset, leader=leader, fields=fields, raw=raw)


# --- reading MARCXML ----------------------------------------------------------------------------


class _StreamingHandler(XmlHandler):
    """pymarc's MARCXML handler, collecting records (or the reason one is broken) as they end."""

    def __init__(self):
        super().__init__(strict=False)
        self.ready: list[Parsed] = []
        self.position = 0
        self.error: str | None = None
        self.locator = None
        self.line: int | None = None

    def setDocumentLocator(self, locator):
        self.locator = locator

    def startElementNS(self, name, qname, attrs):
        if name[1] == "record":
            self.position += 1
            self.error = None
            self.line = self.locator.getLineNumber() if self.locator else None
        if self.error:
            return
        try:
            if name[1] == "datafield":
                tag = attrs.get((None, "tag"), "")
                if not _VALID_TAG.match(tag or ""):
                    raise Rejected(_("field tag “%(tag)s” is not valid") % {"tag": tag})
                for ind in ("ind1", "ind2"):
                    if len(attrs.get((None, ind), " ")) != 1:
                        raise Rejected(_("field %(tag)s has an indicator that is not one character") % {"tag": tag})
            elif name[1] == "controlfield":
                tag = attrs.get((None, "tag"), "")
                if not _VALID_TAG.match(tag or ""):
                    raise Rejected(_("field tag “%(tag)s” is not valid") % {"tag": tag})
            elif name[1] == "subfield":
                code = attrs.get((None, "code"), "")
                if len(code) != 1 or not code.isascii() or not code.isprintable():
                    raise Rejected(_("a subfield code is not an ASCII letter or digit"))
            super().startElementNS(name, qname, attrs)
        except Rejected as exc:
            self.error = str(exc)
        except Exception as exc:
            self.error = _reason_from_exception(exc)

    def endElementNS(self, name, qname):
        if self.error:
            if name[1] == "record":
                self.ready.append(Parsed(self.position, error=self.error, line=self.line))
                self.error = None
                self._record = None
                self._field = None
            self._text = []
            return
        try:
            if name[1] == "leader" and len("".join(self._text)) != 24:
                raise Rejected(_("the leader is not 24 characters long"))
            super().endElementNS(name, qname)
        except Rejected as exc:
            self.error = str(exc)
        except Exception as exc:
            self.error = _reason_from_exception(exc)
        if self.error and name[1] == "record":
            self.endElementNS(name, qname)

    def process_record(self, record):
        try:
            raw = record.as_marc()
        except Exception as exc:
            self.ready.append(Parsed(self.position, error=_reason_from_exception(exc), line=self.line))
            return
        if len(raw) > 99999:
            self.ready.append(
                Parsed(self.position, error=_("the record is longer than ISO 2709 allows"), line=self.line)
            )
            return
        self.ready.append(
            Parsed(self.position, leader=str(record.leader), fields=record.fields, raw=raw, line=self.line)
        )


def _xml_problem(stream: BinaryIO) -> str | None:
    """Check that the whole file is well-formed XML before anything is imported from it."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        while data := stream.read(READ_SIZE):
            parser.Parse(data, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        return _("the file is not well-formed XML (line %(line)s, column %(column)s: %(error)s)") % {
            "line": exc.lineno,
            "column": exc.offset,
            "error": xml.parsers.expat.ErrorString(exc.code),
        }
    finally:
        stream.seek(0)
    return None


def iter_marcxml(stream: BinaryIO) -> Iterator[Parsed]:
    """Read MARCXML records one at a time (a streaming SAX parse); a broken file yields one error at position 0."""
    problem = _xml_problem(stream)
    if problem:
        yield Parsed(0, error=problem)
        return
    handler = _StreamingHandler()
    parser = make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    parser.setContentHandler(handler)
    while data := stream.read(READ_SIZE):
        parser.feed(data)
        yield from handler.ready
        handler.ready = []
    parser.close()
    yield from handler.ready
    if handler.position == 0:
        yield Parsed(0, error=_("the file has no MARCXML records"))


def detect_format(stream: BinaryIO) -> str | None:
    """``iso2709`` or ``marcxml`` from the first bytes of the file (never from its name), or None."""
    head = stream.read(65536)
    stream.seek(0)
    start = head.lstrip(b"\xef\xbb\xbf \r\n\t\x00")
    if len(start) >= 5 and start[:5].isdigit():
        return "iso2709"
    if start.startswith(b"<") and _XML_START.search(head):
        return "marcxml"
    return None


# --- the report ---------------------------------------------------------------------------------


class _Report:
    """The TSV file of rejected records, opened on the first rejection."""

    HEADER = "file\tposition\tbyte_offset\tcontrol_number\treason\n"

    def __init__(self, path: Path | None, label: str):
        self.path = Path(path) if path else None
        self.label = label
        self.file = None

    def _open(self):
        if self.path is None:
            folder = Path(settings.PUSTAKA_REPORTS_DIR)
            folder.mkdir(parents=True, exist_ok=True)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            self.path = folder / f"marc-import-{stamp}.tsv"
            n = 2
            while self.path.exists():
                self.path = folder / f"marc-import-{stamp}-{n}.tsv"
                n += 1
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists() or self.path.stat().st_size == 0
        self.file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (closed in close())
        if new:
            self.file.write(self.HEADER)

    def add(self, position: int, offset, control_number: str, reason: str) -> None:
        if self.file is None:
            self._open()
        cells = [self.label, str(position), "" if offset is None else str(offset), control_number, reason]
        self.file.write("\t".join(" ".join(str(c).split()) for c in cells) + "\n")

    def close(self) -> Path | None:
        if self.file is not None:
            self.file.close()
            return self.path
        return None


# --- writing ------------------------------------------------------------------------------------


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


# --- the action ---------------------------------------------------------------------------------


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
    ``processes``: 2 reads and maps in a second (forked) process while this one writes; None lets the
    importer choose (2 for files of 8 MB or more on a machine with two cores, in a process with one
    thread: the command line uses this); 1 (default, what pages and the API use) never forks.
    """
    require(actor, "catalog.import_marc")
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

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

The parts: ``parsed`` (what a record read from the file is, a rejection, the result), ``iso2709`` and
``marcxml`` (reading), ``report`` (the TSV of rejections), ``writer`` (the batches) and ``pipeline``
(:func:`import_marc`, which ties them together).
"""

from .iso2709 import _decode_utf8, _read_fields, decode_iso2709, iter_iso2709
from .marcxml import detect_format, iter_marcxml
from .parsed import FORMATS, ImportResult, Parsed, Rejected
from .pipeline import PIPELINE_MIN_BYTES, _use_processes, import_marc

__all__ = [
    "FORMATS",
    "PIPELINE_MIN_BYTES",
    "ImportResult",
    "Parsed",
    "Rejected",
    "_decode_utf8",
    "_read_fields",
    "_use_processes",
    "decode_iso2709",
    "detect_format",
    "import_marc",
    "iter_iso2709",
    "iter_marcxml",
]

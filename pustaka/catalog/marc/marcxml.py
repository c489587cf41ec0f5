"""MARCXML out, and the export of many records as ISO 2709 or MARCXML (UTF-8)."""

from collections.abc import Iterable
from typing import BinaryIO

import pymarc

from pustaka.core.permissions import require
from pustaka.core.xml import xml_attr, xml_text

from .extras import attach_export_extras, extras_of
from .tables import MARCXML_NS, PUSTAKA_ID_SOURCE, PUSTAKA_ID_TAG
from .writing import _rule, record_to_marc


def marcxml(rec: pymarc.Record) -> str:
    """One ``<record>`` in the MARC 21 slim schema (no namespace declaration: put it in a ``<collection>``)."""
    out = ["<record>", f"<leader>{xml_text(str(rec.leader))}</leader>"]
    for field in rec.fields:
        if field.control_field:
            out.append(f"<controlfield tag={xml_attr(field.tag)}>{xml_text(field.data)}</controlfield>")
        else:
            out.append(
                f"<datafield tag={xml_attr(field.tag)} ind1={xml_attr(field.indicator1)}"
                f" ind2={xml_attr(field.indicator2)}>"
            )
            for code, value in field.subfields:
                out.append(f"<subfield code={xml_attr(code)}>{xml_text(value)}</subfield>")
            out.append("</datafield>")
    out.append("</record>")
    return "".join(out)


def record_marcxml(record, *, call_number_rule: str | None = None) -> str:
    """``marcxml(record_to_marc(record))``, straight from the stored bytes when the record is unedited.

    SRU and OAI-PMH send many records per request; an imported record nobody has edited since is written
    from its ISO 2709 bytes without building a pymarc record (same output, several times faster).
    """
    if record.marc and not record.marc_edited and not extras_of(record):
        fast = _stored_marcxml(bytes(record.marc), record.pk)
        if fast is not None:
            return fast
    return marcxml(record_to_marc(record, call_number_rule=call_number_rule))


def _stored_marcxml(data: bytes, pk: int) -> str | None:
    """MARCXML of a stored UTF-8 ISO 2709 record plus our ``999``; None when anything is unusual."""
    if len(data) < 25 or data[-1:] != b"\x1d":
        return None
    try:
        leader = data[:24].decode("ascii")
        base = int(data[12:17])
    except (UnicodeDecodeError, ValueError):
        return None
    directory = data[24 : base - 1]
    if len(directory) % 12 or data[base - 1 : base] != b"\x1e":
        return None
    text, attr = xml_text, xml_attr
    out = ["<record>", f"<leader>{text(leader[:9] + 'a' + leader[10:])}</leader>"]
    for i in range(0, len(directory), 12):
        entry = directory[i : i + 12]
        try:
            tag = entry[:3].decode("ascii")
            length, start = int(entry[3:7]), int(entry[7:12])
        except (UnicodeDecodeError, ValueError):
            return None
        raw = data[base + start : base + start + length]
        if raw[-1:] != b"\x1e":
            return None
        value = raw[:-1].decode("utf-8", "replace")
        if tag < "010" and tag.isdigit():
            out.append(f"<controlfield tag={attr(tag)}>{text(value)}</controlfield>")
            continue
        parts = value.split("\x1f")
        if len(parts[0]) != 2:
            return None
        if tag == PUSTAKA_ID_TAG and any(p[:1] == "2" and p[1:] == PUSTAKA_ID_SOURCE for p in parts[1:]):
            continue
        if tag > PUSTAKA_ID_TAG or not tag.isdigit():
            return None  # pymarc would put our 999 before this field; leave it to the general path
        out.append(f"<datafield tag={attr(tag)} ind1={attr(parts[0][0])} ind2={attr(parts[0][1])}>")
        for part in parts[1:]:
            if not part:
                return None
            out.append(f"<subfield code={attr(part[0])}>{text(part[1:])}</subfield>")
        out.append("</datafield>")
    out.append(
        f'<datafield tag="{PUSTAKA_ID_TAG}" ind1=" " ind2=" "><subfield code="c">{pk}</subfield>'
        f'<subfield code="2">{PUSTAKA_ID_SOURCE}</subfield></datafield></record>'
    )
    return "".join(out)


def _batches(records: Iterable, size: int):
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_marc(records: Iterable, out: BinaryIO, *, format: str = "iso2709", base_url: str | None = None) -> int:
    """Write ``records`` (Record objects) to ``out`` as ISO 2709 or a MARCXML collection; return the count."""
    rule = _rule()
    count = 0
    if format == "marcxml":
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{MARCXML_NS}">\n'.encode())
    for batch in _batches(records, 500):
        attach_export_extras(batch, base_url=base_url)  # the digital resources of 500 records at once
        for record in batch:
            if format == "marcxml":
                out.write(record_marcxml(record, call_number_rule=rule).encode("utf-8") + b"\n")
            else:
                out.write(record_to_marc(record, call_number_rule=rule).as_marc())
            count += 1
    if format == "marcxml":
        out.write(b"</collection>\n")
    return count


def export_records(*, out: BinaryIO, actor, format: str = "iso2709", queryset=None) -> int:
    """Export records (default: all, in id order) to ``out`` as UTF-8 MARC 21; needs ``catalog.export_marc``."""
    from ..models import Record

    require(actor, "catalog.export_marc")
    if format not in ("iso2709", "marcxml"):
        raise ValueError(format)
    queryset = Record.objects.order_by("id") if queryset is None else queryset
    return write_marc(queryset.iterator(chunk_size=2000), out, format=format)

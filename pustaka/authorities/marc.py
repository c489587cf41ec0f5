"""MARC 21 authority format in and out: 100/110/150 headings, 400/410/450 see-from, 500/510/550 see-also.

Reading gives one :class:`Entry` per authority record (or the reason it is rejected); writing turns an
:class:`~pustaka.authorities.models.Authority` into a ``pymarc.Record`` (ISO 2709 and MARCXML). The
control subfield ``$w`` of a 5xx says ``g`` (broader) or ``h`` (narrower); without it the term is related.
"""

import io
from dataclasses import dataclass, field

import pymarc
from django.utils import timezone
from django.utils.translation import gettext as _
from pymarc import Field, Indicators, Subfield

from pustaka.catalog.marc.marcxml import marcxml

from .choices import AuthorityKind, Relation
from .headings import SUBDIVISION, clean_heading

KIND_OF_TAG = {"00": AuthorityKind.PERSONAL, "10": AuthorityKind.CORPORATE, "50": AuthorityKind.TOPICAL}
TAG_OF_KIND = {kind: tag for tag, kind in KIND_OF_TAG.items()}
SOURCE_CODES = {"a": "LCSH", "b": "LC children's", "c": "MeSH", "d": "NAL", "k": "CSH", "n": "", "z": ""}
RELATION_OF_W = {"g": Relation.BROADER, "h": Relation.NARROWER}
W_OF_RELATION = {relation: w for w, relation in RELATION_OF_W.items()}
MARCXML_NS = "http://www.loc.gov/MARC21/slim"


@dataclass
class Entry:
    """One authority as read from a file (a MARC record or a line of a subject list)."""

    kind: str
    heading: str
    where: str  # "record 3", "line 12": for the report
    dates: str = ""
    source: str = ""
    control_number: str = ""
    notes: str = ""
    variants: list[str] = field(default_factory=list)
    see_also: list[tuple[str, str]] = field(default_factory=list)  # (relation, heading)


@dataclass
class Rejected:
    where: str
    reason: str


def _name(field_: Field) -> tuple[str, str]:
    """(heading, dates) of an x00/x10/x50 field: names keep $a$b$c$q, subjects join $x$y$z$v with ``--``."""
    tag = field_.tag[1:]
    if tag == "50":
        main = " ".join(field_.get_subfields("a", "b"))
        parts = [main, *field_.get_subfields("x", "y", "z", "v")]
        return SUBDIVISION.join(clean_heading(p) for p in parts if clean_heading(p)), ""
    if tag == "10":
        return clean_heading(". ".join(clean_heading(p) for p in field_.get_subfields("a", "b"))), ""
    name = " ".join(field_.get_subfields("a", "b", "c", "q"))
    dates = " ".join(field_.get_subfields("d"))
    return clean_heading(name), clean_heading(dates).rstrip("-,").strip() if dates.strip() != "-" else ""


def entry_from_marc(rec: pymarc.Record, where: str) -> Entry | Rejected:
    """The authority a MARC record describes, or why it cannot be imported."""
    leader = str(rec.leader)
    if len(leader) < 7 or leader[6] != "z":
        return Rejected(
            where,
            _("it is not an authority record (leader position 06 is “%(code)s”, not “z”)") % {"code": leader[6:7]},
        )
    headings = [f for f in rec.fields if f.tag.startswith("1") and not f.control_field]
    if not headings:
        return Rejected(where, _("it has no heading (100, 110 or 150)"))
    main = headings[0]
    kind = KIND_OF_TAG.get(main.tag[1:])
    if kind is None:
        return Rejected(
            where,
            _("its heading %(tag)s is not a personal name, corporate name or topical subject") % {"tag": main.tag},
        )
    heading, dates = _name(main)
    if not heading:
        return Rejected(where, _("its heading %(tag)s is empty") % {"tag": main.tag})
    control = rec.get("001")
    f008 = rec.get("008")
    f040 = rec.get("040")
    source = ""
    if f040 is not None and f040.get("f"):
        source = f040.get("f").strip()
    elif f008 is not None and len(f008.data) > 11:
        source = SOURCE_CODES.get(f008.data[11], "")
    entry = Entry(
        kind=kind,
        heading=heading[:500],
        dates=dates[:100],
        where=where,
        source=source[:60],
        control_number=(control.data.strip() if control is not None else "")[:64],
    )
    for f in rec.fields:
        if f.control_field or len(f.tag) != 3 or f.tag[1:] not in KIND_OF_TAG:
            continue
        text, _dates = _name(f)
        if not text:
            continue
        if f.tag[0] == "4":
            entry.variants.append(text[:500])
        elif f.tag[0] == "5":
            entry.see_also.append((RELATION_OF_W.get((f.get("w") or " ")[0], Relation.RELATED), text[:500]))
    notes = [" ".join(f.get_subfields("a", "b")).strip() for f in rec.get_fields("670", "680")]
    entry.notes = "\n".join(n for n in notes if n)
    return entry


def read_file(data: bytes) -> tuple[list[Entry], list[Rejected]]:
    """Every authority in an ISO 2709 or MARCXML file, and the records that could not be read."""
    head = data.lstrip()[:200]
    if head.startswith(b"<"):
        return _read_marcxml(data)
    entries, rejected = [], []
    # Records are framed by their terminator, not by the length in the leader, so one broken record
    # cannot swallow the records after it.
    chunks = [c for c in data.split(b"\x1d") if c.strip()]
    for position, chunk in enumerate(chunks, 1):
        where = _("record %(number)s") % {"number": position}
        try:
            rec = pymarc.Record(
                data=chunk.lstrip() + b"\x1d", to_unicode=True, force_utf8=False, utf8_handling="strict"
            )
        except Exception as exc:  # noqa: BLE001  (pymarc raises many kinds; each is a reason in the report)
            reason = _("it could not be read (%(error)s)") % {"error": f"{type(exc).__name__}: {exc}"[:200]}
            rejected.append(Rejected(where, reason))
            continue
        found = entry_from_marc(rec, where)
        (rejected if isinstance(found, Rejected) else entries).append(found)
    return entries, rejected


def _read_marcxml(data: bytes) -> tuple[list[Entry], list[Rejected]]:
    from xml.sax import SAXParseException

    from .errors import UnreadableFile

    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise UnreadableFile(reason=_("MARCXML with a document type or entities is not accepted"), field="file")
    try:
        records = pymarc.parse_xml_to_array(io.BytesIO(data), strict=False)
    except (SAXParseException, ValueError) as exc:
        raise UnreadableFile(
            reason=_("it is not well-formed XML (%(error)s)") % {"error": str(exc)[:200]}, field="file"
        ) from exc
    entries, rejected = [], []
    for position, rec in enumerate(records, 1):
        where = _("record %(number)s") % {"number": position}
        found = entry_from_marc(rec, where)
        (rejected if isinstance(found, Rejected) else entries).append(found)
    return entries, rejected


def _heading_field(tag: str, kind: str, heading: str, dates: str = "", w: str = "") -> Field:
    subfields = [Subfield("w", w)] if w else []
    if kind == AuthorityKind.TOPICAL:
        main, *subdivisions = heading.split(SUBDIVISION)
        subfields += [Subfield("a", main), *(Subfield("x", s) for s in subdivisions)]
        indicators = Indicators(" ", " ")
    elif kind == AuthorityKind.CORPORATE:
        main, *subordinate = heading.split(". ")
        subfields += [Subfield("a", main), *(Subfield("b", s) for s in subordinate)]
        indicators = Indicators("2", " ")
    else:
        subfields += [Subfield("a", heading + ("," if dates else ""))]
        if dates:
            subfields.append(Subfield("d", dates))
        indicators = Indicators("1" if "," in heading else "0", " ")
    return Field(tag=tag, indicators=indicators, subfields=subfields)


def authority_to_marc(authority, variants=None, see_also=None) -> pymarc.Record:
    """A MARC 21 authority record (UTF-8) for ``authority``, its variants (4xx) and see-also terms (5xx)."""
    rec = pymarc.Record(force_utf8=True, leader="     nz  a22     n  4500")
    suffix = TAG_OF_KIND[AuthorityKind(authority.kind)]
    rec.add_field(pymarc.Field(tag="001", data=authority.control_number or f"pustaka-auth-{authority.pk}"))
    rec.add_field(pymarc.Field(tag="005", data=(authority.updated_at or timezone.now()).strftime("%Y%m%d%H%M%S.0")))
    system = "a" if authority.source.upper() == "LCSH" else ("n" if authority.kind != AuthorityKind.TOPICAL else "z")
    entered = (authority.created_at or timezone.now()).strftime("%y%m%d")
    rec.add_field(
        pymarc.Field(tag="008", data=(entered + "n| a" + system + "|||||||||||||||||||||||||| d").ljust(40, "|")[:40])
    )
    f040 = [Subfield("a", "Pustaka"), Subfield("b", "ind"), Subfield("c", "Pustaka")]
    if authority.source:
        f040.append(Subfield("f", authority.source))
    rec.add_field(Field(tag="040", indicators=Indicators(" ", " "), subfields=f040))
    rec.add_field(_heading_field("1" + suffix, authority.kind, authority.heading, authority.dates))
    for variant in variants if variants is not None else authority.variants.all():
        rec.add_field(_heading_field("4" + suffix, authority.kind, variant.heading))
    for term in see_also if see_also is not None else authority.see_also.all():
        rec.add_field(
            _heading_field("5" + suffix, authority.kind, term.heading, w=W_OF_RELATION.get(term.relation, ""))
        )
    for line in [n.strip() for n in authority.notes.splitlines() if n.strip()]:
        rec.add_field(Field(tag="670", indicators=Indicators(" ", " "), subfields=[Subfield("a", line)]))
    return rec


def write_iso2709(authorities) -> bytes:
    """The authorities as one ISO 2709 file."""
    return b"".join(authority_to_marc(a, a.variants.all(), a.see_also.all()).as_marc() for a in authorities)


def write_marcxml(authorities) -> str:
    """The authorities as one MARCXML collection."""
    body = "".join(marcxml(authority_to_marc(a, a.variants.all(), a.see_also.all())) for a in authorities)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{MARCXML_NS}">{body}</collection>\n'

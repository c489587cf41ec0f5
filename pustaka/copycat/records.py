"""Records from remote catalogues, read the way the catalogue's MARC importer reads a file.

A Z39.50 server sends ISO 2709 (MARC-8 or UTF-8); an SRU server sends MARCXML. Both become a
:class:`RemoteRecord`: the record as UTF-8 ISO 2709 (what the catalogue stores), the columns
:func:`pustaka.catalog.marc.reading.map_fields` gives, and the cover link the record carries (an
856 whose link text or URL says it is a cover, or an SRU extra element named like one). A record
that cannot be read comes back with ``error`` set and is listed with its reason, never imported.

The record travels from the results page to the import in a signed token (:func:`sign`): the import
accepts only what this server handed out, unaltered, for a day.
"""

import base64
import io
import re
from dataclasses import dataclass, field

import pymarc
from django.core import signing
from django.utils.translation import gettext as _

from pustaka.catalog.identifiers import try_isbn
from pustaka.catalog.importer.iso2709 import _reason_from_exception, decode_iso2709
from pustaka.catalog.importer.parsed import Rejected
from pustaka.catalog.marc.reading import map_fields

from .errors import BrokenRecord, ResultNotUsable

SALT = "pustaka.copycat.result"
TOKEN_MAX_AGE = 24 * 3600
_IMAGE = re.compile(r"\.(jpe?g|png|gif|webp)(\?|$)", re.IGNORECASE)


@dataclass
class RemoteRecord:
    """One record a remote catalogue found: readable (``columns``) or not (``error``)."""

    target_id: int | None
    target_name: str
    position: int
    raw: bytes | None = None
    columns: dict = field(default_factory=dict)
    cover_url: str = ""
    error: str = ""
    duplicates: list = field(default_factory=list)  # local records that look the same (queries.mark_duplicates)

    @property
    def title(self) -> str:
        return self.columns.get("title", "")

    @property
    def author(self) -> str:
        contributors = self.columns.get("contributors") or []
        return contributors[0]["name"] if contributors else self.columns.get("responsibility", "")

    @property
    def isbn(self) -> str:
        return self.columns.get("isbn", "")

    @property
    def control_number(self) -> str:
        return self.columns.get("control_number", "")

    @property
    def token(self) -> str:
        """The signed token the import form and the API send back (empty for a broken record)."""
        return sign(self) if self.raw else ""

    def as_dict(self) -> dict:
        """The record as the API shows it."""
        c = self.columns
        return {
            "target": self.target_name,
            "position": self.position,
            "title": c.get("title", ""),
            "subtitle": c.get("subtitle", ""),
            "author": self.author,
            "publisher": c.get("publisher", ""),
            "year": c.get("year"),
            "edition": c.get("edition", ""),
            "isbn": c.get("isbn", ""),
            "isbns": c.get("isbns", []),
            "control_number": c.get("control_number", ""),
            "call_number": c.get("call_number", ""),
            "cover_url": self.cover_url,
            "error": self.error,
            "token": self.token,
            "duplicates": [{"id": r.pk, "title": r.title, "isbn": r.isbn, "year": r.year} for r in self.duplicates],
        }


def from_iso2709(
    chunk: bytes | None, *, target, position: int, cover_url: str = "", call_number_rule: str | None = None
) -> RemoteRecord:
    """A record as a Z39.50 server sent it (MARC-8 or UTF-8 ISO 2709).

    ``call_number_rule`` given, nothing reads the database (a search thread passes the library's)."""
    entry = RemoteRecord(target_id=getattr(target, "pk", None), target_name=str(target), position=position)
    if not chunk:
        entry.error = _("the catalogue sent no record at this position")
        return entry
    try:
        leader, fields, raw = decode_iso2709(chunk)
        columns = _columns(leader, fields, call_number_rule)
    except Rejected as exc:
        entry.error = str(exc)
        return entry
    except Exception as exc:  # a record odd enough to break the mapping is listed, not fatal
        entry.error = _reason_from_exception(exc)
        return entry
    entry.raw, entry.columns = raw, columns
    entry.cover_url = cover_url or cover_link(raw)
    return entry


def from_marcxml(
    xml: bytes, *, target, position: int, cover_url: str = "", call_number_rule: str | None = None
) -> RemoteRecord:
    """A record as an SRU server sent it (one MARCXML ``record`` element, serialised)."""
    entry = RemoteRecord(target_id=getattr(target, "pk", None), target_name=str(target), position=position)
    try:
        records = pymarc.parse_xml_to_array(io.BytesIO(xml), strict=False)
        if not records or records[0] is None:
            raise Rejected(_("the record is empty"))
        rec = records[0]
        rec.leader = pymarc.Leader(str(rec.leader)[:9] + "a" + str(rec.leader)[10:]) if rec.leader else rec.leader
        leader, fields, raw = decode_iso2709(rec.as_marc())
        columns = _columns(leader, fields, call_number_rule)
    except Rejected as exc:
        entry.error = str(exc)
        return entry
    except Exception as exc:
        entry.error = _reason_from_exception(exc)
        return entry
    entry.raw, entry.columns = raw, columns
    entry.cover_url = cover_url or cover_link(raw)
    return entry


def broken(*, target, position: int, reason: str) -> RemoteRecord:
    """A place in the results where the catalogue sent something that is not a record."""
    return RemoteRecord(target_id=getattr(target, "pk", None), target_name=str(target), position=position, error=reason)


def _columns(leader: str, fields, call_number_rule: str | None = None) -> dict:
    if not any(f.tag == "245" for f in fields):
        raise Rejected(_("the record has no title (field 245)"))
    columns = map_fields(leader, fields, call_number_rule=call_number_rule)
    if not columns["title"]:
        raise Rejected(_("the record has no title (field 245 is empty)"))
    return columns


def cover_link(raw: bytes) -> str:
    """The first 856 link that says it is a cover image ($3 or $z mentions a cover, or $u is an image)."""
    if b"856" not in raw[24:]:
        return ""
    try:
        fields = pymarc.Record(raw, to_unicode=True, force_utf8=True).get_fields("856")
    except Exception:
        return ""
    for entry in fields:
        links = [v.strip() for v in entry.get_subfields("u") if v and v.strip()]
        words = " ".join(entry.get_subfields("3", "y", "z")).lower()
        for link in links:
            if not link.lower().startswith(("http://", "https://")):
                continue
            if "cover" in words or "sampul" in words or _IMAGE.search(link):
                return link[:500]
    return ""


def isbn_forms(value: str) -> list[str]:
    """An ISBN as ISBN-13 and, when it has one, ISBN-10 (remote catalogues index either)."""
    from stdnum import isbn as stdnum_isbn

    thirteen = try_isbn(value)
    if not thirteen:
        return []
    forms = [thirteen]
    try:
        ten = stdnum_isbn.to_isbn10(thirteen)
    except Exception:
        ten = ""
    if ten and ten not in forms:
        forms.append(ten)
    return forms


def sign(entry: RemoteRecord) -> str:
    """A token holding the record, its catalogue and its cover link, signed with the server's key."""
    payload = {
        "t": entry.target_id,
        "n": entry.target_name,
        "m": base64.b64encode(entry.raw).decode("ascii"),
        "c": entry.cover_url,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def unsign(token: str) -> RemoteRecord:
    """The record a token holds; :class:`ResultNotUsable` when it is altered, expired or not ours."""
    try:
        payload = signing.loads(str(token or ""), salt=SALT, max_age=TOKEN_MAX_AGE)
        raw = base64.b64decode(payload["m"])
        target_id, name, cover = payload.get("t"), str(payload["n"]), str(payload.get("c") or "")
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ResultNotUsable(field="result") from None

    class _Named:
        pk = target_id

        def __str__(self):
            return name

    entry = from_iso2709(raw, target=_Named(), position=1, cover_url=cover)
    if entry.error:
        raise BrokenRecord(field="result", reason=entry.error)
    return entry

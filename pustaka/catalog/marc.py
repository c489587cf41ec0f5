"""MARC 21 in and out: MARC to record columns, a record back to MARC 21, and Dublin Core.

- :func:`fields_from_marc` maps a ``pymarc.Record`` to the columns of :class:`~pustaka.catalog.models.Record`.
- :func:`record_to_marc` gives the MARC 21 record to export: the stored original with every field kept (the
  descriptive fields a cataloguer changed are rewritten from the columns), or a record built from the columns.
  Pustaka's own id always goes into ``999 $c`` (with ``$2 pustaka``).
- :func:`record_to_dc` / :func:`dc_xml`: simple Dublin Core (``oai_dc``) for OAI-PMH and SRU.
- :func:`export_records` streams records as ISO 2709 or MARCXML (UTF-8).
- :func:`marc8_to_unicode_strict`: MARC-8 to Unicode that refuses bad input instead of guessing.
"""

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

import pymarc
from pymarc import Field, Indicators, Subfield, marc8_mapping

from pustaka.core.permissions import require

from .choices import ClassificationScheme, ContributorRole, MaterialType
from .identifiers import try_isbn, try_issn

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
PUSTAKA_ID_TAG = "999"
PUSTAKA_ID_SOURCE = "pustaka"

# Columns and their max_length, so imported text always fits (PostgreSQL refuses longer values).
MAX_LENGTHS = {
    "title": 1000,
    "subtitle": 1000,
    "responsibility": 1000,
    "publisher": 500,
    "place": 300,
    "edition": 200,
    "extent": 500,
    "series": 500,
    "class_number": 100,
    "call_number": 200,
    "control_number": 64,
    "control_number_source": 32,
}
CONTRIBUTOR_TAGS = ("100", "110", "111", "700", "710", "711")
SUBJECT_TAGS = ("600", "610", "611", "630", "647", "648", "650", "651", "653", "654", "655", "656", "657", "658")
_CONTRIBUTOR_TAG_SET = frozenset(CONTRIBUTOR_TAGS)
_SUBJECT_TAG_SET = frozenset(SUBJECT_TAGS)
SERIES_TAGS = ("490", "440", "830")
CALL_NUMBER_TAGS = ("090", "092", "099")
# 5xx notes worth showing to a reader (520 is the summary; 588 and the like are for cataloguers).
NOTE_TAGS = (
    "500",
    "501",
    "502",
    "504",
    "505",
    "508",
    "511",
    "518",
    "521",
    "530",
    "533",
    "534",
    "538",
    "546",
    "550",
    "586",
)
# Every tag fields_from_marc reads (the importer decodes only these; the rest stay in the stored original).
MAPPED_TAGS = frozenset(
    [
        "001",
        "003",
        "008",
        "020",
        "022",
        "041",
        "050",
        "080",
        "082",
        "245",
        "250",
        "260",
        "264",
        "300",
        "520",
        *CALL_NUMBER_TAGS,
        *CONTRIBUTOR_TAGS,
        *SUBJECT_TAGS,
        *SERIES_TAGS,
        *NOTE_TAGS,
    ]
)
CONTROL_SUBFIELDS = frozenset("0123456789")
_SUBDIVISIONS = frozenset("vxyz")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_LANGUAGE = re.compile(r"^[a-z]{3}$")
# Words that keep their final full stop ("24 cm.", "2nd ed.", "Co.").
_ABBREVIATIONS = """
abr al approx assn b bd bros c ca cent cf cm co comp corp d dept diss dr ed eds edn enl et etc fig figs ft govt
hrsg ill illus in inc incl jr jt lb ltd m mm mr mrs ms mt n no nos num oz p pp pref prof pseud pt pts pub publ
repr rev s sec ser sr st suppl tr trans transl univ v vol vols viz vs wt yr hlm jil cet terj
fol col port ports facsim facsims diagr diagrs front pl pls geneal tab tabs fasc
"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS.split())

# Relator codes ($4) and terms ($e, $j) to the roles a library uses; terms in English and Indonesian.
RELATOR_CODES = {
    "aut": ContributorRole.AUTHOR,
    "cre": ContributorRole.AUTHOR,
    "aus": ContributorRole.AUTHOR,
    "lyr": ContributorRole.AUTHOR,
    "lbt": ContributorRole.AUTHOR,
    "edt": ContributorRole.EDITOR,
    "edc": ContributorRole.EDITOR,
    "trl": ContributorRole.TRANSLATOR,
    "ill": ContributorRole.ILLUSTRATOR,
    "pht": ContributorRole.ILLUSTRATOR,
    "art": ContributorRole.ILLUSTRATOR,
    "com": ContributorRole.COMPILER,
    "ctb": ContributorRole.CONTRIBUTOR,
    "prf": ContributorRole.PERFORMER,
    "nrt": ContributorRole.PERFORMER,
    "act": ContributorRole.PERFORMER,
    "sng": ContributorRole.PERFORMER,
    "itr": ContributorRole.PERFORMER,
    "cnd": ContributorRole.PERFORMER,
    "cmp": ContributorRole.COMPOSER,
    "drt": ContributorRole.DIRECTOR,
    "fmd": ContributorRole.DIRECTOR,
    "pbl": ContributorRole.PUBLISHER,
    "isb": ContributorRole.CORPORATE,
}
RELATOR_TERMS = {
    "author": ContributorRole.AUTHOR,
    "joint author": ContributorRole.AUTHOR,
    "writer": ContributorRole.AUTHOR,
    "creator": ContributorRole.AUTHOR,
    "lyricist": ContributorRole.AUTHOR,
    "librettist": ContributorRole.AUTHOR,
    "screenwriter": ContributorRole.AUTHOR,
    "pengarang": ContributorRole.AUTHOR,
    "penulis": ContributorRole.AUTHOR,
    "editor": ContributorRole.EDITOR,
    "ed": ContributorRole.EDITOR,
    "eds": ContributorRole.EDITOR,
    "editor of compilation": ContributorRole.EDITOR,
    "penyunting": ContributorRole.EDITOR,
    "translator": ContributorRole.TRANSLATOR,
    "tr": ContributorRole.TRANSLATOR,
    "trans": ContributorRole.TRANSLATOR,
    "penerjemah": ContributorRole.TRANSLATOR,
    "alih bahasa": ContributorRole.TRANSLATOR,
    "illustrator": ContributorRole.ILLUSTRATOR,
    "ill": ContributorRole.ILLUSTRATOR,
    "photographer": ContributorRole.ILLUSTRATOR,
    "artist": ContributorRole.ILLUSTRATOR,
    "ilustrator": ContributorRole.ILLUSTRATOR,
    "compiler": ContributorRole.COMPILER,
    "comp": ContributorRole.COMPILER,
    "penyusun": ContributorRole.COMPILER,
    "contributor": ContributorRole.CONTRIBUTOR,
    "performer": ContributorRole.PERFORMER,
    "narrator": ContributorRole.PERFORMER,
    "actor": ContributorRole.PERFORMER,
    "singer": ContributorRole.PERFORMER,
    "instrumentalist": ContributorRole.PERFORMER,
    "conductor": ContributorRole.PERFORMER,
    "composer": ContributorRole.COMPOSER,
    "director": ContributorRole.DIRECTOR,
    "film director": ContributorRole.DIRECTOR,
    "publisher": ContributorRole.PUBLISHER,
    "issuing body": ContributorRole.CORPORATE,
}
# The English relator term written into $e on export (authors of a 1xx get none).
ROLE_TERMS = {
    ContributorRole.EDITOR: "editor",
    ContributorRole.TRANSLATOR: "translator",
    ContributorRole.ILLUSTRATOR: "illustrator",
    ContributorRole.COMPILER: "compiler",
    ContributorRole.CONTRIBUTOR: "contributor",
    ContributorRole.PERFORMER: "performer",
    ContributorRole.COMPOSER: "composer",
    ContributorRole.DIRECTOR: "director",
    ContributorRole.PUBLISHER: "publisher",
}
# Material type to leader/06-07 (type of record, bibliographic level) for records built here.
LEADER_TYPES = {
    MaterialType.BOOK: "am",
    MaterialType.EBOOK: "am",
    MaterialType.MAGAZINE: "as",
    MaterialType.NEWSPAPER: "as",
    MaterialType.EJOURNAL: "as",
    MaterialType.DATABASE: "ai",
    MaterialType.SOFTWARE: "mm",
    MaterialType.AUDIO: "jm",
    MaterialType.VIDEO: "gm",
    MaterialType.MAP: "em",
    MaterialType.SCORE: "cm",
    MaterialType.OTHER: "rm",
}
DCMI_TYPES = {
    MaterialType.BOOK: "Text",
    MaterialType.EBOOK: "Text",
    MaterialType.MAGAZINE: "Text",
    MaterialType.NEWSPAPER: "Text",
    MaterialType.EJOURNAL: "Text",
    MaterialType.SCORE: "Text",
    MaterialType.DATABASE: "Dataset",
    MaterialType.SOFTWARE: "Software",
    MaterialType.AUDIO: "Sound",
    MaterialType.VIDEO: "MovingImage",
    MaterialType.MAP: "StillImage",
    MaterialType.OTHER: "PhysicalObject",
}


# --- text helpers -------------------------------------------------------------------------------


def clean_text(value: str | None) -> str:
    """Unicode NFC, no control characters, no surrounding spaces."""
    if not value:
        return ""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    if not value.isprintable() and _CONTROL_CHARS.search(value):
        value = _CONTROL_CHARS.sub("", value)
    return value.strip()


_ISBD_END = "/:;,="


def strip_isbd(value: str | None) -> str:
    """Remove the ISBD punctuation MARC carries at the end of a subfield.

    ``"Aristocrats of color :"`` → ``"Aristocrats of color"``; ``"Willard B. Gatewood."`` →
    ``"Willard B. Gatewood"``; a final full stop that ends an abbreviation or an initial stays
    (``"24 cm."``, ``"2nd ed."``, ``"Gatewood, Willard B."``).
    """
    value = clean_text(value)
    while value and value[-1] in _ISBD_END:
        value = value[:-1].rstrip()
    if value.endswith(".") and not value.endswith(".."):
        word = value[:-1].rsplit(None, 1)[-1] if value[:-1].strip() else ""
        word = word.lstrip("([")
        if not (len(word) == 1 or "." in word or word.lower() in ABBREVIATIONS):
            value = value[:-1].rstrip()
            while value and value[-1] in _ISBD_END:
                value = value[:-1].rstrip()
    return value


def fit(value: str, max_length: int) -> str:
    """Shorten ``value`` to ``max_length`` characters without cutting a letter from its accents."""
    if len(value) <= max_length:
        return value
    cut = value[: max_length - 1]
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _join(field: Field, codes: str, sep: str = " ") -> str:
    return sep.join(value for code, value in field.subfields if code in codes and value and value.strip())


# --- MARC to columns ----------------------------------------------------------------------------


def _by_tag(rec: pymarc.Record) -> dict[str, list[Field]]:
    fields: dict[str, list[Field]] = {}
    for field in rec.fields:
        fields.setdefault(field.tag, []).append(field)
    return fields


def fields_from_marc(rec: pymarc.Record, *, call_number_rule: str | None = None) -> dict:
    """Map a MARC 21 bibliographic record to :class:`Record` column values (text in NFC, ISBD punctuation off).

    ``call_number_rule`` (default: the library's) is used to suggest a call number when the record
    has no local one (090/092/099). Every text fits its column.
    """
    return map_fields(str(rec.leader), rec.fields, call_number_rule=call_number_rule)


def map_fields(leader: str, fields: list[Field], *, call_number_rule: str | None = None) -> dict:
    """:func:`fields_from_marc` for a leader and a list of fields (only :data:`MAPPED_TAGS` are read).

    The importer calls this with just the fields it decoded, skipping the others.
    """
    tags: dict[str, list[Field]] = {}
    for field in fields:
        tags.setdefault(field.tag, []).append(field)
    f008 = tags["008"][0].data if "008" in tags and tags["008"][0].data else ""
    data: dict = {}

    data["control_number"] = fit(clean_text(tags["001"][0].data) if "001" in tags else "", 64)
    data["control_number_source"] = fit(clean_text(tags["003"][0].data) if "003" in tags else "", 32)

    # 245: title proper ($a $n $p), remainder ($b), statement of responsibility ($c).
    title = subtitle = responsibility = ""
    electronic = False
    if "245" in tags:
        f245 = tags["245"][0]
        title = strip_isbd(_join(f245, "anp")) or strip_isbd(_join(f245, "k"))
        subtitle = strip_isbd(_join(f245, "b"))
        responsibility = strip_isbd(_join(f245, "c"))
        medium = _join(f245, "h").lower()
        electronic = "electronic" in medium or "elektronik" in medium
        if not title and subtitle:
            title, subtitle = subtitle, ""
    data["title"] = fit(title, 1000)
    data["subtitle"] = fit(subtitle, 1000)
    data["responsibility"] = fit(responsibility, 1000)

    data["material_type"] = material_type(leader, f008, electronic=electronic)

    # ISBN (020 $a; invalid ones stay in the MARC only) and ISSN (022 $a).
    isbns: list[str] = []
    for field in tags.get("020", ()):
        for code, value in field.subfields:
            if code == "a" and value:
                token = value.strip().split(" ", 1)[0].split("(", 1)[0]
                isbn = try_isbn(token)
                if isbn and isbn not in isbns:
                    isbns.append(isbn)
    data["isbns"] = isbns
    data["isbn"] = isbns[0] if isbns else ""
    issn = ""
    for field in tags.get("022", ()):
        for code, value in field.subfields:
            if code == "a" and value and not issn:
                issn = try_issn(value.strip().split(" ", 1)[0]) or ""
    data["issn"] = issn

    data["language"] = _language(f008, tags.get("041", ()))

    # Contributors and subjects in the order of their fields (the cataloguer's order of importance).
    contributors = []
    subjects: list[str] = []
    seen = set()
    for field in fields:
        tag = field.tag
        if tag in _CONTRIBUTOR_TAG_SET:
            entry = contributor_from_field(field)
            if entry and (entry["name"], entry["role"]) not in seen:
                seen.add((entry["name"], entry["role"]))
                contributors.append(entry)
        elif tag in _SUBJECT_TAG_SET:
            for heading in subject_headings(field):
                if heading not in subjects:
                    subjects.append(heading)
    data["contributors"] = contributors
    data["subjects"] = subjects

    data["edition"] = fit(strip_isbd(_join(tags["250"][0], "ab")) if "250" in tags else "", 200)

    place, publisher, date_text = _publication(tags)
    data["place"] = fit(place, 300)
    data["publisher"] = fit(publisher, 500)
    data["year"] = _year(f008, date_text)

    data["extent"] = fit(strip_isbd(_join(tags["300"][0], "abcefg")) if "300" in tags else "", 500)
    data["series"] = fit(_series(tags), 500)
    data["summary"] = "\n\n".join(text for text in (clean_text(_join(f, "ab")) for f in tags.get("520", ())) if text)
    notes = []
    for tag in NOTE_TAGS:
        for field in tags.get(tag, ()):
            text = clean_text(" ".join(v for c, v in field.subfields if c not in CONTROL_SUBFIELDS and v))
            if text:
                notes.append(text)
    data["notes"] = "\n".join(notes)

    scheme, class_number = _classification(tags)
    data["classification_scheme"] = scheme
    data["class_number"] = fit(class_number, 100)

    call_number = explicit_call_number(None, tags)
    if not call_number and class_number:
        if scheme == ClassificationScheme.LCC:
            call_number = class_number  # 050 $a $b is already a whole LC call number
        else:
            call_number = _suggest(class_number, tags, contributors, data["title"], call_number_rule)
    data["call_number"] = fit(call_number, 200)
    return data


def material_type(leader: str, f008: str = "", *, electronic: bool = False) -> str:
    """The kind of material from leader/06-07 and the 008 (form of item, type of continuing resource)."""
    kind = leader[6:7]
    level = leader[7:8]
    form = f008[23:24]
    if kind in ("a", "t"):
        online = electronic or form in ("o", "q", "s")
        if level in ("s", "b", "i"):
            frequency_type = f008[21:22]
            if frequency_type == "n":
                return MaterialType.NEWSPAPER
            if frequency_type in ("d", "w") and level == "i":
                return MaterialType.DATABASE
            return MaterialType.EJOURNAL if online else MaterialType.MAGAZINE
        return MaterialType.EBOOK if online else MaterialType.BOOK
    if kind == "m":
        file_type = f008[26:27]
        if file_type == "d":
            return MaterialType.EBOOK
        if file_type in ("e", "j"):
            return MaterialType.DATABASE
        return MaterialType.SOFTWARE
    if kind in ("i", "j"):
        return MaterialType.AUDIO
    if kind == "g":
        return MaterialType.VIDEO
    if kind in ("e", "f"):
        return MaterialType.MAP
    if kind in ("c", "d"):
        return MaterialType.SCORE
    return MaterialType.OTHER


def _language(f008: str, fields041) -> str:
    code = f008[35:38].lower() if len(f008) >= 38 else ""
    if _LANGUAGE.match(code):
        return code
    for field in fields041:
        for c, value in field.subfields:
            if c == "a" and value:
                code = value.strip().lower()[:3]
                if _LANGUAGE.match(code):
                    return code
    return ""


def _publication(tags) -> tuple[str, str, str]:
    field = None
    if "260" in tags:
        field = tags["260"][0]
    elif "264" in tags:
        candidates = tags["264"]
        field = next((f for f in candidates if f.indicator2 == "1"), candidates[0])
    if field is None:
        return "", "", ""
    places = [strip_isbd(v) for c, v in field.subfields if c == "a" and v]
    publishers = [strip_isbd(v) for c, v in field.subfields if c == "b" and v]
    dates = " ".join(v for c, v in field.subfields if c == "c" and v)
    return " ; ".join(p for p in places if p), " ; ".join(p for p in publishers if p), dates


def _year(f008: str, date_text: str) -> int | None:
    candidate = f008[7:11] if len(f008) >= 11 else ""
    if not (candidate.isdigit() and candidate.isascii()):
        found = _YEAR.search(date_text or "")
        candidate = found.group(1) if found else ""
    if candidate:
        year = int(candidate)
        if 0 < year < 3000:
            return year
    return None


def _series(tags) -> str:
    for tag in SERIES_TAGS:
        for field in tags.get(tag, ()):
            title = strip_isbd(_join(field, "anp"))
            if not title:
                continue
            volume = strip_isbd(_join(field, "v"))
            return f"{title} ; {volume}" if volume else title
    return ""


def _classification(tags) -> tuple[str, str]:
    for field in tags.get("082", ()):
        for code, value in field.subfields:
            if code == "a" and value and value.strip():
                return ClassificationScheme.DDC, clean_text(value.replace("/", "").replace("'", ""))
    for field in tags.get("080", ()):
        value = clean_text(_join(field, "ab", ""))
        if value:
            return ClassificationScheme.UDC, value
    for field in tags.get("050", ()):
        # The first $a and the $b that follows it (a repeated $a is an alternative number).
        parts = []
        for code, value in field.subfields:
            if code == "a" and parts:
                break
            if code in "ab" and value and value.strip():
                parts.append(value.strip())
        value = clean_text(" ".join(parts))
        if value:
            return ClassificationScheme.LCC, value
    return ClassificationScheme.DDC, ""


def explicit_call_number(rec: pymarc.Record | None, tags=None) -> str:
    """The local call number a record carries (090, 092 or 099 $a $b), or "" (give ``rec`` or its ``tags``)."""
    tags = tags if tags is not None else _by_tag(rec)
    for tag in CALL_NUMBER_TAGS:
        for field in tags.get(tag, ()):
            value = clean_text(_join(field, "ab"))
            if value:
                return value
    return ""


def _suggest(class_number, tags, contributors, title, rule) -> str:
    from . import callnumbers

    if rule is None:
        from pustaka.core.models import Library

        rule = Library.current().call_number_rule
    main_entry = ""
    if any(tag in tags for tag in ("100", "110", "111")) and contributors:
        main_entry = contributors[0]["name"]
    return callnumbers.suggest(class_number=class_number, main_entry=main_entry, title=title, rule=rule)


def contributor_from_field(field: Field) -> dict | None:
    """``{"name", "role", "dates"?}`` from a 100/110/111/700/710/711 field, or None when it has no name."""
    tag = field.tag
    kind = tag[1:]
    if kind == "00":
        name = strip_isbd(_join(field, "abcq"))
        default = ContributorRole.AUTHOR
        term_codes = "e"
    elif kind == "10":
        name = strip_isbd(_join(field, "abcdn"))
        default = ContributorRole.CORPORATE
        term_codes = "e"
    else:
        name = strip_isbd(_join(field, "acdenq"))
        default = ContributorRole.MEETING
        term_codes = "j"
    if not name:
        return None
    role = None
    for code, value in field.subfields:
        if code == "4" and value:
            role = RELATOR_CODES.get(value.strip().lower()[:3])
        elif code in term_codes and value:
            role = RELATOR_TERMS.get(value.strip(" .,;:").lower(), ContributorRole.CONTRIBUTOR)
        if role:
            break
    entry = {"name": name, "role": str(role or default)}
    if kind == "00":
        dates = clean_text(_join(field, "d")).strip(" ,.")
        if dates:
            entry["dates"] = dates
    return entry


def subject_headings(field: Field) -> list[str]:
    """``"Heading -- Subdivision -- ..."`` strings from a 6xx field (653 gives one per $a)."""
    if field.tag == "653":
        return [text for text in (strip_isbd(v) for c, v in field.subfields if c == "a") if text]
    main = []
    parts = []
    for code, value in field.subfields:
        if code in CONTROL_SUBFIELDS or code == "e" or not value:
            continue
        if code in _SUBDIVISIONS:
            text = strip_isbd(value)
            if text:
                parts.append(text)
        elif not parts:
            main.append(value)
    heading = strip_isbd(" ".join(main))
    if not heading:
        return []
    return [" -- ".join([heading, *parts])]


# --- MARC-8 -------------------------------------------------------------------------------------


class Marc8Error(ValueError):
    """The bytes are not valid MARC-8."""


_MARC8_G0 = {b"(", b",", b"$"}
_MARC8_G1 = {b")", b"-", b"$"}


def marc8_to_unicode_strict(data: bytes) -> str:
    """MARC-8 to Unicode (NFC), raising :class:`Marc8Error` where pymarc's converter would guess.

    Same tables and the same output as ``pymarc.marc8_to_unicode`` for valid input; an unknown escape
    sequence, a character missing from its character set or a cut multi-byte character is an error
    instead of a silent blank.
    """
    if not data:
        return ""
    codesets = marc8_mapping.CODESETS
    g0, g1 = 0x42, 0x45
    out: list[str] = []
    combining: list[str] = []
    pos = 0
    size = len(data)
    while pos < size:
        if data[pos] == 0x1B:
            following = data[pos + 1 : pos + 2]
            if following in _MARC8_G0 or following in _MARC8_G1:
                step = pos + 2
                if following == b"$" and data[step : step + 1] in (b",", b"-", b")"):
                    if data[step : step + 1] in (b")", b"-"):
                        following = b")"
                    step += 1
                if step >= size:
                    raise Marc8Error(f"incomplete escape sequence at byte {pos}")
                charset = data[step]
                if charset not in codesets:
                    raise Marc8Error(f"unknown character set 0x{charset:02x} in escape sequence at byte {pos}")
                if following in (b")", b"-"):
                    g1 = charset
                else:
                    g0 = charset
                pos = step + 1
                continue
            charset = data[pos + 1] if pos + 1 < size else None
            if charset in codesets:
                g0 = charset
                pos += 2
                continue
            if charset == 0x73:
                g0 = 0x42
                pos += 2
                continue
            raise Marc8Error(f"unknown escape sequence at byte {pos}")
        if g0 == 0x31:  # EACC: three bytes a character
            if pos + 3 > size:
                raise Marc8Error(f"East Asian character cut short at byte {pos}")
            code_point = (data[pos] << 16) | (data[pos + 1] << 8) | data[pos + 2]
            pos += 3
            multibyte = True
        else:
            code_point = data[pos]
            pos += 1
            multibyte = False
        if code_point < 0x20 or 0x80 < code_point < 0xA0:
            continue  # control characters (non-sort marks, joiners): pymarc drops them too
        try:
            if code_point > 0x80 and not multibyte:
                uni, is_combining = codesets[g1][code_point]
            else:
                uni, is_combining = codesets[g0][code_point]
        except KeyError:
            if code_point in marc8_mapping.ODD_MAP:
                out.append(chr(marc8_mapping.ODD_MAP[code_point]))
                continue
            raise Marc8Error(f"character 0x{code_point:x} is not in the MARC-8 character set") from None
        if is_combining:
            combining.append(chr(uni))
        else:
            out.append(chr(uni))
            if combining:
                out.extend(combining)
                combining = []
    return unicodedata.normalize("NFC", "".join(out))


# --- columns to MARC ----------------------------------------------------------------------------


def _isbd_245(title: str, subtitle: str, responsibility: str, extra: list[Subfield]) -> list[Subfield]:
    a = title
    subfields = []
    if subtitle:
        a += " :"
    elif responsibility:
        a += " /"
    else:
        a += "."
    subfields.append(Subfield("a", a))
    subfields.extend(extra)
    if subtitle:
        subfields.append(Subfield("b", subtitle + (" /" if responsibility else ".")))
    if responsibility:
        subfields.append(Subfield("c", responsibility if responsibility.endswith(".") else responsibility + "."))
    return subfields


def _split_for_marc(text: str, limit: int = 8000) -> list[str]:
    """Long text in pieces small enough for one ISO 2709 field (9,999 bytes at most)."""
    pieces = []
    while len(text.encode("utf-8")) > limit:
        cut = text[: limit // 4]
        space = cut.rfind(" ")
        cut = cut[:space] if space > 0 else cut
        pieces.append(cut)
        text = text[len(cut) :].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _contributor_field(entry: dict, *, main: bool) -> Field:
    role = entry.get("role") or ContributorRole.AUTHOR
    if role == ContributorRole.CORPORATE:
        tag, ind = ("110" if main else "710"), Indicators("2", " ")
    elif role == ContributorRole.MEETING:
        tag, ind = ("111" if main else "711"), Indicators("2", " ")
    else:
        tag, ind = ("100" if main else "700"), Indicators("1" if "," in entry["name"] else "0", " ")
    subfields = [Subfield("a", entry["name"] + ("," if entry.get("dates") or role in ROLE_TERMS else ""))]
    if entry.get("dates"):
        subfields.append(Subfield("d", entry["dates"] + ("," if role in ROLE_TERMS else "")))
    if role in ROLE_TERMS:
        subfields.append(Subfield("e", ROLE_TERMS[role] + "."))
    if not subfields[-1].value.endswith((".", "-", ")")):
        last = subfields[-1]
        subfields[-1] = Subfield(last.code, last.value + ".")
    return Field(tag, ind, subfields)


def _subject_field(heading: str) -> Field:
    parts = [p.strip() for p in heading.split(" -- ") if p.strip()]
    subfields = [Subfield("a", parts[0])]
    subfields.extend(Subfield("x", part) for part in parts[1:])
    return Field("650", Indicators(" ", "4"), subfields)


def _set_008(rec: pymarc.Record, start: int, value: str) -> None:
    field = rec.get("008")
    if field is None or field.data is None:
        return
    data = field.data.ljust(40)
    field.data = data[:start] + value + data[start + len(value) :]


def _new_008(record) -> str:
    created = record.created_at.strftime("%y%m%d") if getattr(record, "created_at", None) else "000000"
    dates = f"s{record.year:04d}    " if record.year else "nuuuu    "
    form = "o" if record.material_type in (MaterialType.EBOOK, MaterialType.EJOURNAL) else " "
    serial = {MaterialType.NEWSPAPER: "n", MaterialType.MAGAZINE: "p", MaterialType.EJOURNAL: "p"}.get(
        record.material_type, " "
    )
    language = record.language if record.language else "und"
    if serial != " ":
        middle = "   " + serial + " " + form + " " + "   " + " " + "0" + "   " + " " + "0"
    else:
        middle = "    " + " " + form + "    " + " " + "000" + " " + "0" + " "
    value = created + dates + "xx " + middle + language[:3].ljust(3) + " d"
    return value[:40].ljust(40)


class _Rewriter:
    """Writes the descriptive fields owned by the record's columns into a pymarc record.

    Each ``write_*`` method removes the fields of its group (keeping those that still say what the
    columns say) and adds fields built from the columns.
    """

    def __init__(self, rec: pymarc.Record, record, original: dict | None):
        self.rec = rec
        self.record = record
        self.original = original or {}

    def _remove(self, *tags: str) -> None:
        self.rec.remove_fields(*tags)

    def _add(self, *fields: Field) -> None:
        for field in fields:
            self.rec.add_ordered_field(field)

    def write_title(self) -> None:
        r = self.record
        old = self.rec.get("245")
        extra = [s for s in old.subfields if s.code in "hfgks6"] if old is not None else []
        subfields = _isbd_245(r.title, r.subtitle, r.responsibility, [s for s in extra if s.code == "h"])
        subfields.extend(s for s in extra if s.code != "h")
        if old is not None:
            skip = _nonfiling(r.title, old.get("a") or "", old.indicator2)
            old.subfields = subfields
            old.indicators = Indicators(old.indicator1, skip)
        else:
            skip = _nonfiling(r.title, "", "0")
            self._add(Field("245", Indicators("1" if r.contributors else "0", skip), subfields))

    def write_edition(self) -> None:
        self._remove("250")
        if self.record.edition:
            self._add(Field("250", Indicators(" ", " "), [Subfield("a", self.record.edition)]))

    def write_publication(self) -> None:
        r = self.record
        use_264 = self.rec.get("264") is not None and self.rec.get("260") is None
        if use_264:
            self._remove_264_publication()
        else:
            self._remove("260", "264")
        subfields = []
        if r.place:
            subfields.append(Subfield("a", r.place + (" :" if r.publisher else "," if r.year else "")))
        if r.publisher:
            subfields.append(Subfield("b", r.publisher + ("," if r.year else "")))
        if r.year:
            subfields.append(Subfield("c", f"{r.year}."))
        if subfields:
            tag, ind = ("264", Indicators(" ", "1")) if use_264 else ("260", Indicators(" ", " "))
            self._add(Field(tag, ind, subfields))
        if r.year and r.year != self.original.get("year"):
            _set_008(self.rec, 7, f"{r.year:04d}")

    def _remove_264_publication(self) -> None:
        for field in self.rec.get_fields("264"):
            if field.indicator2 in ("1", " "):
                self.rec.remove_field(field)

    def write_isbns(self) -> None:
        wanted = list(self.record.isbns or [])
        for field in self.rec.get_fields("020"):
            values = [try_isbn(v.strip().split(" ", 1)[0]) for c, v in field.subfields if c == "a" and v]
            if not values:
                continue  # 020 $z only (cancelled ISBN): keep
            if values[0] in wanted:
                wanted.remove(values[0])
            else:
                self.rec.remove_field(field)
        for isbn in wanted:
            self._add(Field("020", Indicators(" ", " "), [Subfield("a", isbn)]))

    def write_issn(self) -> None:
        self._remove("022")
        if self.record.issn:
            self._add(Field("022", Indicators(" ", " "), [Subfield("a", self.record.issn)]))

    def _insert_after(self, tags, fields: list[Field]) -> None:
        """Insert ``fields`` right after the last field with one of ``tags`` (else in tag order)."""
        positions = [i for i, f in enumerate(self.rec.fields) if f.tag in tags]
        if not positions:
            self._add(*fields)
            return
        at = positions[-1] + 1
        self.rec.fields[at:at] = fields

    def write_contributors(self) -> None:
        wanted = [dict(c) for c in self.record.contributors or []]
        kept = []
        for field in self.rec.get_fields(*CONTRIBUTOR_TAGS):
            entry = contributor_from_field(field)
            if entry in wanted:
                kept.append(entry)
            else:
                self.rec.remove_field(field)
        missing = [entry for entry in wanted if entry not in kept]
        if not missing:
            return
        if not self.rec.get_fields("100", "110", "111") and missing[0] == wanted[0]:
            self._add(_contributor_field(missing.pop(0), main=True))
        self._insert_after(_CONTRIBUTOR_TAG_SET, [_contributor_field(entry, main=False) for entry in missing])

    def write_subjects(self) -> None:
        wanted = list(self.record.subjects or [])
        covered = set()
        for field in self.rec.get_fields(*SUBJECT_TAGS):
            headings = subject_headings(field)
            if headings and all(h in wanted for h in headings):
                covered.update(headings)
            else:
                self.rec.remove_field(field)
        missing = [_subject_field(h) for h in wanted if h.strip() and h not in covered]
        if missing:
            self._insert_after(_SUBJECT_TAG_SET, missing)

    def write_classification(self) -> None:
        r = self.record
        tag = {ClassificationScheme.DDC: "082", ClassificationScheme.UDC: "080", ClassificationScheme.LCC: "050"}
        old_scheme = self.original.get("classification_scheme")
        for scheme in {r.classification_scheme, old_scheme}:
            if scheme in tag:
                self._remove(tag[scheme])
        if r.class_number and r.classification_scheme in tag:
            if r.classification_scheme == ClassificationScheme.LCC and " " in r.class_number:
                a, b = r.class_number.split(" ", 1)
                subfields = [Subfield("a", a), Subfield("b", b)]
            else:
                subfields = [Subfield("a", r.class_number)]
            ind = Indicators("0", "4") if r.classification_scheme != ClassificationScheme.UDC else Indicators(" ", " ")
            self._add(Field(tag[r.classification_scheme], ind, subfields))

    def write_call_number(self) -> None:
        self._remove(*CALL_NUMBER_TAGS)
        if self.record.call_number:
            self._add(Field("099", Indicators(" ", " "), [Subfield("a", self.record.call_number)]))

    def write_series(self) -> None:
        self._remove(*SERIES_TAGS)
        if self.record.series:
            title, _, volume = self.record.series.partition(" ; ")
            subfields = [Subfield("a", title + (" ;" if volume else ""))]
            if volume:
                subfields.append(Subfield("v", volume))
            self._add(Field("490", Indicators("0", " "), subfields))

    def write_summary(self) -> None:
        self._remove("520")
        for paragraph in (p.strip() for p in (self.record.summary or "").split("\n\n")):
            for piece in _split_for_marc(paragraph):
                self._add(Field("520", Indicators(" ", " "), [Subfield("a", piece)]))

    def write_notes(self) -> None:
        self._remove(*NOTE_TAGS)
        for line in (x.strip() for x in (self.record.notes or "").splitlines()):
            for piece in _split_for_marc(line):
                self._add(Field("500", Indicators(" ", " "), [Subfield("a", piece)]))

    def write_extent(self) -> None:
        self._remove("300")
        if self.record.extent:
            self._add(Field("300", Indicators(" ", " "), [Subfield("a", self.record.extent)]))

    def write_language(self) -> None:
        language = self.record.language or "und"
        _set_008(self.rec, 35, language[:3].ljust(3))
        f041 = self.rec.get("041")
        if f041 is not None and self.record.language:
            subfields = list(f041.subfields)
            for i, s in enumerate(subfields):
                if s.code == "a":
                    subfields[i] = Subfield("a", self.record.language)
                    break
            f041.subfields = subfields

    def write_material_type(self) -> None:
        leader = str(self.rec.leader)
        code = LEADER_TYPES.get(self.record.material_type, "am")
        self.rec.leader = pymarc.Leader(leader[:6] + code + leader[8:])


# Which columns each rewrite owns, in the order they are written.
REWRITES = [
    (("title", "subtitle", "responsibility"), "write_title"),
    (("edition",), "write_edition"),
    (("place", "publisher", "year"), "write_publication"),
    (("isbns",), "write_isbns"),
    (("issn",), "write_issn"),
    (("contributors",), "write_contributors"),
    (("subjects",), "write_subjects"),
    (("classification_scheme", "class_number"), "write_classification"),
    (("call_number",), "write_call_number"),
    (("series",), "write_series"),
    (("summary",), "write_summary"),
    (("notes",), "write_notes"),
    (("extent",), "write_extent"),
    (("language",), "write_language"),
    (("material_type",), "write_material_type"),
]


def parse_stored(marc: bytes | memoryview) -> pymarc.Record:
    """The stored original (UTF-8 ISO 2709) as a pymarc record."""
    return pymarc.Record(bytes(marc), to_unicode=True, force_utf8=True, utf8_handling="replace")


def record_to_marc(record, *, call_number_rule: str | None = None) -> pymarc.Record:
    """The MARC 21 record to export for ``record`` (UTF-8, leader/09 ``a``), with ``999 $c <id> $2 pustaka``.

    With a stored original every field is kept, 001 included; when a cataloguer has edited the record
    since import, the descriptive fields whose columns changed are rewritten from the columns. A
    record catalogued here is built from its columns, with the system id in 001.
    """
    if record.marc:
        rec = parse_stored(record.marc)
        if record.marc_edited:
            original = fields_from_marc(rec, call_number_rule=call_number_rule or _rule())
            rewriter = _Rewriter(rec, record, original)
            for columns, method in REWRITES:
                if any(_column(record, name) != original.get(name) for name in columns):
                    getattr(rewriter, method)()
    else:
        rec = pymarc.Record(leader="00000n" + LEADER_TYPES.get(record.material_type, "am") + " a2200000 i 4500")
        rec.add_field(Field("001", data=str(record.pk)))
        rec.add_field(Field("003", data=PUSTAKA_ID_SOURCE))
        rec.add_field(Field("008", data=_new_008(record)))
        rewriter = _Rewriter(rec, record, None)
        for columns, method in REWRITES:
            if method in ("write_language", "write_material_type"):
                continue  # already in the leader and 008
            if any(_column(record, name) not in (None, "", []) for name in columns):
                getattr(rewriter, method)()
    for field in rec.get_fields(PUSTAKA_ID_TAG):
        if PUSTAKA_ID_SOURCE in field.get_subfields("2"):
            rec.remove_field(field)
    rec.add_ordered_field(
        Field(PUSTAKA_ID_TAG, Indicators(" ", " "), [Subfield("c", str(record.pk)), Subfield("2", PUSTAKA_ID_SOURCE)])
    )
    rec.leader = pymarc.Leader(str(rec.leader)[:9] + "a" + str(rec.leader)[10:])
    return rec


def _column(record, name: str):
    value = getattr(record, name)
    return list(value) if isinstance(value, list | tuple) else value


def _rule() -> str:
    from pustaka.core.models import Library

    return Library.current().call_number_rule


def pustaka_id(rec: pymarc.Record) -> int | None:
    """The Pustaka record id in ``999 $c`` (with ``$2 pustaka``), if the record carries one."""
    for field in rec.get_fields(PUSTAKA_ID_TAG):
        if PUSTAKA_ID_SOURCE in field.get_subfields("2"):
            for value in field.get_subfields("c"):
                if value.strip().isdigit():
                    return int(value)
    return None


# --- MARCXML ------------------------------------------------------------------------------------

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str | None) -> str:
    value = value or ""
    if _XML_INVALID.search(value):
        value = _XML_INVALID.sub("", value)
    return escape(value)


@functools.lru_cache(maxsize=4096)
def _xml_attr(value: str) -> str:
    return quoteattr(_XML_INVALID.sub("", value or ""))


def marcxml(rec: pymarc.Record) -> str:
    """One ``<record>`` in the MARC 21 slim schema (no namespace declaration: put it in a ``<collection>``)."""
    out = ["<record>", f"<leader>{_xml_text(str(rec.leader))}</leader>"]
    for field in rec.fields:
        if field.control_field:
            out.append(f"<controlfield tag={_xml_attr(field.tag)}>{_xml_text(field.data)}</controlfield>")
        else:
            out.append(
                f"<datafield tag={_xml_attr(field.tag)} ind1={_xml_attr(field.indicator1)}"
                f" ind2={_xml_attr(field.indicator2)}>"
            )
            for code, value in field.subfields:
                out.append(f"<subfield code={_xml_attr(code)}>{_xml_text(value)}</subfield>")
            out.append("</datafield>")
    out.append("</record>")
    return "".join(out)


#: Initial articles a title may start with (245 second indicator: characters to skip when filing).
INITIAL_ARTICLES = (
    "the ",
    "a ",
    "an ",
    "le ",
    "la ",
    "les ",
    "l'",
    "un ",
    "une ",
    "der ",
    "die ",
    "das ",
    "el ",
    "los ",
    "las ",
)


def _nonfiling(title: str, old_title: str, old_skip: str) -> str:
    """The 245 second indicator for ``title``: the cataloguer's count while the title still starts
    with the same characters it skipped, else the length of a known initial article, else 0."""
    if (
        old_skip.isdigit()
        and int(old_skip) > 0
        and old_title[: int(old_skip)].lower() == title[: int(old_skip)].lower()
    ):
        return old_skip
    lowered = title.lower()
    return next((str(len(a)) for a in INITIAL_ARTICLES if lowered.startswith(a) and len(a) <= 9), "0")


def record_marcxml(record, *, call_number_rule: str | None = None) -> str:
    """``marcxml(record_to_marc(record))``, straight from the stored bytes when the record is unedited.

    SRU and OAI-PMH send many records per request; an imported record nobody has edited since is written
    from its ISO 2709 bytes without building a pymarc record (same output, several times faster).
    """
    if record.marc and not record.marc_edited:
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
    text, attr = _xml_text, _xml_attr
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


def write_marc(records: Iterable, out: BinaryIO, *, format: str = "iso2709") -> int:
    """Write ``records`` (Record objects) to ``out`` as ISO 2709 or a MARCXML collection; return the count."""
    rule = _rule()
    count = 0
    if format == "marcxml":
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{MARCXML_NS}">\n'.encode())
    for record in records:
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
    from .models import Record

    require(actor, "catalog.export_marc")
    if format not in ("iso2709", "marcxml"):
        raise ValueError(format)
    queryset = Record.objects.order_by("id") if queryset is None else queryset
    return write_marc(queryset.iterator(chunk_size=2000), out, format=format)


# --- Dublin Core --------------------------------------------------------------------------------

DC_ELEMENTS = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
)
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"


def record_to_dc(record) -> dict[str, list[str]]:
    """Simple Dublin Core for a record: element name to its values (elements without a value are left out)."""
    creators = [c["name"] for c in record.contributors or [] if c.get("role") == ContributorRole.AUTHOR]
    others = [c["name"] for c in record.contributors or [] if c.get("role") != ContributorRole.AUTHOR]
    if not creators and others:
        creators, others = others[:1], others[1:]
    identifiers = [f"urn:isbn:{isbn}" for isbn in record.isbns or []]
    if record.issn:
        identifiers.append(f"urn:issn:{record.issn}")
    identifiers.append(f"pustaka:record:{record.pk}")
    descriptions = [text for text in (record.summary, record.notes) if text]
    values = {
        "title": [record.full_title],
        "creator": creators,
        "subject": list(record.subjects or []),
        "description": descriptions,
        "publisher": [record.publisher] if record.publisher else [],
        "contributor": others,
        "date": [str(record.year)] if record.year else [],
        "type": [DCMI_TYPES.get(record.material_type, "Text")],
        "format": [record.extent] if record.extent else [],
        "identifier": identifiers,
        "language": [record.language] if record.language else [],
        "relation": [record.series] if record.series else [],
    }
    return {name: values[name] for name in DC_ELEMENTS if values.get(name)}


def dc_xml(record) -> str:
    """The record as an ``oai_dc:dc`` element (namespaces declared; text escaped)."""
    lines = [
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd">'
    ]
    for name, values in record_to_dc(record).items():
        for value in values:
            lines.append(f"  <dc:{name}>{_xml_text(value)}</dc:{name}>")
    lines.append("</oai_dc:dc>")
    return "\n".join(lines)

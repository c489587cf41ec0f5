"""MARC 21 to record columns: :func:`fields_from_marc` and the field-by-field mapping behind it."""

import re

import pymarc
from pymarc import Field

from ..choices import ClassificationScheme, ContributorRole, MaterialType, ThesisKind
from ..identifiers import try_isbn, try_issn
from .tables import (
    _CONTRIBUTOR_TAG_SET,
    _SUBJECT_TAG_SET,
    CALL_NUMBER_TAGS,
    CONTROL_SUBFIELDS,
    NOTE_TAGS,
    RELATOR_CODES,
    RELATOR_TERMS,
    SERIES_TAGS,
)
from .text import _join, clean_text, fit, strip_isbd

_SUBDIVISIONS = frozenset("vxyz")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_LANGUAGE = re.compile(r"^[a-z]{3}$")


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
    data.update(_thesis(tags.get("502", ())))
    thesis = data["thesis_kind"] or data["degree"] or data["degree_institution"]
    if thesis and data["material_type"] in (MaterialType.BOOK, MaterialType.EBOOK):
        data["material_type"] = MaterialType.THESIS
    for tag in NOTE_TAGS:
        for field in tags.get(tag, ()):
            if is_structured_502(field):
                continue  # its parts are the thesis columns
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
    data["cover_link"] = ""  # a cover another catalogue names is set by copy cataloguing, not read here
    return data


def is_structured_502(field: Field) -> bool:
    """A dissertation note given in parts (502 $b degree, $c institution, $d year, $g kind)."""
    return field.tag == "502" and any(code in "bcdg" and value for code, value in field.subfields)


_THESIS_WORDS = {
    "skripsi": ThesisKind.SKRIPSI,
    "tesis": ThesisKind.TESIS,
    "thesis": ThesisKind.TESIS,
    "disertasi": ThesisKind.DISERTASI,
    "dissertation": ThesisKind.DISERTASI,
}


def _thesis(fields502) -> dict:
    """The thesis columns from the first structured 502 (kind from $g or the degree's first word)."""
    data = {"thesis_kind": "", "degree": "", "degree_institution": "", "degree_year": None}
    for field in fields502:
        if not is_structured_502(field):
            continue
        data["degree"] = fit(strip_isbd(_join(field, "b")), 200)
        data["degree_institution"] = fit(strip_isbd(_join(field, "c")), 300)
        found = _YEAR.search(_join(field, "d"))
        data["degree_year"] = int(found.group(1)) if found and 0 < int(found.group(1)) < 3000 else None
        words = (_join(field, "g") + " " + data["degree"]).lower().replace("(", " ").split()
        data["thesis_kind"] = next((_THESIS_WORDS[w] for w in words if w in _THESIS_WORDS), "")
        break
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
        if "m" in f008[24:28]:  # nature of contents: theses
            return MaterialType.THESIS
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
    from .. import callnumbers

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

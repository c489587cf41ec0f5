"""Citation export of a public record: RIS (reference managers) and BibTeX (LaTeX)."""

import re

from pustaka.catalog.choices import MaterialType
from pustaka.catalog.identifiers import format_isbn
from pustaka.catalog.models import Record

# RIS reference types (the RIS specification's TY values) by material type.
RIS_TYPES = {
    MaterialType.BOOK: "BOOK",
    MaterialType.EBOOK: "EBOOK",
    MaterialType.MAGAZINE: "JFULL",
    MaterialType.NEWSPAPER: "NEWS",
    MaterialType.EJOURNAL: "EJOUR",
    MaterialType.DATABASE: "DBASE",
    MaterialType.SOFTWARE: "COMP",
    MaterialType.AUDIO: "SOUND",
    MaterialType.VIDEO: "VIDEO",
    MaterialType.MAP: "MAP",
    MaterialType.SCORE: "MUSIC",
}
AUTHOR_ROLES = {"", "author", "aut", "creator", "cre"}


def _people(record: Record) -> tuple[list[str], list[str]]:
    """(authors, other contributors) by name, in catalogue order."""
    authors, others = [], []
    for person in record.contributors or []:
        if not isinstance(person, dict) or not person.get("name"):
            continue
        role = (person.get("role") or "").lower()
        (authors if role in AUTHOR_ROLES else others).append(person["name"].strip().rstrip(","))
    return authors, others


def _isbns(record: Record) -> list[str]:
    values = record.isbns or ([record.isbn] if record.isbn else [])
    return [format_isbn(value) for value in dict.fromkeys(values) if value]


def ris(record: Record, url: str) -> str:
    """The record as one RIS reference (tags ``XX  - value``, CRLF line ends, ``ER`` last)."""
    authors, others = _people(record)
    lines = [("TY", RIS_TYPES.get(record.material_type, "GEN"))]
    lines += [("AU", name) for name in authors]
    lines += [("A2", name) for name in others]
    lines.append(("TI", record.full_title))
    if record.year:
        lines.append(("PY", str(record.year)))
    if record.edition:
        lines.append(("ET", record.edition))
    if record.publisher:
        lines.append(("PB", record.publisher))
    if record.place:
        lines.append(("CY", record.place))
    lines += [("SN", isbn) for isbn in _isbns(record)]
    if record.issn:
        lines.append(("SN", record.issn))
    if record.series:
        lines.append(("T3", record.series))
    if record.language:
        lines.append(("LA", record.language))
    lines += [("KW", subject) for subject in record.subjects or [] if isinstance(subject, str)]
    if record.call_number:
        lines.append(("CN", record.call_number))
    if record.summary:
        lines.append(("AB", " ".join(record.summary.split())))
    lines.append(("UR", url))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines)


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")
_BIBTEX_REPLACE = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def bibtex_escape(value: str) -> str:
    """Text safe inside a BibTeX field: LaTeX special characters escaped, one line."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACE.get(m.group(1), "\\" + m.group(1)), _one_line(value))


def bibtex(record: Record, url: str) -> str:
    """The record as one BibTeX entry (``@book`` for books and e-books, ``@misc`` otherwise)."""
    entry_type = "book" if record.material_type in (MaterialType.BOOK, MaterialType.EBOOK) else "misc"
    authors, others = _people(record)
    fields = []
    if authors:
        fields.append(("author", " and ".join(bibtex_escape(name) for name in authors)))
    elif others:
        fields.append(("editor", " and ".join(bibtex_escape(name) for name in others)))
    fields.append(("title", "{" + bibtex_escape(record.full_title) + "}"))  # braces keep its capitals
    if record.year:
        fields.append(("year", str(record.year)))
    if record.edition:
        fields.append(("edition", bibtex_escape(record.edition)))
    if record.publisher:
        fields.append(("publisher", bibtex_escape(record.publisher)))
    if record.place:
        fields.append(("address", bibtex_escape(record.place)))
    if record.series:
        fields.append(("series", bibtex_escape(record.series)))
    isbns = _isbns(record)
    if isbns:
        fields.append(("isbn", ", ".join(isbns)))
    if record.issn:
        fields.append(("issn", record.issn))
    if record.language:
        fields.append(("language", record.language))
    fields.append(("url", url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{pustaka{record.pk},\n{body}\n}}\n"

"""Reading a subject heading list kept as a file, such as the national library's Daftar Tajuk Subjek.

Two layouts are read, both UTF-8:

* **A table** (CSV or TSV) whose first row names the columns ``heading``, ``used_for``, ``broader``,
  ``narrower``, ``related`` (``tajuk`` is also understood for the heading); several terms in one cell
  are separated by ``;`` or ``|``.
* **Thesaurus text**: each heading on a line of its own at the left margin, followed by indented lines
  ``UF`` (used for), ``BT`` (broader term), ``NT`` (narrower term), ``RT`` or ``SA`` (related, see also).
  Lines starting with ``#`` are comments.

Each heading becomes an :class:`~pustaka.authorities.marc.Entry` of a topical subject; a line that
cannot be read is rejected with its number and the reason, the others still count.
"""

import csv
import io
import re

from django.utils.translation import gettext as _

from .choices import AuthorityKind, Relation
from .headings import clean_heading
from .marc import Entry, Rejected

COLUMNS = {
    "heading": "heading",
    "tajuk": "heading",
    "used_for": "used_for",
    "uf": "used_for",
    "broader": "broader",
    "bt": "broader",
    "narrower": "narrower",
    "nt": "narrower",
    "related": "related",
    "rt": "related",
}
CODES = {
    "UF": "used_for",
    "BT": Relation.BROADER,
    "NT": Relation.NARROWER,
    "RT": Relation.RELATED,
    "SA": Relation.RELATED,
}
_CODE_LINE = re.compile(r"^\s+([A-Za-z]{2})\s+(.+)$")
_SPLIT = re.compile(r"\s*[;|]\s*")
MAX_LINES = 200_000


def decode(data: bytes) -> str:
    """The file's text (UTF-8, with or without a byte-order mark)."""
    from .errors import UnreadableFile

    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            reason=_("it is not UTF-8 text (byte %(position)s)") % {"position": exc.start}, field="file"
        ) from exc


def read_subject_list(text: str, *, source: str = "DTSPN") -> tuple[list[Entry], list[Rejected]]:
    """The headings of a subject list (table or thesaurus text), and the lines that were rejected."""
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        from .errors import UnreadableFile

        raise UnreadableFile(reason=_("it has more than %(count)s lines") % {"count": MAX_LINES}, field="file")
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    header = [c.strip().lower().replace(" ", "_") for c in re.split(r"[\t,;]", first)]
    if header and header[0] in COLUMNS and COLUMNS[header[0]] == "heading":
        return _read_table(text, source)
    return _read_thesaurus(lines, source)


def _line(number: int) -> str:
    return _("line %(number)s") % {"number": number}


def _entry(heading: str, where: str, source: str) -> Entry | Rejected:
    heading = clean_heading(heading)
    if not heading:
        return Rejected(where, _("the heading is empty"))
    if len(heading) > 500:
        return Rejected(where, _("the heading is longer than 500 characters"))
    return Entry(kind=AuthorityKind.TOPICAL, heading=heading, where=where, source=source)


def _read_table(text: str, source: str) -> tuple[list[Entry], list[Rejected]]:
    sample = text[:4096]
    delimiter = "\t" if "\t" in sample.splitlines()[0] else (";" if sample.count(";") > sample.count(",") else ",")
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    entries, rejected, columns = [], [], None
    for number, row in enumerate(rows, 1):
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if columns is None:
            columns = [COLUMNS.get(c.strip().lower().replace(" ", "_")) for c in row]
            continue
        cells = {name: value for name, value in zip(columns, row, strict=False) if name}
        found = _entry(cells.get("heading", ""), _line(number), source)
        if isinstance(found, Rejected):
            rejected.append(found)
            continue
        found.variants = [clean_heading(v) for v in _SPLIT.split(cells.get("used_for", "")) if clean_heading(v)]
        for name, relation in (
            ("broader", Relation.BROADER),
            ("narrower", Relation.NARROWER),
            ("related", Relation.RELATED),
        ):
            found.see_also += [
                (relation, clean_heading(v)) for v in _SPLIT.split(cells.get(name, "")) if clean_heading(v)
            ]
        entries.append(found)
    return entries, rejected


def _read_thesaurus(lines: list[str], source: str) -> tuple[list[Entry], list[Rejected]]:
    entries, rejected = [], []
    current: Entry | None = None
    for number, raw in enumerate(lines, 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            found = _entry(raw, _line(number), source)
            if isinstance(found, Rejected):
                rejected.append(found)
                current = None
            else:
                entries.append(found)
                current = found
            continue
        match = _CODE_LINE.match(raw)
        if match is None or match.group(1).upper() not in CODES:
            rejected.append(
                Rejected(_line(number), _("an indented line must start with UF, BT, NT, RT or SA and a term"))
            )
            continue
        if current is None:
            rejected.append(Rejected(_line(number), _("there is no heading above this reference")))
            continue
        term = clean_heading(match.group(2))
        if not term or len(term) > 500:
            rejected.append(Rejected(_line(number), _("the term is empty or longer than 500 characters")))
            continue
        code = CODES[match.group(1).upper()]
        if code == "used_for":
            current.variants.append(term)
        else:
            current.see_also.append((code, term))
    return entries, rejected

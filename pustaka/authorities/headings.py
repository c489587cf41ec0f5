"""How headings are compared: one key per heading, so "Hirata, Andrea." and "hirata andrea" agree.

The key is the folded text (case and accents folded, as search folds it) with punctuation dropped and
spaces collapsed. A record's subject "Pendidikan -- Belitung -- Fiksi" is matched on the whole string
and on its main heading ("Pendidikan"); the subdivisions stay as the record has them.
"""

import re

from pustaka.search.analysis import fold

SUBDIVISION = " -- "
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-z0-9]{3,}")


def heading_key(text: str) -> str:
    """The comparison key of a heading (empty for a heading without letters or digits)."""
    return " ".join(_NOT_WORD.sub(" ", fold(text or "")).replace("_", " ").split())[:500]


def clean_heading(text) -> str:
    """A heading as it is stored: one line, single spaces, no trailing ISBD punctuation (``.``, ``,``, ``:``)."""
    text = " ".join(str(text or "").split())
    text = re.sub(r"\s*--\s*", SUBDIVISION, text)
    return text.rstrip(" .,;:/").strip()


def main_heading(subject: str) -> str:
    """The part of a subject heading before its subdivisions."""
    return subject.split(SUBDIVISION, 1)[0].strip()


def authorised_subject(subject: str, authorised: str, *, whole: bool) -> str:
    """The authorised form of a record's subject: the whole heading, or the main heading with the
    record's own subdivisions kept (``Pendidikan -- Belitung`` stays ``... -- Belitung``)."""
    if whole or SUBDIVISION not in subject:
        return authorised
    return authorised + SUBDIVISION + subject.split(SUBDIVISION, 1)[1]


def prefilter_word(text: str) -> str | None:
    """The longest plain ASCII word of a heading: a cheap SQL pre-filter (JSON on SQLite escapes the rest)."""
    words = sorted(_ASCII_WORD.findall(fold(text or "")), key=len, reverse=True)
    return words[0] if words else None

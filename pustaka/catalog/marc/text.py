"""Text as MARC carries it: NFC and no control characters, ISBD punctuation off, fitting a column."""

import re
import unicodedata

from pymarc import Field

from .tables import ABBREVIATIONS

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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

"""Text that XML 1.0 can hold: the one place that knows which characters it cannot.

Imported MARC records, PDF metadata and typed queries sometimes carry C0 control characters, lone
surrogates or U+FFFE/U+FFFF. Every writer of XML (MARCXML, Dublin Core, OAI-PMH, SRU, OPDS) drops them
through :func:`xml_safe` (or escapes through :func:`xml_text` / :func:`xml_attr`), so a stray byte in one
record never makes a whole response unreadable.
"""

import functools
import re
from xml.sax.saxutils import escape, quoteattr

#: Characters XML 1.0 cannot hold: C0 controls but tab, newline and carriage return; lone surrogates;
#: U+FFFE and U+FFFF.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_illegal(text: str) -> bool:
    """True when ``text`` holds a character XML 1.0 cannot carry (a request to refuse, say)."""
    return ILLEGAL.search(text) is not None


def xml_safe(value: str | None) -> str:
    """``value`` without the characters XML 1.0 cannot hold (``None`` is the empty text)."""
    if not value:
        return ""
    return ILLEGAL.sub("", value) if ILLEGAL.search(value) else value


def xml_text(value: str | None) -> str:
    """``value`` ready to sit between two tags: illegal characters dropped, ``& < >`` escaped."""
    return escape(xml_safe(value))


@functools.lru_cache(maxsize=4096)
def xml_attr(value: str | None) -> str:
    """``value`` as a quoted attribute value (quotes included), illegal characters dropped."""
    return quoteattr(xml_safe(value))

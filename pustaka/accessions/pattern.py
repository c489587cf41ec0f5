"""Accession number patterns: ``{seq:05}/{source}/{year}`` → ``00042/B/2026``.

Placeholders (anything else in braces is refused):

==============  ============================================================  ============
placeholder     what it writes                                                example
==============  ============================================================  ============
``{seq}``       the sequence number (required, once); ``{seq:05}`` pads it    ``42``, ``00042``
                with zeros to 5 digits (1 to 9)
``{year}``      the year of acquisition, four digits                          ``2026``
``{yy}``        the year of acquisition, two digits                           ``26``
``{source}``    the source code: B purchase (beli), H gift (hadiah),          ``B``
                SS deposit (serah simpan), T exchange (tukar)
``{branch}``    the code of the copy's branch                                 ``MAIN``
``{type}``      the code of the copy's item type                              ``BOOK``
==============  ============================================================  ============

With ``{year}`` or ``{yy}`` the sequence starts again at 1 each year; without them it runs on over
the years. Either way a number once given is never given again (see :mod:`pustaka.accessions.actions`).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import PatternNotValid

DEFAULT_PATTERN = "{seq:05}/{source}/{year}"
PLACEHOLDER = re.compile(r"\{([a-z]+)(?::(0?\d))?\}")
NAMES = {"seq", "year", "yy", "source", "branch", "type"}
MAX_LENGTH = 60


@dataclass(frozen=True)
class Pattern:
    """A checked pattern: ``render`` it with the copy's parts."""

    text: str

    @property
    def yearly(self) -> bool:
        """Whether the sequence starts again each year (the pattern names the year)."""
        return "{year}" in self.text or "{yy}" in self.text

    def render(self, *, seq: int, year: int, source: str = "", branch: str = "", item_type: str = "") -> str:
        values = {"year": f"{year:04d}", "yy": f"{year % 100:02d}", "source": source, "branch": branch}
        values["type"] = item_type

        def one(match: re.Match) -> str:
            name, width = match.group(1), match.group(2)
            if name == "seq":
                return f"{seq:0{int(width)}d}" if width else str(seq)
            return values[name]

        return PLACEHOLDER.sub(one, self.text)


def parse(text: str) -> Pattern:
    """Check ``text`` and return it as a :class:`Pattern`; refuse with a message saying what is wrong."""
    text = (text or "").strip()
    if not text:
        raise PatternNotValid(field="pattern", reason=_("it is empty."))
    if len(text) > MAX_LENGTH:
        raise PatternNotValid(field="pattern", reason=_("it is longer than %(n)s characters.") % {"n": MAX_LENGTH})
    seqs = 0
    for match in PLACEHOLDER.finditer(text):
        name, width = match.group(1), match.group(2)
        if name not in NAMES:
            raise PatternNotValid(field="pattern", reason=_("{%(name)s} is not a placeholder.") % {"name": name})
        if width is not None and (name != "seq" or not 1 <= int(width) <= 9):
            raise PatternNotValid(field="pattern", reason=_("only {seq} takes a width, from {seq:01} to {seq:09}."))
        seqs += name == "seq"
    leftover = PLACEHOLDER.sub("", text)
    if "{" in leftover or "}" in leftover:
        raise PatternNotValid(field="pattern", reason=_("a brace does not belong to a placeholder."))
    if seqs != 1:
        raise PatternNotValid(field="pattern", reason=_("it needs {seq} exactly once."))
    if any(ch.isspace() for ch in leftover):
        raise PatternNotValid(field="pattern", reason=_("an accession number has no spaces."))
    return Pattern(text)

"""Checks that the actions of every app share: codes and free text. Amounts and counts are read by
:mod:`pustaka.core.numbers`.

Each action keeps its own typed error and words (a patron's field says "First name is longer than 150
characters.", a SIP2 login "The login may be at most 64 characters long."); what counts as a code, as
blank, too long or unstorable text is decided here, once.
"""

import re

#: A branch, location or patron-category code: 1 to 16 capital letters, digits, dashes or underscores.
CODE_RE = re.compile(r"^[A-Z0-9_-]{1,16}$")
#: Characters no text column may hold (PostgreSQL refuses NUL).
UNSTORABLE = re.compile(r"\x00")

BLANK = "blank"
TOO_LONG = "too_long"
BAD_CHARACTERS = "bad_characters"


def normal_code(value) -> str:
    """A code as it is stored: trimmed and in capitals (``" main "`` → ``"MAIN"``)."""
    return str(value or "").strip().upper()


def is_code(code: str) -> bool:
    """True for a code of 1 to 16 capital letters, digits, dashes or underscores."""
    return bool(CODE_RE.match(code))


def text_problem(
    value, *, max_length: int, required: bool = False, forbidden: re.Pattern = UNSTORABLE
) -> tuple[str, str | None]:
    """``value`` trimmed, and what is wrong with it: ``None``, :data:`BAD_CHARACTERS`, :data:`BLANK` or
    :data:`TOO_LONG` (checked in that order). ``None`` reads as empty text."""
    text = "" if value is None else str(value).strip()
    if forbidden.search(text):
        return text, BAD_CHARACTERS
    if required and not text:
        return text, BLANK
    if len(text) > max_length:
        return text, TOO_LONG
    return text, None

"""Checks that the actions of every app share: codes, free text and amounts (amounts and counts are read
as people type them by :mod:`pustaka.core.numbers`).

Each action keeps its own typed error and words (a patron's field says "First name is longer than 150
characters.", a SIP2 login "The login may be at most 64 characters long."); what counts as a code, as
blank, too long or unstorable text, and as an amount, is decided here, once:

- :func:`text_problem`: what is wrong with a text, for an action that words every refusal itself;
- :func:`clean_text`: the text as it is stored, or the action's refusal for what is wrong with it;
- :func:`clean_amount`: an amount (``5.000,50``, ``5,000.50`` or a number) to the sen, within bounds.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed
from .numbers import read_amount

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


#: What :func:`clean_text` says for each problem unless the action gives its own words.
TEXT_WORDS = {
    BAD_CHARACTERS: _("%(label)s contains characters that cannot be stored."),
    BLANK: _("%(label)s is required."),
    TOO_LONG: _("%(label)s: at most %(limit)s characters."),
}


def clean_text(
    value,
    *,
    field: str,
    max_length: int,
    label=None,
    required: bool = False,
    squeeze: bool = False,
    forbidden: re.Pattern = UNSTORABLE,
    error: type[ValidationFailed] | dict = ValidationFailed,
    words: dict | None = None,
) -> str:
    """``value`` as an action stores it: trimmed (``squeeze``: every run of white space one space), or
    refused for the first problem :func:`text_problem` finds.

    The refusal names ``field`` and carries ``label``, ``limit`` (and ``max``, the same) for its words.
    ``error`` is the action's error type, or one type per problem (``{TOO_LONG: TextTooLong}``, each with
    its own words; a problem it does not list is a :class:`ValidationFailed`). ``words`` replaces the words
    for a problem (default :data:`TEXT_WORDS`)."""
    if squeeze:
        value = " ".join(str(value or "").split())
    text, problem = text_problem(value, max_length=max_length, required=required, forbidden=forbidden)
    if problem is None:
        return text
    if isinstance(error, dict):
        refusal, message = (error[problem], None) if problem in error else (ValidationFailed, TEXT_WORDS[problem])
    else:
        refusal, message = error, TEXT_WORDS[problem]
    message = (words or {}).get(problem, message)
    raise refusal(message, field=field, label=label or field, limit=max_length, max=max_length)


CENT = Decimal("0.01")


def clean_amount(
    value,
    *,
    field: str,
    label,
    error: type[ValidationFailed],
    blank=None,
    at_least: Decimal | None = None,
    at_most: Decimal | None = None,
    **params,
) -> Decimal:
    """An amount an action receives, to the sen: text as people type it (``5.000,50`` or ``5,000.50``) or a
    number. Text that is not an amount is refused saying why (:func:`~pustaka.core.numbers.read_amount`,
    as ``error``); an amount that is not a finite number, below ``at_least`` or above ``at_most`` is refused
    as ``error(field=field, **params)``. ``blank``: what an empty value stands for (default: refused)."""
    if blank is not None and value in (None, ""):
        value = blank
    try:
        amount = read_amount(value, field=field, label=label, error=error).quantize(CENT)
    except (InvalidOperation, ValueError, TypeError):
        raise error(field=field, **params) from None
    if (
        not amount.is_finite()
        or (at_least is not None and amount < at_least)
        or (at_most is not None and amount > at_most)
    ):
        raise error(field=field, **params)
    return amount

"""Amounts and numbers as people type and read them, in Indonesian and in English.

One parser for every money and number input (forms through :class:`pustaka.core.forms.AmountField`
and :class:`~pustaka.core.forms.CountField`, the API through :data:`pustaka.core.api.Amount`, SIP2) and
one formatter for every amount shown (templates: ``{% load numbers %}{{ x|rupiah }}``, messages:
:class:`Money`).

What the parser accepts (Rupiah have no fractions of three digits, so three digits after a single
separator always group thousands, in either language):

=================  ===========  =====================================================
typed              read as      why
=================  ===========  =====================================================
``5000``           5000
``5.000``          5000         one separator + three digits: thousands (Indonesian)
``5,000``          5000         the same in English
``1.250.000``      1250000      separators every three digits
``5.000,50``       5000.50      both: the last one is the decimal mark
``5,000.50``       5000.50      English
``5000,5``         5000.50      one separator + one or two digits: decimals
``5000.50``        5000.50
``Rp 5.000,-``     5000         ``Rp``, ``IDR``, spaces and a trailing ``,-`` ignored
=================  ===========  =====================================================

Refused with a message saying why: letters, ``5.00.0`` or ``1,2,3`` (groups that are not three
digits), ``5.0000``, ``5.`` and ``0.500`` (not clear), both marks in the wrong places (``5,000,50``
with the decimal comma twice), more decimals than the field keeps, a negative amount.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CURRENCY_WORDS = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
TRAILING_DASH = re.compile(r"[.,]-$")
SPACES = re.compile(r"[\s\u00a0\u202f']+")
GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")


class NumberNotUnderstood(ValueError):
    """Text that is not a number this parser can read without guessing; ``str()`` says why."""


def _grouped(digits: str, mark: str) -> str:
    """``1.250.000`` (grouped with ``mark``) → ``1250000``, or raise when the groups are not of three."""
    if not GROUPED.match(digits) or any(sep != mark for sep in re.findall(r"[.,]", digits)):
        raise NumberNotUnderstood(_("Group thousands by three digits, e.g. 1.250.000."))
    if digits.startswith("0"):
        raise NumberNotUnderstood(_("A grouped number cannot start with 0."))
    return digits.replace(mark, "")


def parse_decimal(text, *, decimals: int = 2, allow_negative: bool = False) -> Decimal:
    """``text`` (as typed, see the module docstring) as a Decimal with at most ``decimals`` places."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(str(text))
    else:
        value = _parse_text(str(text or ""), decimals=decimals)
    if not allow_negative and value < 0:
        raise NumberNotUnderstood(_("Give an amount of zero or more."))
    if not value.is_finite():
        raise NumberNotUnderstood(_("Type a number, e.g. 5.000."))
    step = Decimal(1).scaleb(-decimals)
    if value != value.quantize(step, rounding=ROUND_HALF_UP):
        if not decimals:
            raise NumberNotUnderstood(_("Give a whole number."))
        raise NumberNotUnderstood(_("At most two decimals (sen), e.g. 5.000,50."))
    return value.quantize(step)


def _parse_text(raw: str, *, decimals: int) -> Decimal:
    text = SPACES.sub("", CURRENCY_WORDS.sub("", raw.strip()))
    text = TRAILING_DASH.sub("", text)
    sign = ""
    if text[:1] in "-−":
        sign, text = "-", text[1:]
    if not text:
        raise NumberNotUnderstood(_("Type a number, e.g. 5.000."))
    if not re.fullmatch(r"[\d.,]+", text) or not text[0].isdigit() or not text[-1].isdigit():
        raise NumberNotUnderstood(_("Only digits, with . or , between them (e.g. 5.000 or 5.000,50)."))
    marks = [c for c in text if c in ".,"]
    if not marks:
        digits = text
    elif set(marks) == {".", ","}:
        decimal_mark = marks[-1]
        whole, _sep, fraction = text.rpartition(decimal_mark)
        grouping = "," if decimal_mark == "." else "."
        digits = _grouped(whole, grouping) if grouping in whole else whole
        if decimal_mark in digits:
            raise NumberNotUnderstood(_("Only one decimal mark, please."))
        digits = f"{digits}.{_fraction(fraction, decimals)}"
    elif len(marks) > 1:
        digits = _grouped(text, marks[0])
    else:
        whole, _sep, after = text.partition(marks[0])
        if len(after) == 3:
            digits = _grouped(text, marks[0])
        elif 1 <= len(after) <= 2:
            digits = f"{whole}.{_fraction(after, decimals)}"
        else:
            raise NumberNotUnderstood(_("Not clear: write 5.000 for five thousand or 5,50 for five and a half."))
    try:
        return Decimal(sign + digits)
    except InvalidOperation:
        raise NumberNotUnderstood(_("Type a number, e.g. 5.000.")) from None


def _fraction(fraction: str, decimals: int) -> str:
    if not decimals:
        raise NumberNotUnderstood(_("Give a whole number."))
    if not 1 <= len(fraction) <= decimals:
        raise NumberNotUnderstood(_("At most two decimals (sen), e.g. 5.000,50."))
    return fraction


def parse_amount(text, *, allow_negative: bool = False) -> Decimal:
    """A Rupiah amount as typed (two decimals at most)."""
    return parse_decimal(text, decimals=2, allow_negative=allow_negative)


def to_amount(value) -> Decimal:
    """What an action receives as an amount, as a Decimal: text is read as people type it
    (:func:`parse_amount`; ``NumberNotUnderstood`` is a ``ValueError``), numbers are taken as they are."""
    if isinstance(value, str):
        return parse_amount(value, allow_negative=True)
    return Decimal(str(value))


def read_amount(value, *, field: str, label, error=None) -> Decimal:
    """:func:`to_amount` for an action: text it cannot read is refused naming the field (``label``) and
    saying why ("Price: “5.00.0” is not an amount: group thousands by three digits"), as the action's own
    ``error`` type (its code stays what the API and SIP2 know) or
    :class:`~pustaka.core.errors.AmountNotUnderstood`."""
    from .errors import AmountNotUnderstood

    try:
        return to_amount(value)
    except NumberNotUnderstood as problem:
        raise (error or AmountNotUnderstood)(
            AmountNotUnderstood.message, field=field, label=label, value=str(value).strip(), reason=str(problem)
        ) from None


def parse_count(text) -> int:
    """A whole number as typed: ``1.000`` and ``1,000`` are a thousand."""
    return int(parse_decimal(text, decimals=0))


# --- Showing -----------------------------------------------------------------------------------------


def format_number(value, decimals: int = 0) -> str:
    """``112246`` → ``112.246`` (Indonesian) / ``112,246`` (English), in the active language."""
    if value is None or value == "":
        return ""
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_input(value, decimals: int = 2) -> str:
    """A number as it goes back into a text box, in the page's language and as the parser reads it:
    ``22500.00`` → ``22.500`` / ``22,500``; ``5000.50`` → ``5.000,50`` / ``5,000.50``. Text that is not a
    number (what someone typed, shown back with its error) stays as it is."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    places = 0 if number == number.to_integral_value() else decimals
    return format_number(number, places)


def format_amount(value) -> str:
    """``22500`` → ``Rp 22.500`` / ``Rp 22,500``; sen only when there are some (``Rp 5.000,50``)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    places = 0 if amount == amount.to_integral_value() else 2
    sign = "−" if amount < 0 else ""
    return f"{sign}Rp {format_number(abs(amount), places)}"


def format_filesize(size, *, exact: bool = True) -> str:
    """``112246`` → ``109,6 KB (112.246 bita)`` / ``109.6 KB (112,246 bytes)``; without the exact count
    of bytes (``exact=False``, for a line of text or a total): ``109,6 KB`` / ``109.6 KB``."""
    from django.template.defaultfilters import filesizeformat
    from django.utils.translation import ngettext

    if size is None or size == "":
        return ""
    count = int(size)
    bytes_text = ngettext("%(size)s byte", "%(size)s bytes", count) % {"size": format_number(count)}
    if count < 1024:
        return bytes_text
    return f"{filesizeformat(count)} ({bytes_text})" if exact else filesizeformat(count)


class Money:
    """An amount to put in a message: formatted when the message is shown, in its language."""

    def __init__(self, value):
        self.value = value

    def __str__(self) -> str:
        return format_amount(self.value)

    def __repr__(self) -> str:
        return f"Money({self.value!r})"


REFUSED = gettext_lazy("“%(value)s” is not an amount: %(reason)s")

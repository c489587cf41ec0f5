"""ISBN and ISSN validation and normalisation with python-stdnum."""

from django.utils.translation import gettext_lazy as _
from stdnum import isbn as stdnum_isbn
from stdnum import issn as stdnum_issn
from stdnum.exceptions import ValidationError as StdnumError

from pustaka.core.errors import ValidationFailed


def normalise_isbn(value: str) -> str:
    """Return the ISBN-13 form of a valid ISBN-10 or ISBN-13; raise ValidationFailed otherwise."""
    raw = (value or "").strip()
    try:
        compact = stdnum_isbn.validate(raw)
    except StdnumError as exc:
        raise ValidationFailed(
            _("“%(value)s” is not a valid ISBN (%(reason)s)."), field="isbn", value=raw, reason=_reason(exc)
        ) from None
    return stdnum_isbn.to_isbn13(compact)


def try_isbn(value: str) -> str | None:
    """The ISBN-13 form, or None when the text is not a valid ISBN (used by importers)."""
    try:
        return stdnum_isbn.to_isbn13(stdnum_isbn.validate(value))
    except (StdnumError, ValueError):
        return None


def normalise_issn(value: str) -> str:
    """Return ``NNNN-NNNC`` for a valid ISSN; raise ValidationFailed otherwise."""
    raw = (value or "").strip()
    try:
        return stdnum_issn.format(stdnum_issn.validate(raw))
    except StdnumError as exc:
        raise ValidationFailed(
            _("“%(value)s” is not a valid ISSN (%(reason)s)."), field="issn", value=raw, reason=_reason(exc)
        ) from None


def try_issn(value: str) -> str | None:
    try:
        return stdnum_issn.format(stdnum_issn.validate(value))
    except (StdnumError, ValueError):
        return None


def format_isbn(value: str) -> str:
    """Hyphenate an ISBN for display."""
    try:
        return stdnum_isbn.format(value)
    except (StdnumError, ValueError, IndexError):
        return value


def _reason(exc: StdnumError) -> str:
    from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

    if isinstance(exc, InvalidChecksum):
        return str(_("wrong check digit"))
    if isinstance(exc, InvalidLength):
        return str(_("wrong length"))
    if isinstance(exc, InvalidFormat):
        return str(_("wrong format"))
    return str(_("not valid"))

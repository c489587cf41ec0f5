"""Reading ids from request parameters and URLs without trusting them."""

MAX_ID = 2**63 - 1  # the largest id any supported database can store (a signed 64-bit integer)


def parse_id(value) -> int | None:
    """A database id from a form or query string, or None: ASCII digits only (no sign, no spaces,
    no "²" or other Unicode digits that ``int()`` refuses or reads differently), from 1 to ``MAX_ID``."""
    if not isinstance(value, str) or not value or len(value) > len(str(MAX_ID)):
        return None
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The valid ids among ``values`` (see :func:`parse_id`), in order, without repeats."""
    return list(dict.fromkeys(n for n in map(parse_id, values) if n is not None))


def valid_id(*values: int) -> bool:
    """Whether every value can be a row id (a URL's ``<int:...>`` accepts any number of digits)."""
    return all(0 < value <= MAX_ID for value in values)

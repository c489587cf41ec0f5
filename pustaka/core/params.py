"""Reading ids and numbers from request parameters without trusting them."""

MAX_ID = 2**63 - 1  # the largest id any supported database can store


def positive_id(value) -> int | None:
    """``value`` as a database id (ASCII digits, 1 to MAX_ID), or None for anything else.

    ``int()`` alone accepts "²", " 7 " and 30-digit numbers that overflow a database integer."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None

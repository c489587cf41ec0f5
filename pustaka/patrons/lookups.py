"""Finding a patron by the card people scan or type: without spaces, in any letter case (the patron
index on ``UPPER(card_number)``), the same on every path. ``find_patron`` answers None for nothing;
``get_patron`` raises ``PatronNotFound`` (404 in the API), naming the ``field`` when one is given.
Scope (which patrons a member of staff may serve) is decided by the actions
(:func:`pustaka.patrons.queries.can_manage`), so every path refuses the same.
"""

from django.db.models import QuerySet


def find_patron(card, *, among: QuerySet | None = None):
    """The patron holding this card (spaces ignored, any case), or None."""
    from pustaka.circulation.errors import PatronNotFound

    try:
        return get_patron(card, among=among)
    except PatronNotFound:
        return None


def get_patron(card, *, among: QuerySet | None = None, field: str | None = None):
    """The patron holding this card, or ``PatronNotFound`` (404)."""
    from pustaka.circulation.errors import PatronNotFound

    from .queries import get_by_card

    try:
        return get_by_card("" if card is None else str(card), among=among)
    except PatronNotFound as error:
        if field:
            error.field = field
        raise

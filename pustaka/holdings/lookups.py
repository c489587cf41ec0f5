"""Finding an item by the barcode people scan or type: the one rule of every path (desk and staff
pages, the API, SIP2, OPDS, commands).

A barcode is found as scanned; typed in another letter case it is found too when exactly one item has
it in that spelling (one indexed query on ``UPPER(barcode)``). ``find_item`` answers None for nothing
(and for input no item could have); ``get_item`` raises ``ItemNotFound`` (404 in the API), naming the
``field`` when one is given.
"""

from django.db.models import QuerySet
from django.db.models.functions import Upper

from pustaka.core.lookups import MAX_CODE, clean_code

from .errors import ItemNotFound
from .models import Item


def find_item(barcode, *, queryset: QuerySet | None = None) -> Item | None:
    """The item with this barcode as scanned, else the only one with it in another letter case."""
    wanted = clean_code(barcode)
    if not wanted:
        return None
    items = Item.objects.all() if queryset is None else queryset
    item = items.filter(barcode=wanted).first()
    if item is None:
        matches = list(items.alias(barcode_upper=Upper("barcode")).filter(barcode_upper=wanted.upper())[:2])
        item = matches[0] if len(matches) == 1 else None
    return item


def barcode_taken(barcode, *, exclude_pk=None) -> bool:
    """True when an item already has this barcode in any letter case (so lookups stay unambiguous)."""
    items = Item.objects.alias(barcode_upper=Upper("barcode")).filter(barcode_upper=clean_code(barcode).upper())
    if exclude_pk is not None:
        items = items.exclude(pk=exclude_pk)
    return items.exists()


def get_item(barcode, *, field: str | None = None, queryset: QuerySet | None = None) -> Item:
    """The item with this barcode (see :func:`find_item`), or ``ItemNotFound`` (404)."""
    item = find_item(barcode, queryset=queryset)
    if item is None:
        raise ItemNotFound(barcode=clean_code(barcode) or str(barcode or "")[:MAX_CODE], field=field)
    return item

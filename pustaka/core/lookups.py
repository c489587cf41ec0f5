"""Finding a branch, an item, a patron or a member of staff by what people type or scan.

The one place every path (desk and staff pages, the API, SIP2, OPDS, commands) turns a code into a
row, so they all agree:

- **Branch codes** (``main``, `` MAIN ``) are found in any letter case, spaces trimmed.
- **Barcodes** as scanned; a barcode typed in another letter case is found too when exactly one item
  has it in that spelling (one indexed query on ``UPPER(barcode)``).
- **Card numbers** without spaces, in any case (the patron index on ``UPPER(card_number)``).
- **Staff** by user name in any case, active accounts only.

``find_*`` answer None for nothing (and for input no row could have: empty, too long, a NUL byte);
``get_*`` raise the typed not-found error (404 in the API), naming the ``field`` when one is given.
Scope (which patrons a member of staff may serve) is not decided here: the actions check it
(:func:`pustaka.patrons.queries.can_manage`), so every path refuses the same.

Core imports no domain model at import time; the item and patron lookups import theirs when called.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.db.models.functions import Upper

from .errors import BranchNotFound, StaffNotFound
from .models import Branch

MAX_CODE = 64


def _clean(value) -> str:
    text = "" if value is None else str(value)
    text = text.strip()
    if "\x00" in text or len(text) > MAX_CODE:
        return ""
    return text


# --- Branches --------------------------------------------------------------------------------------


def find_branch(code, *, active_only: bool = False, queryset: QuerySet | None = None) -> Branch | None:
    """The branch with this code (any case), or None."""
    wanted = _clean(code).upper()
    if not wanted:
        return None
    branches = Branch.objects.all() if queryset is None else queryset
    if active_only:
        branches = branches.filter(is_active=True)
    return branches.filter(code__iexact=wanted).first()


def get_branch(code, *, field: str | None = None, active_only: bool = False, queryset=None) -> Branch:
    """The branch with this code, or ``BranchNotFound`` (404, naming ``field``)."""
    branch = find_branch(code, active_only=active_only, queryset=queryset)
    if branch is None:
        raise BranchNotFound(code=_clean(code) or str(code or "")[:MAX_CODE], field=field)
    return branch


# --- Items -----------------------------------------------------------------------------------------


def find_item(barcode, *, queryset: QuerySet | None = None):
    """The item with this barcode as scanned, else the only one with it in another letter case."""
    from pustaka.holdings.models import Item

    wanted = _clean(barcode)
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
    from pustaka.holdings.models import Item

    items = Item.objects.alias(barcode_upper=Upper("barcode")).filter(barcode_upper=_clean(barcode).upper())
    if exclude_pk is not None:
        items = items.exclude(pk=exclude_pk)
    return items.exists()


def get_item(barcode, *, field: str | None = None, queryset: QuerySet | None = None):
    """The item with this barcode (see :func:`find_item`), or ``ItemNotFound`` (404)."""
    from pustaka.holdings.errors import ItemNotFound

    item = find_item(barcode, queryset=queryset)
    if item is None:
        raise ItemNotFound(barcode=_clean(barcode) or str(barcode or "")[:MAX_CODE], field=field)
    return item


# --- Patrons ---------------------------------------------------------------------------------------


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
    from pustaka.patrons.queries import get_by_card

    try:
        return get_by_card("" if card is None else str(card), among=among)
    except PatronNotFound as error:
        if field:
            error.field = field
        raise


# --- Staff -----------------------------------------------------------------------------------------


def find_staff(username, *, active_only: bool = True):
    """The account with this user name (any case), or None."""
    wanted = _clean(username)
    if not wanted:
        return None
    users = get_user_model().objects.all()
    if active_only:
        users = users.filter(is_active=True)
    return users.filter(username__iexact=wanted).first()


def get_staff(username, *, field: str | None = None, active_only: bool = True):
    """The account with this user name, or ``StaffNotFound`` (404)."""
    user = find_staff(username, active_only=active_only)
    if user is None:
        raise StaffNotFound(username=_clean(username), field=field)
    return user

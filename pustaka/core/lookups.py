"""Finding a branch or a member of staff by what people type or scan, and the one rule for cleaning
what was typed (:func:`clean_code`). Items are found by :mod:`pustaka.holdings.lookups` and patrons by
:mod:`pustaka.patrons.lookups`, with the same rules, so every path (desk and staff pages, the API,
SIP2, OPDS, commands) turns a code into a row the same way:

- **Branch codes** (``main``, `` MAIN ``) are found in any letter case, spaces trimmed.
- **Barcodes** as scanned; a barcode typed in another letter case is found too when exactly one item
  has it in that spelling (one indexed query on ``UPPER(barcode)``).
- **Card numbers** without spaces, in any case (the patron index on ``UPPER(card_number)``).
- **Staff** by user name in any case, active accounts only.

``find_*`` answer None for nothing (and for input no row could have: empty, too long, a NUL byte);
``get_*`` raise the typed not-found error (404 in the API), naming the ``field`` when one is given.
Scope (which patrons a member of staff may serve) is not decided here: the actions check it
(:func:`pustaka.patrons.queries.can_manage`), so every path refuses the same.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .errors import BranchNotFound, StaffNotFound
from .models import Branch

MAX_CODE = 64


def clean_code(value) -> str:
    """What was typed or scanned, trimmed; empty for input no row could have (too long, a NUL byte)."""
    text = "" if value is None else str(value)
    text = text.strip()
    if "\x00" in text or len(text) > MAX_CODE:
        return ""
    return text


# --- Branches --------------------------------------------------------------------------------------


def find_branch(code, *, active_only: bool = False, queryset: QuerySet | None = None) -> Branch | None:
    """The branch with this code (any case), or None."""
    wanted = clean_code(code).upper()
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
        raise BranchNotFound(code=clean_code(code) or str(code or "")[:MAX_CODE], field=field)
    return branch


# --- Staff -----------------------------------------------------------------------------------------


def find_staff(username, *, active_only: bool = True):
    """The account with this user name (any case), or None."""
    wanted = clean_code(username)
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
        raise StaffNotFound(username=clean_code(username), field=field)
    return user

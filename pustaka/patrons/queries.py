"""Reads about patrons that pages, the API, the desk and SIP2 share.

Who sees which patrons (:func:`patrons_for`):

- administrators (the ``administrator`` role, or a superuser) see every patron;
- every other member of staff holding ``patrons.view_patron`` sees the patrons whose home branch is
  their own home branch; staff without a home branch see none;
- a patron (a user without a staff role) sees no one through this function; the OPAC shows them
  their own record only (``request.user.patron``).

Looking a patron up by card number (:func:`get_by_card`) is not limited to the branch: a member of
one branch may borrow at another.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pustaka.core.choices import Role
from pustaka.core.permissions import has

from .choices import BlockReason
from .models import Patron, PatronBlock, PatronCategory

SEARCH_MAX_LENGTH = 100


def normalise_card(card: str) -> str:
    """A card number as stored: no spaces, capital letters."""
    return "".join((card or "").split()).upper()


def by_card(card: str) -> QuerySet:
    """The patron with this card number in any case: one lookup on the card-number index."""
    return Patron.objects.alias(card_upper=Upper("card_number")).filter(card_upper=normalise_card(card))


def get_by_card(card: str, *, among: QuerySet | None = None) -> Patron:
    """The patron holding ``card`` (spaces ignored, any case), or ``PatronNotFound``.

    ``among`` limits the lookup to those patrons (e.g. ``patrons_for(user)``); a card outside it is
    not found either. One query.
    """
    from pustaka.circulation.errors import PatronNotFound

    wanted = normalise_card(card)
    if not wanted or "\x00" in wanted or len(wanted) > 32:
        raise PatronNotFound(card=(card or "").strip()[:40])
    found = by_card(wanted)
    if among is not None:
        found = found.filter(pk__in=among.values("pk"))
    patron = found.select_related("category", "home_branch").first()
    if patron is None:
        raise PatronNotFound(card=(card or "").strip()[:40])
    return patron


def is_administrator(user) -> bool:
    """Superusers and holders of the administrator role."""
    if user is None:
        return True  # the system
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_pustaka_is_administrator", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=Role.ADMINISTRATOR).exists()
        user._pustaka_is_administrator = cached  # asked several times per request
    return cached


def patrons_for(user) -> QuerySet:
    """The patrons ``user`` may see as staff (see the module docstring for the rule)."""
    patrons = Patron.objects.all()
    if user is None or is_administrator(user):
        return patrons
    if not has(user, "patrons.view_patron") or not user.home_branch_id:
        return patrons.none()
    return patrons.filter(home_branch_id=user.home_branch_id)


def can_manage(user, patron: Patron) -> bool:
    """True when ``user`` may see (and, with the permission, change) ``patron``: the same rule as above."""
    if user is None or is_administrator(user):
        return True
    return bool(user.home_branch_id) and user.home_branch_id == patron.home_branch_id


def search(user, q: str = "") -> QuerySet:
    """Patrons ``user`` may see matching ``q`` (start of the card number, or words of the name).

    One query, with category, branch and whether a manual block is open (``blocked_by_staff``).
    """
    patrons = patrons_for(user).select_related("category", "home_branch")
    q = (q or "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
    if q:
        condition = Q(card_number__istartswith=normalise_card(q))
        words = q.split()
        name = Q()
        for word in words[:5]:
            name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        patrons = patrons.filter(condition | name)
    open_block = PatronBlock.objects.filter(patron=OuterRef("pk"), lifted_at__isnull=True)
    return patrons.annotate(blocked_by_staff=Exists(open_block)).order_by("last_name", "first_name", "card_number")


def detail(pk: int) -> Patron:
    """One patron with what its detail page shows (category, branch, guardian, login)."""
    return Patron.objects.select_related("category", "home_branch", "guardian", "user").get(pk=pk)


def open_blocks(patron: Patron) -> QuerySet:
    """The manual blocks not lifted yet, newest first."""
    return PatronBlock.objects.filter(patron=patron, lifted_at__isnull=True).select_related("created_by")


def block_history(patron: Patron) -> QuerySet:
    """Every manual block, lifted or not, newest first."""
    return PatronBlock.objects.filter(patron=patron).select_related("created_by", "lifted_by")


def _balance(patron: Patron) -> Decimal:
    try:
        from pustaka.circulation.queries import balance
    except ImportError:
        balance = None
    if balance is not None:
        return balance(patron)
    # Until circulation.queries exists: the ledger's charges minus its credits, one aggregate query.
    from pustaka.circulation.choices import FeeKind
    from pustaka.circulation.models import FeeEntry

    credits = list(FeeKind.credits())
    totals = FeeEntry.objects.filter(patron=patron).aggregate(
        charges=Sum("amount", filter=~Q(kind__in=credits)), credits=Sum("amount", filter=Q(kind__in=credits))
    )
    return (totals["charges"] or Decimal(0)) - (totals["credits"] or Decimal(0))


def _overdue_count(patron: Patron, now: datetime.datetime) -> int:
    try:
        from pustaka.circulation.queries import overdue_count
    except ImportError:
        overdue_count = None
    if overdue_count is not None:
        return overdue_count(patron, now=now)
    from pustaka.circulation.models import Loan

    return Loan.objects.filter(patron=patron, returned_at__isnull=True, is_lost=False, due_at__lt=now).count()


def blocks(patron: Patron, *, today: datetime.date | None = None, now=None) -> list[tuple[BlockReason, str]]:
    """Why ``patron`` may not borrow now: ``[(BlockReason, explanation), ...]``; empty = may borrow.

    Manual blocks (each open ``PatronBlock`` with its note), an expired membership, too many overdue
    items (``category.max_overdues``; 0 turns the rule off) and fines over ``category.max_fines``.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    reasons: list[tuple[BlockReason, str]] = []
    for block in open_blocks(patron):
        reasons.append((BlockReason.MANUAL, block.note))
    if patron.expires_on < today:
        reasons.append(
            (BlockReason.EXPIRED, _("Membership expired on %(date)s.") % {"date": date_format(patron.expires_on)})
        )
    category = patron.category
    if category.max_overdues:
        overdue = _overdue_count(patron, now)
        if overdue >= category.max_overdues:
            reasons.append(
                (
                    BlockReason.OVERDUES,
                    ngettext(
                        "%(count)s item overdue (blocked from %(limit)s).",
                        "%(count)s items overdue (blocked from %(limit)s).",
                        overdue,
                    )
                    % {"count": overdue, "limit": category.max_overdues},
                )
            )
    owed = _balance(patron)
    if owed > category.max_fines:
        reasons.append(
            (
                BlockReason.FINES,
                _("Owes %(amount)s (limit %(limit)s).") % {"amount": _money(owed), "limit": _money(category.max_fines)},
            )
        )
    return reasons


def _money(amount: Decimal) -> str:
    from pustaka.core.numbers import format_amount

    return format_amount(amount)


def categories() -> QuerySet:
    """Every patron category with how many patrons it has."""
    return PatronCategory.objects.annotate(patron_count=Count("patrons")).order_by("code")


def wards(patron: Patron) -> QuerySet:
    """The children this patron is the guardian of."""
    return Patron.objects.filter(guardian=patron).select_related("category").order_by("last_name", "first_name")


def mail_address(patron) -> str:
    """Where a patron's mail goes: their own address, else their guardian's."""
    if patron.email:
        return patron.email
    guardian = patron.guardian
    return guardian.email if guardian is not None else ""


def patron_of(user) -> Patron | None:
    """The active patron whose account ``user`` is (None for anonymous visitors and staff without one)."""
    if not user.is_authenticated:
        return None
    return Patron.objects.select_related("home_branch").filter(user=user, is_active=True).first()

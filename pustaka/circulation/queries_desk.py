"""Reads of the desk pages, the staff patron page's circulation panel and the OPAC account pages.

Each function loads what a page shows in a fixed number of queries, whatever the patron holds.
"""

from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from pustaka.patrons.models import Patron

from .choices import FeeKind, HoldStatus
from .models import FeeEntry, Hold, Loan

LEDGER_LINES = 50


def open_loans(patron: Patron) -> list[Loan]:
    """The patron's current loans, soonest due first, each with ``is_overdue`` set (one query).

    A loan declared lost or claimed returned is not overdue (as :func:`queries.overdue_filter`)."""
    from . import queries

    now = timezone.now()
    loans = list(queries.open_loans(patron).select_related("rule"))
    for loan in loans:
        loan.is_overdue = loan.due_at < now and not loan.is_lost and loan.claimed_returned_at is None
    return loans


def patron_holds(patron: Patron, *, open_only: bool = True) -> QuerySet:
    """The patron's holds (open ones by default), oldest first."""
    holds = Hold.objects.filter(patron=patron).select_related("record", "pickup_branch", "trapped_item")
    if open_only:
        holds = holds.filter(status__in=HoldStatus.open())
    return holds.order_by("placed_at", "id")


def holds_with_position(patron: Patron) -> list[Hold]:
    """The patron's open holds, each with ``position`` in its title's queue (waiting ones; one query)."""
    ahead = (
        Hold.objects.filter(record_id=OuterRef("record_id"), status=HoldStatus.WAITING)
        .filter(Q(placed_at__lt=OuterRef("placed_at")) | Q(placed_at=OuterRef("placed_at"), id__lt=OuterRef("id")))
        .order_by()
        .values("record_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    holds = list(patron_holds(patron).annotate(ahead=Coalesce(Subquery(ahead), 0)))
    for hold in holds:
        hold.position = hold.ahead + 1 if hold.status == HoldStatus.WAITING else None
    return holds


def outstanding_charges(patron: Patron) -> list[FeeEntry]:
    """The patron's charges that are not fully settled, oldest first, with ``outstanding`` set (two
    queries).

    A credit (waiver, refund) that names the charge it settles lowers that charge; payments, which
    name no charge, are applied to the oldest charges first (``queries.charges_with_outstanding``).
    """
    from . import queries

    return queries.outstanding_charges(patron, related=("loan__item__record",))


def ledger(patron: Patron, limit: int | None = LEDGER_LINES) -> list[FeeEntry]:
    """The patron's ledger lines, newest first, each with ``is_credit`` set (one query)."""
    from . import queries

    entries = queries.ledger(patron)
    entries = list(entries[:limit] if limit else entries)
    credits = FeeKind.credits()
    for entry in entries:
        entry.is_credit = entry.kind in credits
    return entries


def balance(patron: Patron) -> Decimal:
    """What the patron owes (charges minus credits); through the circulation queries when present."""
    from . import queries

    return queries.balance(patron)


def patron_panel(patron: Patron, *, with_ledger: bool = False) -> dict:
    """Everything the desk's patron panel (and the staff patron page) shows about a patron."""
    from pustaka.patrons.queries import blocks

    loans = open_loans(patron)
    holds = list(patron_holds(patron))
    panel = {
        "blocks": blocks(patron),
        "balance": balance(patron),
        "loans": loans,
        "overdue_count": sum(1 for loan in loans if loan.is_overdue),
        "holds_ready": [h for h in holds if h.status == HoldStatus.READY],
        "holds_open": holds,
        "charges": outstanding_charges(patron),
    }
    if with_ledger:
        panel["ledger"] = ledger(patron)
    return panel


def reading_history(patron: Patron) -> QuerySet:
    """The patron's returned loans since they chose to keep a history, newest first (none when they
    keep none)."""
    if not patron.keep_history or patron.history_since is None:
        return Loan.objects.none()
    return (
        Loan.objects.filter(patron=patron, returned_at__isnull=False, checked_out_at__gte=patron.history_since)
        .select_related("item__record")
        .order_by("-returned_at", "-id")
    )


def hold_shelf(branch) -> list[Hold]:
    """Holds ready on ``branch``'s hold shelf, oldest first, each with ``is_expired`` (shelf time over)."""
    from . import queries

    today = timezone.localdate()
    holds = list(queries.hold_shelf(branch))
    for hold in holds:
        hold.is_expired = bool(hold.shelf_until and hold.shelf_until < today)
    return holds


def in_transit_to(branch) -> QuerySet:
    """Holds whose copy is on its way to ``branch`` to be collected there."""
    return (
        Hold.objects.filter(pickup_branch=branch, status=HoldStatus.IN_TRANSIT)
        .select_related("record", "patron", "trapped_item")
        .order_by("placed_at", "id")
    )

"""Circulation reads shared by the desk pages, the OPAC, the API and SIP2.

Each function answers with a constant number of queries, whatever the number of loans.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from pustaka.holdings.choices import ItemStatus

from .choices import FeeKind, HoldStatus
from .models import FeeEntry, Hold, Loan

ZERO = Decimal("0.00")


def _pk(value):
    return getattr(value, "pk", value)


# --- Fines and fees ------------------------------------------------------------------------------


def signed_amount():
    """An expression: the amount of a ledger line, negative for credits (payments, waivers, refunds)."""
    return Case(
        When(kind__in=list(FeeKind.credits()), then=-F("amount")),
        default=F("amount"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def balance(patron) -> Decimal:
    """What the patron owes (charges minus credits). One aggregate query."""
    total = FeeEntry.objects.filter(patron_id=_pk(patron)).aggregate(total=Sum(signed_amount()))["total"]
    return (total or ZERO).quantize(Decimal("0.01"))


def balances(patrons) -> dict[int, Decimal]:
    """``{patron id: balance}`` for many patrons (lists). One query."""
    ids = [_pk(p) for p in patrons]
    rows = (
        FeeEntry.objects.filter(patron_id__in=ids)
        .values("patron_id")
        .annotate(total=Sum(signed_amount()))
        .values_list("patron_id", "total")
    )
    out = dict.fromkeys(ids, ZERO)
    out.update({pid: (total or ZERO) for pid, total in rows})
    return out


def ledger(patron) -> QuerySet:
    """The patron's ledger lines, newest first, with the loan's item."""
    return FeeEntry.objects.filter(patron_id=_pk(patron)).select_related(
        "loan__item__record", "created_by", "branch", "settles"
    )


def charges_with_outstanding(patron, *, related: tuple[str, ...] = ()) -> list[FeeEntry]:
    """Every charge of the patron, oldest first, each with ``outstanding``: what is still owed on it.

    A credit that names a charge (a waiver, a refund) settles that charge. Credits that name none
    (payments) are applied first in, first out: to the oldest charge still open, then the next. So
    the charges' outstanding amounts add up to the balance, and a paid fine is no longer listed as
    owed. Two queries (``related`` are passed to ``select_related``).
    """
    pk = _pk(patron)
    zero = Value(ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))
    charges = list(
        FeeEntry.objects.filter(patron_id=pk)
        .exclude(kind__in=list(FeeKind.credits()))
        .annotate(settled=Coalesce(Sum("settled_by__amount"), zero))
        .select_related(*related)
        .order_by("created_at", "id")
    )
    pool = (
        FeeEntry.objects.filter(patron_id=pk, kind__in=list(FeeKind.credits()), settles__isnull=True).aggregate(
            total=Sum("amount")
        )["total"]
        or ZERO
    )
    # A credit naming a charge for more than the charge (never made by the actions) counts like a payment.
    pool += sum((max(ZERO, c.settled - c.amount) for c in charges), ZERO)
    for charge in charges:
        left = max(ZERO, charge.amount - charge.settled)
        applied = min(left, pool)
        pool -= applied
        charge.outstanding = left - applied
    return charges


def outstanding_charges(patron, *, related: tuple[str, ...] = ()) -> list[FeeEntry]:
    """The patron's charges with something still owed (see :func:`charges_with_outstanding`), oldest
    first. Two queries."""
    return [c for c in charges_with_outstanding(patron, related=related) if c.outstanding > 0]


def outstanding_on(fee: FeeEntry) -> Decimal:
    """What is left to settle of one charge: its amount less the credits that name it, less its share
    of the payments applied oldest charge first (see :func:`charges_with_outstanding`). Two queries."""
    for charge in charges_with_outstanding(fee.patron_id):
        if charge.pk == fee.pk:
            return charge.outstanding
    return ZERO


# --- Loans ---------------------------------------------------------------------------------------


def open_loans(patron) -> QuerySet:
    """The patron's loans not yet returned, soonest due first, with item, record and item type."""
    return (
        Loan.objects.filter(patron_id=_pk(patron), returned_at__isnull=True)
        .select_related("item__record", "item__item_type", "item__branch", "branch")
        .order_by("due_at", "id")
    )


def overdue_filter(now=None) -> Q:
    """Loans that are open, past due, and neither declared lost nor claimed returned."""
    now = now or timezone.now()
    return Q(returned_at__isnull=True, due_at__lt=now, is_lost=False, claimed_returned_at__isnull=True)


def overdue_count(patron, now=None) -> int:
    """How many of the patron's loans are overdue. One COUNT query."""
    return Loan.objects.filter(overdue_filter(now), patron_id=_pk(patron)).count()


def open_loan_count(patron, *, item_type=None) -> int:
    """How many items the patron has on loan (lost ones excluded), optionally of one item type."""
    qs = Loan.objects.filter(patron_id=_pk(patron), returned_at__isnull=True, is_lost=False)
    if item_type is not None:
        qs = qs.filter(item__item_type_id=_pk(item_type))
    return qs.count()


def loans_for_items(items) -> dict[int, Loan]:
    """``{item id: open loan}`` for the given items (those not on loan are absent). One query."""
    ids = [_pk(i) for i in items]
    loans = Loan.objects.filter(item_id__in=ids, returned_at__isnull=True).select_related("patron")
    return {loan.item_id: loan for loan in loans}


def current_loan(item) -> Loan | None:
    """The open loan of ``item``, or None."""
    return (
        Loan.objects.filter(item_id=_pk(item), returned_at__isnull=True)
        .select_related("patron__category", "branch", "rule")
        .first()
    )


def loans(*, patron=None, open=None, overdue=False, now=None) -> QuerySet:
    """Loans for lists (API, pages): filtered by patron, open or returned, overdue."""
    qs = Loan.objects.select_related("item__record", "patron", "branch")
    if patron is not None:
        qs = qs.filter(patron_id=_pk(patron))
    if open is not None:
        qs = qs.filter(returned_at__isnull=open)
    if overdue:
        qs = qs.filter(overdue_filter(now))
    return qs


# --- Holds ---------------------------------------------------------------------------------------


def holds_queue(record) -> QuerySet:
    """Open holds on ``record`` in queue order (placed first, served first)."""
    return (
        Hold.objects.filter(record_id=_pk(record), status__in=list(HoldStatus.open()))
        .select_related("patron", "pickup_branch", "item", "trapped_item")
        .order_by("placed_at", "id")
    )


def waiting_holds_for(item, *, today=None) -> QuerySet:
    """Waiting holds this copy could serve, in the order they are served: holds on this very copy
    first, then holds on the title; each in queue order. Expired ones are left out."""
    today = today or timezone.localdate()
    return (
        Hold.objects.filter(record_id=item.record_id, status=HoldStatus.WAITING)
        .filter(Q(item__isnull=True) | Q(item_id=item.pk))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("patron", "pickup_branch")
        .annotate(copy_level=Case(When(item__isnull=True, then=Value(1)), default=Value(0)))
        .order_by("copy_level", "placed_at", "id")
    )


def hold_shelf(branch) -> QuerySet:
    """Holds ready on the hold shelf of ``branch``, those leaving the shelf soonest first."""
    return (
        Hold.objects.filter(pickup_branch_id=_pk(branch), status=HoldStatus.READY)
        .select_related("patron", "record", "trapped_item")
        .order_by("shelf_until", "ready_at", "id")
    )


def holds(*, patron=None, record=None, status=None) -> QuerySet:
    """Holds for lists (API, pages)."""
    qs = Hold.objects.select_related("record", "patron", "pickup_branch", "item", "trapped_item")
    if patron is not None:
        qs = qs.filter(patron_id=_pk(patron))
    if record is not None:
        qs = qs.filter(record_id=_pk(record))
    if status == "open":
        qs = qs.filter(status__in=list(HoldStatus.open()))
    elif status:
        qs = qs.filter(status=status)
    return qs


def queue_position(hold: Hold) -> int:
    """1 for the first hold in its title's queue. One query."""
    return (
        Hold.objects.filter(record_id=hold.record_id, status=HoldStatus.WAITING)
        .filter(Q(placed_at__lt=hold.placed_at) | Q(placed_at=hold.placed_at, id__lt=hold.pk))
        .count()
        + 1
    )


# --- Availability for the public catalogue -------------------------------------------------------


@dataclass
class BranchAvailability:
    """One branch's copies of one title: on the shelf, on loan (with the earliest due date), on the hold shelf."""

    branch_id: int
    branch_code: str
    branch_name: str
    available: int = 0
    on_loan: int = 0
    earliest_due: object = None
    on_hold_shelf: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.available + self.on_loan + self.on_hold_shelf + self.other


@dataclass
class RecordAvailability:
    record_id: int
    branches: list[BranchAvailability] = field(default_factory=list)

    @property
    def available(self) -> int:
        return sum(b.available for b in self.branches)


def availability(records) -> dict[int, RecordAvailability]:
    """For each record, per branch: copies available, on loan (earliest due), on the hold shelf.

    Two queries whatever the number of records. Withdrawn, sold and discarded copies are not counted.
    """
    from pustaka.holdings.models import Item

    ids = [_pk(r) for r in records]
    rows = (
        Item.objects.filter(record_id__in=ids)
        .exclude(status__in=list(ItemStatus.public_hidden()))
        .values("record_id", "branch_id", "branch__code", "branch__name", "status")
        .annotate(n=Count("id"))
        .order_by("record_id", "branch__code")
    )
    due_rows = (
        Loan.objects.filter(item__record_id__in=ids, returned_at__isnull=True)
        .values("item__record_id", "item__branch_id")
        .annotate(first_due=Min("due_at"))
    )
    earliest = {(r["item__record_id"], r["item__branch_id"]): r["first_due"] for r in due_rows}
    cells: dict[int, dict[int, BranchAvailability]] = defaultdict(dict)
    for row in rows:
        cell = cells[row["record_id"]].setdefault(
            row["branch_id"],
            BranchAvailability(row["branch_id"], row["branch__code"], row["branch__name"]),
        )
        status, n = row["status"], row["n"]
        if status == ItemStatus.AVAILABLE:
            cell.available += n
        elif status == ItemStatus.ON_LOAN:
            cell.on_loan += n
            cell.earliest_due = earliest.get((row["record_id"], row["branch_id"]))
        elif status == ItemStatus.ON_HOLD_SHELF:
            cell.on_hold_shelf += n
        else:
            cell.other += n
    return {rid: RecordAvailability(rid, list(cells.get(rid, {}).values())) for rid in ids}

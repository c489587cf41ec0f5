"""Every circulation write: lending, returning, renewing, holds, lost and claimed-returned items,
the fines ledger, loan rules and closed days.

Each action is keyword-only and runs in one transaction: permission check, refusals (typed errors
from :mod:`.errors`), the write, an audit event, side effects on commit. ``actor`` is a staff user,
``None`` for the system, or — for self-service from the OPAC (renew, place and cancel holds) — the
patron's own login; acting on someone else's account then raises :class:`NotYourAccount`.

Overrides: when ``override=True`` and the actor holds ``circulation.override_circulation``, an
overridable refusal is recorded (``Loan.overridden`` and the audit event) instead of raised.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import PermissionDenied, PustakaError, ValidationFailed
from pustaka.core.models import Branch
from pustaka.core.numbers import Money, read_amount
from pustaka.core.permissions import has, is_staff_member, require
from pustaka.holdings import actions as holdings_actions
from pustaka.holdings import transitions
from pustaka.holdings.choices import ItemStatus, Workflow
from pustaka.holdings.models import Item
from pustaka.patrons.models import Patron

from . import calendar, queries
from .choices import FeeKind, HoldStatus, PaymentMethod
from .errors import (
    AlreadyOnLoan,
    CannotTrap,
    ClaimRefused,
    ClosedDayExists,
    FeeNotCharge,
    HeldForAnother,
    HoldAlreadyOnShelf,
    HoldNotOpen,
    HoldRefused,
    InvalidAmount,
    ItemNotAvailable,
    ItemNotLoanable,
    LoanLimitReached,
    NotInTransit,
    NotOnLoan,
    NotYourAccount,
    PatronBlocked,
    PatronOfAnotherBranch,
    RenewalRefused,
    RuleExists,
    staff_message,
)
from .models import ClosedDay, FeeEntry, Hold, Loan, LoanRule
from .rules import find_rule

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass
class CheckinResult:
    """What a return (or a transit arrival) did: where the copy goes next, and any fine charged."""

    loan: Loan | None
    item: Item
    destination: str  # "shelf" | "hold_shelf" | "transit"
    hold: Hold | None = None
    fine: FeeEntry | None = None
    transit_to: Branch | None = None
    messages: list[str] = field(default_factory=list)


# --- Helpers -------------------------------------------------------------------------------------


def _now(now):
    return now or timezone.now()


def _staff(actor) -> bool:
    return actor is None or is_staff_member(actor)


def _item_actor(actor):
    """Who moves the item: the staff member, or the system for a patron's own self-service action."""
    return actor if actor is not None and is_staff_member(actor) else None


def _authorize(actor, patron, perm: str, *, self_service: bool) -> bool:
    """Allow staff holding ``perm``, or (``self_service``) the patron's own login.

    Returns True when the actor acts as staff. A patron acting on another account gets
    :class:`NotYourAccount`; a member of staff without ``perm`` gets :class:`PermissionDenied`.
    """
    if has(actor, perm):
        return True
    if self_service and actor is not None and patron.user_id and actor.pk == patron.user_id:
        return False
    if actor is not None and not is_staff_member(actor):
        raise NotYourAccount()
    raise PermissionDenied()


def _require_scope(actor, patron) -> None:
    """Staff act on a member's loans and ledger only when they may serve that member
    (:func:`pustaka.patrons.queries.can_manage`: their home branch's members; administrators all)."""
    from pustaka.patrons.queries import can_manage

    if actor is not None and is_staff_member(actor) and not can_manage(actor, patron):
        branch = patron.home_branch.code if patron.home_branch_id else "?"
        raise PatronOfAnotherBranch(patron=patron.card_number, branch=branch)


@dataclass
class _Blocks:
    """Why a patron may not borrow, twice: ``public`` names only the kinds of block (what a patron,
    the OPAC and SIP2 may see), ``staff`` the explanations (a manual block's note is for staff)."""

    public: list[str]
    staff: list[str]

    def __bool__(self) -> bool:
        return bool(self.public)


def _block_reasons(patron, now) -> _Blocks:
    from pustaka.patrons.queries import blocks

    found = blocks(patron, now=now)
    public, staff = [], []
    for reason, text in found:
        label = str(reason.label)
        if label not in public:
            public.append(label)
        staff.append((str(text) or label).rstrip(". "))
    if not patron.is_active:
        public.insert(0, gettext("the membership is not active"))
        staff.insert(0, gettext("the membership is not active"))
    return _Blocks(public=public, staff=staff)


def _blocked(patron, reasons: _Blocks) -> PatronBlocked:
    return PatronBlocked(
        patron=patron.full_name or patron.card_number,
        reasons="; ".join(reasons.public),
        staff={"reasons": "; ".join(reasons.staff)},
    )


def _blocked_reason(reasons: _Blocks) -> dict:
    """``reason`` (public) and ``staff`` params of a renewal or hold refused because of blocks."""
    text = gettext("the patron is blocked: %(reasons)s")
    return {
        "reason": text % {"reasons": "; ".join(reasons.public)},
        "staff": {"reason": text % {"reasons": "; ".join(reasons.staff)}},
    }


class _Refusals:
    """Collects refusals: non-overridable ones are raised at once, overridable ones at the end
    unless the actor overrides them (then they are listed in ``overridden``)."""

    def __init__(self, actor, override: bool):
        self.may_override = bool(override) and has(actor, "circulation.override_circulation")
        self.overridden: list[PustakaError] = []

    def add(self, error: PustakaError, *, overridable: bool | None = None) -> None:
        can = error.overridable if overridable is None else overridable
        if can and self.may_override:
            self.overridden.append(error)
            return
        raise error

    @property
    def codes(self) -> str:
        return ", ".join(e.code for e in self.overridden)[:200]


def _money(value, *, field="amount") -> Decimal:
    try:
        amount = read_amount(value, field=field, label=_("Amount"), error=InvalidAmount).quantize(CENT)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidAmount(field=field, limit=Money(MAX_AMOUNT)) from None
    if not amount.is_finite():
        raise InvalidAmount(field=field, limit=Money(MAX_AMOUNT))
    return amount


def _rule_for_loan(loan: Loan) -> LoanRule:
    if loan.rule_id:
        return loan.rule
    return find_rule(category=loan.patron.category_id, item_type=loan.item.item_type_id, branch=loan.branch_id)


def overdue_fine(loan: Loan, until: datetime.datetime) -> Decimal:
    """The fine a loan has earned by ``until``: open days of the lending branch after the due date,
    less the rule's grace days, times the fine per day, at most the rule's maximum."""
    if until <= loan.due_at:
        return ZERO
    rule = _rule_for_loan(loan)
    days = calendar.open_days_between(loan.branch, loan.due_at, until) - rule.grace_days
    if days <= 0 or not rule.fine_per_day:
        return ZERO
    return min(Decimal(days) * rule.fine_per_day, rule.max_fine).quantize(CENT)


def _add_fee(*, patron, kind, amount, actor, loan=None, note="", branch=None, settles=None, method="") -> FeeEntry:
    return FeeEntry.objects.create(
        patron=patron,
        kind=kind,
        amount=amount,
        loan=loan,
        note=note[:300],
        branch=branch,
        settles=settles,
        payment_method=method,
        created_by=actor if actor is not None and actor.pk else None,
    )


def _charge_overdue(loan: Loan, until, actor, branch) -> FeeEntry | None:
    amount = overdue_fine(loan, until)
    if amount <= 0:
        return None
    fee = _add_fee(patron=loan.patron, kind=FeeKind.OVERDUE, amount=amount, actor=actor, loan=loan, branch=branch)
    audit(actor, "circulation.fee.charge", fee, after={"kind": fee.kind, "amount": str(amount), "loan": loan.pk})
    return fee


def _move(item: Item, to: str, actor) -> Item:
    if item.status == to:
        return item
    return holdings_actions.move_item(item=item, to=to, actor=_item_actor(actor), workflow=Workflow.DESK)


def _notify(kind: str, pk: int) -> None:
    """Send a notice after commit if the notices module offers it (written by the desk helper)."""
    try:
        from . import notices
    except ImportError:
        return
    sender = getattr(notices, kind, None)
    if sender is None:
        return
    try:
        sender(pk)
    except Exception:  # a notice that fails must not undo a loan; the notices module logs its errors
        return


def _shelf_until(hold: Hold, item: Item, now) -> datetime.date:
    rule = find_rule(category=hold.patron.category_id, item_type=item.item_type_id, branch=hold.pickup_branch_id)
    today = timezone.localtime(now).date()
    return calendar.next_open_day(hold.pickup_branch, today + datetime.timedelta(days=rule.hold_shelf_days))


def _trap(item: Item, hold: Hold, here: Branch, actor, now) -> tuple[Item, str]:
    """Set ``item`` aside for ``hold``: onto the hold shelf if it is at the pickup branch, else in transit."""
    before = snapshot(hold, ["status", "trapped_item", "shelf_until"])
    hold.trapped_item = item
    if hold.pickup_branch_id == here.pk:
        item = _move(item, ItemStatus.ON_HOLD_SHELF, actor)
        hold.status = HoldStatus.READY
        hold.ready_at = now
        hold.shelf_until = _shelf_until(hold, item, now)
        destination = "hold_shelf"
        transaction.on_commit(lambda pk=hold.pk: _notify("hold_ready", pk))
    else:
        item = _move(item, ItemStatus.IN_TRANSIT, actor)
        hold.status = HoldStatus.IN_TRANSIT
        destination = "transit"
    hold.save(update_fields=["trapped_item", "status", "ready_at", "shelf_until"])
    audit(actor, "circulation.hold.trap", hold, before=before, after=snapshot(hold, list(before)))
    return item, destination


def _route(item: Item, here: Branch, actor, now, result: CheckinResult) -> CheckinResult:
    """Send a copy that is back in the library to the next hold, home, or the shelf."""
    hold = queries.waiting_holds_for(item, today=timezone.localtime(now).date()).first()
    if hold is not None:
        item, result.destination = _trap(item, hold, here, actor, now)
        result.hold = hold
        if result.destination == "transit":
            result.transit_to = hold.pickup_branch
    elif item.branch_id != here.pk:
        item = _move(item, ItemStatus.IN_TRANSIT, actor)
        result.destination = "transit"
        result.transit_to = item.branch
    else:  # back on the shelving trolley: the shelving queue confirms it on the shelf (issue 3)
        item = _move(item, ItemStatus.READY_FOR_SHELVING, actor)
        result.destination = "shelf"
    result.item = item
    return result


def _release(item: Item, here_id: int, actor, now) -> None:
    """A copy set aside for a hold that ended (cancelled, expired): the next hold, home, or the shelf."""
    item = Item.objects.select_related("branch").get(pk=item.pk)
    if item.status != ItemStatus.ON_HOLD_SHELF:
        return  # in transit: it is routed when it arrives
    here = Branch.objects.get(pk=here_id)
    hold = queries.waiting_holds_for(item, today=timezone.localtime(now).date()).first()
    if hold is not None:
        _trap(item, hold, here, actor, now)
    elif item.branch_id != here.pk:
        _move(item, ItemStatus.IN_TRANSIT, actor)
    else:
        _move(item, ItemStatus.READY_FOR_SHELVING, actor)


# --- Lending -------------------------------------------------------------------------------------

#: Where a copy may be lent from (the shelf, the hold shelf, the shelving trolley) and set aside for a
#: hold from: read from the lifecycle table, so the desk and the table never disagree.
LENDABLE_STATUSES = transitions.sources("holdings.item.lend")
TRAPPABLE_STATUSES = transitions.sources("holdings.item.trap_hold")


@transaction.atomic
def checkout(*, item, patron, branch, actor, override=False, now=None) -> Loan:
    """Lend ``item`` to ``patron`` at ``branch``; the due date follows the loan rule and the calendar.

    Refused when the item is on loan, not available, not loanable, on the hold shelf for someone
    else or (on the shelf) asked for by name by someone else first (the first waiting hold on this
    very copy is another patron's), the patron is blocked or at the loan limit. A copy on the hold
    shelf for this patron (or a waiting hold of theirs on the title) is fulfilled by the loan.
    """
    require(actor, "circulation.add_loan")
    now = _now(now)
    refusals = _Refusals(actor, override)
    item = Item.objects.select_for_update(of=("self",)).select_related("item_type", "record").get(pk=item.pk)
    existing = Loan.objects.filter(item_id=item.pk, returned_at__isnull=True).select_related("patron").first()
    if existing is not None:
        raise AlreadyOnLoan(barcode=item.barcode, patron=existing.patron.full_name or existing.patron.card_number)
    if item.status not in LENDABLE_STATUSES:
        raise ItemNotAvailable(barcode=item.barcode, status=ItemStatus(item.status).label)
    own_hold = None
    if item.status == ItemStatus.ON_HOLD_SHELF:
        shelf_hold = Hold.objects.filter(trapped_item_id=item.pk, status__in=list(HoldStatus.open())).first()
        if shelf_hold is not None and shelf_hold.patron_id != patron.pk:
            refusals.add(HeldForAnother(barcode=item.barcode))
            before = snapshot(shelf_hold, ["status", "trapped_item"])
            shelf_hold.status, shelf_hold.trapped_item, shelf_hold.ready_at, shelf_hold.shelf_until = (
                HoldStatus.WAITING,
                None,
                None,
                None,
            )
            shelf_hold.save(update_fields=["status", "trapped_item", "ready_at", "shelf_until"])
            audit(actor, "circulation.hold.untrap", shelf_hold, before=before, after={"status": HoldStatus.WAITING})
        else:
            own_hold = shelf_hold
    else:
        # An available copy someone asked for by name (an item-level hold) is theirs first: the first
        # waiting hold on this very copy decides.
        first = (
            Hold.objects.filter(item_id=item.pk, status=HoldStatus.WAITING)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localtime(now).date()))
            .order_by("placed_at", "id")
            .only("id", "patron_id")
            .first()
        )
        if first is not None and first.patron_id != patron.pk:
            refusals.add(HeldForAnother(barcode=item.barcode))
    if not item.item_type.is_loanable:
        refusals.add(ItemNotLoanable(barcode=item.barcode))
    reasons = _block_reasons(patron, now)
    if reasons:
        refusals.add(_blocked(patron, reasons))
    rule = find_rule(category=patron.category_id, item_type=item.item_type_id, branch=branch.pk)
    count = queries.open_loan_count(patron, item_type=rule.item_type_id)
    if count >= rule.max_items:
        refusals.add(LoanLimitReached(patron=patron.full_name or patron.card_number, count=count, limit=rule.max_items))
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                item=item,
                patron=patron,
                branch=branch,
                rule=rule if rule.pk else None,
                checked_out_at=now,
                due_at=calendar.due_at(branch, now, rule.loan_days),
                checked_out_by=actor if actor is not None and actor.pk else None,
                overridden=refusals.codes,
            )
    except IntegrityError:
        other = Loan.objects.filter(item_id=item.pk, returned_at__isnull=True).select_related("patron").first()
        raise AlreadyOnLoan(
            barcode=item.barcode, patron=(other.patron.full_name if other else "") or gettext("another patron")
        ) from None
    _move(item, ItemStatus.ON_LOAN, actor)
    if own_hold is None:
        own_hold = (
            Hold.objects.filter(patron_id=patron.pk, record_id=item.record_id, status=HoldStatus.WAITING)
            .filter(Q(item__isnull=True) | Q(item_id=item.pk))
            .order_by("placed_at")
            .first()
        )
    if own_hold is not None:
        own_hold.status, own_hold.closed_at, own_hold.trapped_item = HoldStatus.FULFILLED, now, item
        own_hold.save(update_fields=["status", "closed_at", "trapped_item"])
        audit(actor, "circulation.hold.fulfil", own_hold, after={"status": HoldStatus.FULFILLED, "loan": loan.pk})
    after = {
        "item": item.barcode,
        "patron": patron.card_number,
        "branch": branch.code,
        "due_at": loan.due_at.isoformat(),
        "rule": loan.rule_id,
    }
    if refusals.overridden:
        after["overridden"] = [{"code": e.code, "message": staff_message(e)} for e in refusals.overridden]
    audit(actor, "circulation.loan.checkout", loan, after=after)
    return loan


@transaction.atomic
def checkin(*, item, branch, actor, now=None) -> CheckinResult:
    """Return ``item`` at ``branch`` (any branch).

    The loan closes; an overdue fine is charged by the calendar (open days only, grace days free, at
    most the rule's maximum; for a claimed-returned loan only up to the claim). The copy then goes to
    the hold shelf for the first waiting hold (holds on this copy first, then on the title), in
    transit to the hold's pickup branch or to its home branch, or back to the shelf. A copy declared
    lost that comes back goes to be re-shelved and the lost-item charge is refunded (up to what is
    owed). A copy in transit scanned here is received (see :func:`receive_transit`). A copy marked
    missing (by a stocktake or a pull list) that turns up is found: it goes to a waiting hold or the
    shelving trolley, and drops off the list of copies to look for.
    """
    require(actor, "circulation.change_loan")
    now = _now(now)
    item = Item.objects.select_for_update(of=("self",)).select_related("record", "branch").get(pk=item.pk)
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .filter(item_id=item.pk, returned_at__isnull=True)
        .select_related("patron__category", "branch", "rule")
        .first()
    )
    if loan is None:
        if item.status == ItemStatus.IN_TRANSIT:
            return _receive(item, branch, actor, now)
        if item.status == ItemStatus.MISSING:  # found: it comes back, to a waiting hold or the shelf
            item = _move(item, ItemStatus.READY_FOR_SHELVING, actor)
            audit(actor, "circulation.loan.checkin", item, after={"item": item.barcode, "found_missing": True})
            return _route(item, branch, actor, now, CheckinResult(loan=None, item=item, destination="shelf"))
        if item.status != ItemStatus.ON_LOAN:
            raise NotOnLoan(barcode=item.barcode)
        # An item marked on loan without a loan row (data from before the circulation module).
        audit(actor, "circulation.loan.checkin", item, after={"item": item.barcode, "without_loan": True})
        return _route(item, branch, actor, now, CheckinResult(loan=None, item=item, destination="shelf"))
    loan.item = item
    result = CheckinResult(loan=loan, item=item, destination="shelf")
    fine_until = min(now, loan.claimed_returned_at) if loan.claimed_returned_at else now
    if not loan.is_lost:
        result.fine = _charge_overdue(loan, fine_until, actor, branch)
    before = snapshot(loan, ["returned_at", "return_branch", "checked_in_by"])
    loan.returned_at, loan.return_branch, loan.checked_in_by = now, branch, actor if actor and actor.pk else None
    loan.save(update_fields=["returned_at", "return_branch", "checked_in_by"])
    if loan.is_lost:
        _refund_lost(loan, actor, branch)
        result.item = _move(item, ItemStatus.READY_FOR_SHELVING, actor)
        result.destination = "shelf"
    else:
        _route(item, branch, actor, now, result)
    after = snapshot(loan, list(before)) | {"destination": result.destination}
    if result.fine is not None:
        after["fine"] = str(result.fine.amount)
    audit(actor, "circulation.loan.checkin", loan, before=before, after=after)
    return result


def _refund_lost(loan: Loan, actor, branch) -> None:
    lost = FeeEntry.objects.filter(loan=loan, kind=FeeKind.LOST).first()
    if lost is None:
        return
    owed = queries.balance(loan.patron)
    amount = min(queries.outstanding_on(lost), max(owed, ZERO))
    if amount > 0:
        fee = _add_fee(
            patron=loan.patron,
            kind=FeeKind.REFUND,
            amount=amount,
            actor=actor,
            loan=loan,
            settles=lost,
            branch=branch,
            note=gettext("Lost item returned"),
        )
        audit(actor, "circulation.fee.refund", fee, after={"amount": str(amount), "settles": lost.pk})


def _receive(item: Item, branch, actor, now) -> CheckinResult:
    result = CheckinResult(loan=None, item=item, destination="transit")
    hold = Hold.objects.filter(trapped_item_id=item.pk, status=HoldStatus.IN_TRANSIT).select_related(
        "patron", "pickup_branch"
    )
    hold = hold.first()
    if hold is not None:
        result.hold = hold
        if hold.pickup_branch_id == branch.pk:
            before = snapshot(hold, ["status", "shelf_until"])
            result.item = _move(item, ItemStatus.ON_HOLD_SHELF, actor)
            hold.status, hold.ready_at, hold.shelf_until = HoldStatus.READY, now, _shelf_until(hold, item, now)
            hold.save(update_fields=["status", "ready_at", "shelf_until"])
            audit(actor, "circulation.hold.ready", hold, before=before, after=snapshot(hold, list(before)))
            transaction.on_commit(lambda pk=hold.pk: _notify("hold_ready", pk))
            result.destination = "hold_shelf"
        else:
            result.transit_to = hold.pickup_branch
        return result
    if item.branch_id != branch.pk:
        # Not home yet; a hold placed meanwhile may still claim it.
        waiting = queries.waiting_holds_for(item, today=timezone.localtime(now).date()).first()
        if waiting is None:
            result.transit_to = item.branch
            return result
    return _route(item, branch, actor, now, result)


@transaction.atomic
def receive_transit(*, item, branch, actor, now=None) -> CheckinResult:
    """A copy in transit arrives at ``branch``: onto the hold shelf for its hold, onto the shelf at
    home, or on towards where it belongs."""
    require(actor, "circulation.change_loan")
    now = _now(now)
    item = Item.objects.select_for_update(of=("self",)).select_related("record", "branch").get(pk=item.pk)
    if item.status != ItemStatus.IN_TRANSIT:
        raise NotInTransit(barcode=item.barcode)
    result = _receive(item, branch, actor, now)
    audit(
        actor,
        "circulation.transit.receive",
        item,
        after={"branch": branch.code, "destination": result.destination},
    )
    return result


# --- Renewals ------------------------------------------------------------------------------------


@transaction.atomic
def renew(*, loan, actor, override=False, now=None) -> Loan:
    """Extend a loan by the rule's loan period from now (never shortening it).

    Refused (with the reason) when another patron waits for the title or this copy, the renewals
    allowed are used up, the patron is blocked, or the loan is lost or claimed returned. Staff with
    the override permission may renew anyway. A patron may renew their own loans from the OPAC. An
    overdue loan renewed is charged the fine earned so far.
    """
    now = _now(now)
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("patron__category", "item__record", "branch", "rule")
        .get(pk=loan.pk)
    )
    as_staff = _authorize(actor, loan.patron, "circulation.change_loan", self_service=True)
    if as_staff:
        _require_scope(actor, loan.patron)
    refusals = _Refusals(actor, override and as_staff)
    barcode = loan.item.barcode
    if loan.returned_at is not None:
        raise NotOnLoan(barcode=barcode)
    if loan.is_lost:
        raise RenewalRefused(barcode=barcode, reason=gettext("it has been declared lost"))
    if loan.claimed_returned_at:
        raise RenewalRefused(barcode=barcode, reason=gettext("the patron says it was returned"))
    rule = _rule_for_loan(loan)
    if queries.waiting_holds_for(loan.item, today=timezone.localtime(now).date()).exclude(patron=loan.patron).exists():
        refusals.add(
            RenewalRefused(barcode=barcode, reason=gettext("another patron has placed a hold on it")), overridable=True
        )
    if loan.renewals >= rule.renewals:
        refusals.add(
            RenewalRefused(
                barcode=barcode,
                reason=ngettext(
                    "it has been renewed %(count)s time, the most allowed",
                    "it has been renewed %(count)s times, the most allowed",
                    loan.renewals,
                )
                % {"count": loan.renewals},
            ),
            overridable=True,
        )
    reasons = _block_reasons(loan.patron, now)
    if reasons:
        refusals.add(RenewalRefused(barcode=barcode, **_blocked_reason(reasons)), overridable=True)
    if now > loan.due_at:
        _charge_overdue(loan, now, actor, None)
    before = snapshot(loan, ["due_at", "renewals"])
    loan.due_at = max(loan.due_at, calendar.due_at(loan.branch, now, rule.loan_days))
    loan.renewals += 1
    if refusals.overridden:
        loan.overridden = ", ".join(filter(None, [loan.overridden, refusals.codes]))[:200]
    loan.save(update_fields=["due_at", "renewals", "overridden"])
    after = snapshot(loan, list(before))
    if refusals.overridden:
        after["overridden"] = [{"code": e.code, "message": staff_message(e)} for e in refusals.overridden]
    audit(actor, "circulation.loan.renew", loan, before=before, after=after)
    return loan


def renew_all(*, patron, actor, now=None) -> list[tuple[Loan, PustakaError | None]]:
    """Try to renew every open loan of ``patron``; each answer is the loan and its refusal (or None).
    A member of staff who may not serve the patron is refused once, before any loan."""
    if has(actor, "circulation.change_loan"):
        _require_scope(actor, patron)
    out = []
    for loan in queries.open_loans(patron):
        try:
            out.append((renew(loan=loan, actor=actor, now=now), None))
        except (NotYourAccount, PermissionDenied):
            raise
        except PustakaError as error:
            out.append((loan, error))
    return out


# --- Holds ---------------------------------------------------------------------------------------


def _holdable_copies(record, item=None):
    qs = Item.objects.filter(record_id=record.pk).exclude(
        status__in=[*ItemStatus.public_hidden(), ItemStatus.LOST, ItemStatus.MISSING]
    )
    if item is not None:
        qs = qs.filter(pk=item.pk)
    return list(qs.select_related("item_type", "branch"))


@transaction.atomic
def place_hold(*, patron, record, pickup_branch, actor, item=None, expires_on=None, now=None) -> Hold:
    """Place a hold (reservation) on a title, or on one copy (``item``), to collect at ``pickup_branch``.

    Refused when the patron is blocked, already has an open hold on the title or has it on loan, no
    copy may be held under the loan rules, a copy is on the shelf and the rule does not allow holds
    then, or ``expires_on`` has passed. A patron may place holds for themselves from the OPAC.
    """
    now = _now(now)
    _authorize(actor, patron, "circulation.add_hold", self_service=True)
    today = timezone.localtime(now).date()

    def refuse(reason, staff=None):
        raise HoldRefused(reason=reason, staff=staff)

    if item is not None and item.record_id != record.pk:
        refuse(gettext("that copy belongs to another title"))
    if not pickup_branch.is_active:
        refuse(gettext("the branch %(branch)s is not open for pickups") % {"branch": pickup_branch.name})
    if expires_on is not None and expires_on < today:
        raise HoldRefused(reason=gettext("the “not needed after” date has passed"), field="expires_on")
    reasons = _block_reasons(patron, now)
    if reasons:
        refuse(**_blocked_reason(reasons))
    if Hold.objects.filter(patron=patron, record=record, status__in=list(HoldStatus.open())).exists():
        refuse(gettext("there is already a hold on this title for this patron"))
    if Loan.objects.filter(patron=patron, item__record=record, returned_at__isnull=True).exists():
        refuse(gettext("the patron already has this title on loan"))
    copies = _holdable_copies(record, item)
    rules = {}
    holdable = []
    for copy in copies:
        key = (copy.item_type_id, copy.branch_id)
        if key not in rules:
            rules[key] = find_rule(category=patron.category_id, item_type=copy.item_type_id, branch=copy.branch_id)
        if copy.item_type.is_loanable and rules[key].holds_allowed:
            holdable.append(copy)
    if not holdable:
        refuse(gettext("no copy of this title can be held"))
    on_shelf = [c for c in holdable if c.status in TRAPPABLE_STATUSES]
    if on_shelf and not any(rules[(c.item_type_id, c.branch_id)].holds_when_available for c in on_shelf):
        where = {"branch": on_shelf[0].branch.name}
        refuse(gettext("a copy is on the shelf at %(branch)s; take it from there") % where)
    hold = Hold.objects.create(
        record=record,
        item=item,
        patron=patron,
        pickup_branch=pickup_branch,
        placed_at=now,
        expires_on=expires_on,
        placed_by=actor if actor is not None and actor.pk else None,
    )
    audit(actor, "circulation.hold.place", hold, after=snapshot(hold, ["record", "item", "patron", "pickup_branch"]))
    return hold


def _close_hold(hold: Hold, status: str, actor, now) -> Hold:
    before = snapshot(hold, ["status", "closed_at"])
    trapped, trapped_at = hold.trapped_item, hold.pickup_branch_id
    hold.status, hold.closed_at = status, now
    hold.save(update_fields=["status", "closed_at"])
    verb = "circulation.hold.cancel" if status == HoldStatus.CANCELLED else "circulation.hold.expire"
    audit(actor, verb, hold, before=before, after=snapshot(hold, list(before)))
    if trapped is not None and before["status"] == HoldStatus.READY:
        _release(trapped, trapped_at, actor, now)
    return hold


@transaction.atomic
def cancel_hold(*, hold, actor, now=None) -> Hold:
    """Cancel an open hold (staff, or the patron for their own). A copy waiting on the hold shelf for
    it goes to the next hold, home, or back to be shelved."""
    now = _now(now)
    hold = Hold.objects.select_for_update(of=("self",)).select_related("patron", "trapped_item").get(pk=hold.pk)
    _authorize(actor, hold.patron, "circulation.change_hold", self_service=True)
    if hold.status not in HoldStatus.open():
        raise HoldNotOpen()
    return _close_hold(hold, HoldStatus.CANCELLED, actor, now)


@transaction.atomic
def change_hold(*, hold, actor, pickup_branch=None, expires_on=None, now=None) -> Hold:
    """Change an open hold's pickup branch and/or "not needed after" date, keeping its place in the
    queue (staff, or the patron for their own). A copy already on the hold shelf keeps its branch."""
    hold = Hold.objects.select_for_update(of=("self",)).select_related("patron", "pickup_branch").get(pk=hold.pk)
    _authorize(actor, hold.patron, "circulation.change_hold", self_service=True)
    if hold.status not in HoldStatus.open():
        raise HoldNotOpen()
    before = snapshot(hold, ["pickup_branch", "expires_on"])
    if pickup_branch is not None and pickup_branch.pk != hold.pickup_branch_id:
        if hold.status != HoldStatus.WAITING:
            raise HoldAlreadyOnShelf(branch=hold.pickup_branch.name)
        hold.pickup_branch = pickup_branch
    if expires_on is not None:
        if expires_on < timezone.localtime(_now(now)).date():
            raise ValidationFailed(gettext("The date is already past."), field="expires_on")
        hold.expires_on = expires_on
    old, new = diff(before, snapshot(hold, ["pickup_branch", "expires_on"]))
    if new:
        hold.save(update_fields=["pickup_branch", "expires_on"])
        audit(actor, "circulation.hold.change", hold, before=old, after=new)
    return hold


@transaction.atomic
def expire_holds(*, actor=None, today=None) -> int:
    """Close holds past their "not needed after" date and holds left on the hold shelf past
    ``shelf_until``; their copies go to the next hold or back. Returns how many holds expired."""
    if actor is not None:
        require(actor, "circulation.change_hold")
    today = today or timezone.localdate()
    now = timezone.now()
    stale = Hold.objects.select_for_update(of=("self",)).filter(
        Q(status=HoldStatus.WAITING, expires_on__lt=today) | Q(status=HoldStatus.READY, shelf_until__lt=today)
    )
    count = 0
    for hold in stale.select_related("patron", "trapped_item").order_by("placed_at", "id"):
        _close_hold(hold, HoldStatus.EXPIRED, actor, now)
        count += 1
    return count


@transaction.atomic
def trap_hold(*, hold, item, actor, now=None) -> Hold:
    """Set an available copy aside for ``hold`` (the pull step): onto the hold shelf when the copy is
    at the pickup branch, otherwise in transit there."""
    require(actor, "circulation.change_hold")
    now = _now(now)
    hold = Hold.objects.select_for_update(of=("self",)).select_related("patron", "pickup_branch").get(pk=hold.pk)
    item = Item.objects.select_for_update(of=("self",)).select_related("branch").get(pk=item.pk)
    if hold.status != HoldStatus.WAITING:
        raise HoldNotOpen()
    if item.record_id != hold.record_id or (hold.item_id and hold.item_id != item.pk):
        raise CannotTrap(barcode=item.barcode, reason=gettext("it is not a copy this hold asks for"))
    if item.status not in TRAPPABLE_STATUSES:
        raise CannotTrap(barcode=item.barcode, reason=ItemStatus(item.status).label)
    _trap(item, hold, item.branch, actor, now)
    return hold


# --- Lost and claimed returned -------------------------------------------------------------------


@transaction.atomic
def declare_lost(*, loan, actor, now=None) -> Loan:
    """The patron lost the copy: charge its price (or the rule's replacement charge) plus the
    processing fee; the copy becomes lost. If it turns up and is returned, the charge is refunded.

    Needs ``circulation.change_loan`` and ``holdings.mark_lost`` (the copy's move to lost)."""
    require(actor, "circulation.change_loan")
    require(actor, "holdings.mark_lost")
    now = _now(now)
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("patron__category", "item__record", "branch", "rule")
        .get(pk=loan.pk)
    )
    _require_scope(actor, loan.patron)
    if loan.returned_at is not None:
        raise NotOnLoan(barcode=loan.item.barcode)
    if loan.is_lost:
        raise ClaimRefused(reason=gettext("it is already declared lost"))
    rule = _rule_for_loan(loan)
    price = loan.item.price if loan.item.price else rule.replacement_charge
    fees = []
    if price:
        fees.append(_add_fee(patron=loan.patron, kind=FeeKind.LOST, amount=price, actor=actor, loan=loan))
    if rule.processing_fee:
        fees.append(
            _add_fee(patron=loan.patron, kind=FeeKind.PROCESSING, amount=rule.processing_fee, actor=actor, loan=loan)
        )
    before = snapshot(loan, ["is_lost"])
    loan.is_lost = True
    loan.save(update_fields=["is_lost"])
    _move(loan.item, ItemStatus.LOST, actor)
    audit(
        actor,
        "circulation.loan.lost",
        loan,
        before=before,
        after={"is_lost": True, "charges": [str(f.amount) for f in fees]},
    )
    return loan


@transaction.atomic
def claim_returned(*, loan, actor, now=None) -> Loan:
    """The patron says the copy was returned: no more overdue fine accrues after now, and the loan
    no longer counts as overdue. When the copy is found, checking it in closes the loan."""
    require(actor, "circulation.claim_returned")
    now = _now(now)
    loan = Loan.objects.select_for_update(of=("self",)).select_related("item", "patron").get(pk=loan.pk)
    _require_scope(actor, loan.patron)
    if loan.returned_at is not None:
        raise NotOnLoan(barcode=loan.item.barcode)
    if loan.is_lost:
        raise ClaimRefused(reason=gettext("it is declared lost"))
    if loan.claimed_returned_at:
        raise ClaimRefused(reason=gettext("a claim is already recorded"))
    loan.claimed_returned_at = now
    loan.save(update_fields=["claimed_returned_at"])
    audit(actor, "circulation.loan.claim_returned", loan, after={"claimed_returned_at": now.isoformat()})
    return loan


# --- Fines and fees ------------------------------------------------------------------------------


@transaction.atomic
def charge(*, patron, kind, amount, actor, loan=None, note="") -> FeeEntry:
    """Add a charge (a fee, a card replacement, another charge) to the patron's ledger."""
    require(actor, "circulation.add_feeentry")
    _require_scope(actor, patron)
    if kind not in FeeKind.values or kind in FeeKind.credits():
        raise ValidationFailed(_("Choose a kind of charge."), field="kind")
    amount = _money(amount)
    if amount <= 0 or amount > MAX_AMOUNT:
        raise InvalidAmount(field="amount", limit=Money(MAX_AMOUNT))
    if loan is not None and loan.patron_id != patron.pk:
        raise ValidationFailed(_("That loan belongs to another patron."), field="loan")
    fee = _add_fee(patron=patron, kind=kind, amount=amount, actor=actor, loan=loan, note=note)
    audit(actor, "circulation.fee.charge", fee, after={"kind": kind, "amount": str(amount), "note": note})
    return fee


def _locked_balance(patron) -> Decimal:
    Patron.objects.select_for_update(of=("self",)).filter(pk=patron.pk).first()
    return queries.balance(patron)


@transaction.atomic
def pay(*, patron, amount, method, actor, note="", branch=None) -> FeeEntry:
    """Take a payment (all or part of what is owed; never more).

    A payment names no charge: it settles the oldest charges still open first (first in, first out;
    see :func:`queries.charges_with_outstanding`), so the desk and the OPAC list only what is still
    owed. The audit event records which charges it settled and by how much.
    """
    require(actor, "circulation.take_payment")
    _require_scope(actor, patron)
    if method not in PaymentMethod.values:
        raise ValidationFailed(_("Choose how the patron paid."), field="method")
    owed = _locked_balance(patron)
    amount = _money(amount)
    if amount <= 0 or amount > owed:
        raise InvalidAmount(field="amount", limit=Money(max(owed, ZERO)))
    settled, left = [], amount
    for open_charge in queries.outstanding_charges(patron):
        if left <= 0:
            break
        part = min(left, open_charge.outstanding)
        settled.append({"charge": open_charge.pk, "amount": str(part)})
        left -= part
    fee = _add_fee(
        patron=patron, kind=FeeKind.PAYMENT, amount=amount, actor=actor, note=note, branch=branch, method=method
    )
    audit(
        actor,
        "circulation.fee.pay",
        fee,
        after={"amount": str(amount), "method": method, "balance": str(owed - amount), "settles": settled},
    )
    return fee


@transaction.atomic
def waive(*, fee, amount, reason, actor) -> FeeEntry:
    """Waive all or part of one charge, saying why (supervisors: ``circulation.waive_fee``)."""
    require(actor, "circulation.waive_fee")
    fee = FeeEntry.objects.select_related("patron__home_branch").get(pk=fee.pk)
    _require_scope(actor, fee.patron)
    if fee.kind in FeeKind.credits():
        raise FeeNotCharge()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the charge is waived."), field="reason")
    owed = _locked_balance(fee.patron)
    limit = min(queries.outstanding_on(fee), max(owed, ZERO))
    amount = _money(amount)
    if amount <= 0 or amount > limit:
        raise InvalidAmount(field="amount", limit=Money(limit))
    credit = _add_fee(
        patron=fee.patron, kind=FeeKind.WAIVER, amount=amount, actor=actor, note=reason, settles=fee, loan=fee.loan
    )
    audit(actor, "circulation.fee.waive", credit, after={"amount": str(amount), "settles": fee.pk, "reason": reason})
    return credit


# --- Loan rules and closed days ------------------------------------------------------------------

RULE_FIELDS = [
    "patron_category",
    "item_type",
    "branch",
    "loan_days",
    "renewals",
    "max_items",
    "fine_per_day",
    "max_fine",
    "grace_days",
    "holds_allowed",
    "hold_shelf_days",
    "holds_when_available",
    "replacement_charge",
    "processing_fee",
]
MONEY_FIELDS = {"fine_per_day", "max_fine", "replacement_charge", "processing_fee"}
COUNT_FIELDS = {"loan_days", "renewals", "max_items", "grace_days", "hold_shelf_days"}


def _clean_rule_fields(fields: dict) -> dict:
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(_("Unknown field %(name)s."), field=name, name=name)
    out = {}
    for name, value in fields.items():
        if name in MONEY_FIELDS:
            amount = _money(value, field=name)
            if amount < 0 or amount > MAX_AMOUNT:
                raise ValidationFailed(_("Enter an amount of zero or more."), field=name)
            value = amount
        elif name in COUNT_FIELDS:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise ValidationFailed(_("Enter a whole number of zero or more."), field=name) from None
            if value < 0 or value > 100_000:
                raise ValidationFailed(_("Enter a whole number of zero or more."), field=name)
        elif name in {"holds_allowed", "holds_when_available"}:
            value = bool(value)
        out[name] = value
    if out.get("loan_days") == 0:
        raise ValidationFailed(_("A loan lasts at least one day."), field="loan_days")
    return out


def _rule_taken(rule: LoanRule) -> bool:
    return (
        LoanRule.objects.filter(
            patron_category_id=rule.patron_category_id, item_type_id=rule.item_type_id, branch_id=rule.branch_id
        )
        .exclude(pk=rule.pk)
        .exists()
    )


@transaction.atomic
def create_loan_rule(*, actor, **fields) -> LoanRule:
    """Add a cell to the loan-rule matrix (empty category, item type or branch = any)."""
    require(actor, "circulation.add_loanrule")
    rule = LoanRule(**_clean_rule_fields(fields))
    if _rule_taken(rule):
        raise RuleExists()
    rule.save()
    audit(actor, "circulation.rule.create", rule, after=snapshot(rule))
    return rule


@transaction.atomic
def update_loan_rule(*, rule, actor, **fields) -> LoanRule:
    """Change a loan rule. Loans already made keep their due dates."""
    require(actor, "circulation.change_loanrule")
    rule = LoanRule.objects.select_for_update().get(pk=rule.pk)
    old = snapshot(rule)
    for name, value in _clean_rule_fields(fields).items():
        setattr(rule, name, value)
    if _rule_taken(rule):
        raise RuleExists()
    rule.save()
    before, after = diff(old, snapshot(rule))
    if after:
        audit(actor, "circulation.rule.update", rule, before=before, after=after)
    return rule


@transaction.atomic
def delete_loan_rule(*, rule, actor) -> None:
    """Remove a loan rule; loans made under it keep their due dates (and fall back to the matrix)."""
    require(actor, "circulation.delete_loanrule")
    audit(actor, "circulation.rule.delete", rule, before=snapshot(rule))
    rule.delete()


@transaction.atomic
def add_closed_day(*, date, actor, branch=None, reason="") -> ClosedDay:
    """Close ``branch`` (or every branch) on ``date``: no loan falls due then and no fine counts it."""
    require(actor, "circulation.add_closedday")
    if not isinstance(date, datetime.date):
        raise ValidationFailed(_("Enter a date."), field="date")
    if ClosedDay.objects.filter(branch=branch, date=date).exists():
        raise ClosedDayExists(date=date.isoformat())
    day = ClosedDay.objects.create(branch=branch, date=date, reason=(reason or "").strip()[:200])
    audit(actor, "circulation.closed_day.add", day, after=snapshot(day))
    return day


@transaction.atomic
def delete_closed_day(*, day, actor) -> None:
    """Open again on a day that was closed."""
    require(actor, "circulation.delete_closedday")
    audit(actor, "circulation.closed_day.delete", day, before=snapshot(day))
    day.delete()

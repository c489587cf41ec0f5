"""Lending: checkout, return, transit arrival, renewal, lost and claimed-returned loans."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, snapshot
from pustaka.core.errors import PermissionDenied, PustakaError
from pustaka.core.permissions import has, require
from pustaka.core.registry import action
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item
from pustaka.reports import stats as report_stats

from .. import calendar, queries
from ..choices import FeeKind, HoldStatus
from ..errors import (
    AlreadyOnLoan,
    ClaimRefused,
    HeldForAnother,
    ItemNotAvailable,
    ItemNotLoanable,
    LoanLimitReached,
    NotInTransit,
    NotOnLoan,
    NotYourAccount,
    RenewalRefused,
    staff_message,
)
from ..models import Hold, Loan
from ..rules import find_rule
from ..transitions import HOLDS
from .common import (
    LENDABLE_STATUSES,
    CheckinResult,
    _authorize,
    _block_reasons,
    _blocked,
    _blocked_reason,
    _move,
    _notify,
    _now,
    _Refusals,
    _require_scope,
)
from .fees import _add_fee, _charge_overdue, _refund_lost, _rule_for_loan
from .holds import _route, _shelf_until


@action(
    "circulation.loan.checkout",
    permission="circulation.checkout",
    label=_("Lent"),
    labels={
        "circulation.hold.untrap": _("Copy released from a hold"),
        "circulation.hold.fulfil": _("Hold fulfilled by a loan"),
    },
)
def checkout(*, item, patron, branch, actor, override=False, now=None) -> Loan:
    """Lend ``item`` to ``patron`` at ``branch``; the due date follows the loan rule and the calendar.

    Refused when the item is on loan, not available, not loanable, on the hold shelf for someone
    else or (on the shelf) asked for by name by someone else first (the first waiting hold on this
    very copy is another patron's), the patron is blocked or at the loan limit. A copy on the hold
    shelf for this patron (or a waiting hold of theirs on the title) is fulfilled by the loan.
    """
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
            hold_move = HOLDS.move(shelf_hold, to=HoldStatus.WAITING, actor=actor)
            shelf_hold.trapped_item, shelf_hold.ready_at, shelf_hold.shelf_until = None, None, None
            shelf_hold.save(update_fields=["status", "trapped_item", "ready_at", "shelf_until"])
            audit(actor, hold_move.verb, shelf_hold, before=before, after={"status": HoldStatus.WAITING})
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
    report_stats.count_checkout(loan)
    if own_hold is None:
        own_hold = (
            Hold.objects.filter(patron_id=patron.pk, record_id=item.record_id, status=HoldStatus.WAITING)
            .filter(Q(item__isnull=True) | Q(item_id=item.pk))
            .order_by("placed_at")
            .first()
        )
    if own_hold is not None:
        hold_move = HOLDS.move(own_hold, to=HoldStatus.FULFILLED, actor=actor)
        own_hold.closed_at, own_hold.trapped_item = now, item
        own_hold.save(update_fields=["status", "closed_at", "trapped_item"])
        audit(actor, hold_move.verb, own_hold, after={"status": HoldStatus.FULFILLED, "loan": loan.pk})
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


@action(
    "circulation.loan.checkin",
    permission="circulation.checkin",
    label=_("Returned"),
    labels={"circulation.fee.refund": _("Refund given")},
)
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
    report_stats.count_return(loan)
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
            hold_move = HOLDS.move(hold, to=HoldStatus.READY, actor=actor)
            result.item = _move(item, ItemStatus.ON_HOLD_SHELF, actor)
            hold.ready_at, hold.shelf_until = now, _shelf_until(hold, item, now)
            hold.save(update_fields=["status", "ready_at", "shelf_until"])
            audit(actor, hold_move.verb, hold, before=before, after=snapshot(hold, list(before)))
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


@action(
    "circulation.transit.receive",
    permission="circulation.checkin",
    label=_("Received from transit"),
    labels={"circulation.hold.ready": _("Hold ready for pickup")},
)
def receive_transit(*, item, branch, actor, now=None) -> CheckinResult:
    """A copy in transit arrives at ``branch``: onto the hold shelf for its hold, onto the shelf at
    home, or on towards where it belongs."""
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


@action("circulation.loan.renew", permission="circulation.renew", self_service=True, label=_("Loan renewed"))
def renew(*, loan, actor, override=False, now=None) -> Loan:
    """Extend a loan by the rule's loan period from now (never shortening it).

    Refused (with the reason) when another patron waits for the title or this copy, the renewals
    allowed are used up, the patron is blocked, or the loan is lost or claimed returned. Staff with
    the override permission may renew anyway. A patron may renew their own loans from the OPAC. An
    overdue loan renewed is charged the fine earned so far.
    Permission checked inside: staff need ``circulation.renew``; a patron may do it on their own account only.
    """
    now = _now(now)
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("patron__category", "item__record", "branch", "rule")
        .get(pk=loan.pk)
    )
    as_staff = _authorize(actor, loan.patron, renew.permission, self_service=True)
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
    report_stats.count_renewal(loan)
    after = snapshot(loan, list(before))
    if refusals.overridden:
        after["overridden"] = [{"code": e.code, "message": staff_message(e)} for e in refusals.overridden]
    audit(actor, "circulation.loan.renew", loan, before=before, after=after)
    return loan


@action(
    "circulation.loan.renew", permission="circulation.renew", self_service=True, label=_("Loan renewed"), atomic=False
)
def renew_all(*, patron, actor, now=None) -> list[tuple[Loan, PustakaError | None]]:
    """Try to renew every open loan of ``patron``; each answer is the loan and its refusal (or None).
    A member of staff who may not serve the patron is refused once, before any loan. Each loan is
    renewed in its own transaction.
    Permission checked inside: staff need ``circulation.renew``; a patron may do it on their own account only.
    """
    if has(actor, renew.permission):
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


@action("circulation.loan.lost", permission="circulation.declare_lost", label=_("Declared lost"))
def declare_lost(*, loan, actor, now=None) -> Loan:
    """The patron lost the copy: charge its price (or the rule's replacement charge) plus the
    processing fee; the copy becomes lost. If it turns up and is returned, the charge is refunded.

    Needs ``circulation.declare_lost`` and ``holdings.mark_lost`` (the copy's move to lost)."""
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


@action(
    "circulation.loan.claim_returned", permission="circulation.claim_returned", label=_("Patron says it was returned")
)
def claim_returned(*, loan, actor, now=None) -> Loan:
    """The patron says the copy was returned: no more overdue fine accrues after now, and the loan
    no longer counts as overdue. When the copy is found, checking it in closes the loan."""
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

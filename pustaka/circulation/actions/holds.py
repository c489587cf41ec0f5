"""Holds (reservations): placing, changing, cancelling, expiring, setting a copy aside."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import ValidationFailed
from pustaka.core.models import Branch
from pustaka.core.registry import action
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item

from .. import calendar, queries
from ..choices import HoldStatus
from ..errors import (
    CannotTrap,
    HoldAlreadyOnShelf,
    HoldNotOpen,
    HoldRefused,
)
from ..models import Hold, Loan
from ..rules import find_rule
from ..transitions import HOLDS, TRAP
from .common import TRAPPABLE_STATUSES, CheckinResult, _authorize, _block_reasons, _blocked_reason, _move, _notify, _now


def _shelf_until(hold: Hold, item: Item, now) -> datetime.date:
    rule = find_rule(category=hold.patron.category_id, item_type=item.item_type_id, branch=hold.pickup_branch_id)
    today = timezone.localtime(now).date()
    return calendar.next_open_day(hold.pickup_branch, today + datetime.timedelta(days=rule.hold_shelf_days))


def _trap(item: Item, hold: Hold, here: Branch, actor, now) -> tuple[Item, str]:
    """Set ``item`` aside for ``hold``: onto the hold shelf if it is at the pickup branch, else in transit."""
    before = snapshot(hold, ["status", "trapped_item", "shelf_until"])
    hold.trapped_item = item
    if hold.pickup_branch_id == here.pk:
        rule = HOLDS.move(hold, to=HoldStatus.READY, actor=actor, refused=HoldNotOpen, verb=TRAP)
        item = _move(item, ItemStatus.ON_HOLD_SHELF, actor)
        hold.ready_at = now
        hold.shelf_until = _shelf_until(hold, item, now)
        destination = "hold_shelf"
        transaction.on_commit(lambda pk=hold.pk: _notify("hold_ready", pk))
    else:
        rule = HOLDS.move(hold, to=HoldStatus.IN_TRANSIT, actor=actor, refused=HoldNotOpen, verb=TRAP)
        item = _move(item, ItemStatus.IN_TRANSIT, actor)
        destination = "transit"
    hold.save(update_fields=["trapped_item", "status", "ready_at", "shelf_until"])
    audit(actor, rule.verb, hold, before=before, after=snapshot(hold, list(before)))
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


def _holdable_copies(record, item=None):
    qs = Item.objects.filter(record_id=record.pk).exclude(
        status__in=[*ItemStatus.public_hidden(), ItemStatus.LOST, ItemStatus.MISSING]
    )
    if item is not None:
        qs = qs.filter(pk=item.pk)
    return list(qs.select_related("item_type", "branch"))


@action("circulation.hold.place", permission="circulation.place_hold", self_service=True, label=_("Hold placed"))
def place_hold(*, patron, record, pickup_branch, actor, item=None, expires_on=None, now=None) -> Hold:
    """Place a hold (reservation) on a title, or on one copy (``item``), to collect at ``pickup_branch``.

    Refused when the patron is blocked, already has an open hold on the title or has it on loan, no
    copy may be held under the loan rules, a copy is on the shelf and the rule does not allow holds
    then, or ``expires_on`` has passed. A patron may place holds for themselves from the OPAC.
    Permission checked inside: staff need ``circulation.place_hold``; a patron may do it on their own account only.
    """
    now = _now(now)
    _authorize(actor, patron, place_hold.permission, self_service=True)
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
    rule = HOLDS.move(hold, to=status, actor=actor, refused=HoldNotOpen)
    hold.closed_at = now
    hold.save(update_fields=["status", "closed_at"])
    audit(actor, rule.verb, hold, before=before, after=snapshot(hold, list(before)))
    if trapped is not None and before["status"] == HoldStatus.READY:
        _release(trapped, trapped_at, actor, now)
    return hold


@action("circulation.hold.cancel", permission="circulation.manage_holds", self_service=True, label=_("Hold cancelled"))
def cancel_hold(*, hold, actor, now=None) -> Hold:
    """Cancel an open hold (staff, or the patron for their own). A copy waiting on the hold shelf for
    it goes to the next hold, home, or back to be shelved.
    Permission checked inside: staff need ``circulation.manage_holds``; a patron may do it on their own account only.
    """
    now = _now(now)
    hold = Hold.objects.select_for_update(of=("self",)).select_related("patron", "trapped_item").get(pk=hold.pk)
    _authorize(actor, hold.patron, cancel_hold.permission, self_service=True)
    return _close_hold(hold, HoldStatus.CANCELLED, actor, now)


@action("circulation.hold.change", permission="circulation.manage_holds", self_service=True, label=_("Hold changed"))
def change_hold(*, hold, actor, pickup_branch=None, expires_on=None, now=None) -> Hold:
    """Change an open hold's pickup branch and/or "not needed after" date, keeping its place in the
    queue (staff, or the patron for their own). A copy already on the hold shelf keeps its branch.
    Permission checked inside: staff need ``circulation.manage_holds``; a patron may do it on their own account only.
    """
    hold = Hold.objects.select_for_update(of=("self",)).select_related("patron", "pickup_branch").get(pk=hold.pk)
    _authorize(actor, hold.patron, change_hold.permission, self_service=True)
    if hold.status in HOLDS.final:  # a hold is changed while it is open (see circulation/transitions.py)
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


@action("circulation.hold.expire", permission="circulation.manage_holds", label=_("Hold expired"))
def expire_holds(*, actor=None, today=None) -> int:
    """Close holds past their "not needed after" date and holds left on the hold shelf past
    ``shelf_until``; their copies go to the next hold or back. Returns how many holds expired."""
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


@action("circulation.hold.trap", permission="circulation.manage_holds", label=_("Copy set aside for a hold"))
def trap_hold(*, hold, item, actor, now=None) -> Hold:
    """Set an available copy aside for ``hold`` (the pull step): onto the hold shelf when the copy is
    at the pickup branch, otherwise in transit there."""
    now = _now(now)
    hold = Hold.objects.select_for_update(of=("self",)).select_related("patron", "pickup_branch").get(pk=hold.pk)
    item = Item.objects.select_for_update(of=("self",)).select_related("branch").get(pk=item.pk)
    HOLDS.check(hold, to=HoldStatus.READY, actor=actor, refused=HoldNotOpen, verb=TRAP)  # only a hold in the queue
    if item.record_id != hold.record_id or (hold.item_id and hold.item_id != item.pk):
        raise CannotTrap(barcode=item.barcode, reason=gettext("it is not a copy this hold asks for"))
    if item.status not in TRAPPABLE_STATUSES:
        raise CannotTrap(barcode=item.barcode, reason=ItemStatus(item.status).label)
    _trap(item, hold, item.branch, actor, now)
    return hold

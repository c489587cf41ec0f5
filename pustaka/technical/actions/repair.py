"""Technical services: repair actions.

An item pulled for repair gets a repair ticket (the item goes ``in_repair``); the technician records
the work (minutes, materials cost, notes) and then either finishes it (new condition, kept in the
condition history; the item goes to the shelving queue), sends it to the bindery (the item is pulled
for binding and waits for a bindery shipment) or declares it beyond repair (the item is pulled for
weeding and waits for a librarian to withdraw it).
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.registry import action
from pustaka.core.validators import clean_amount
from pustaka.holdings.actions import change_condition, move_item
from pustaka.holdings.choices import Condition, ItemStatus, PullReason, Workflow
from pustaka.holdings.models import Item

from ..choices import DamageType, RepairStatus
from ..errors.repair import (
    InvalidRepairWork,
    ItemNotPulledForRepair,
    RepairAlreadyOpen,
    RepairTicketClosed,
    UnknownConditionAfter,
    UnknownDamageType,
)
from ..models import RepairTicket
from ..transitions.repair import REPAIRS

__all__ = [
    "check_repair_can_open",
    "declare_beyond_repair",
    "finish_repair",
    "open_repair",
    "record_repair_work",
    "send_repair_to_bindery",
]

MAX_MINUTES = 100_000
MAX_COST = Decimal("9999999999.99")


def check_repair_can_open(item: Item) -> None:
    """Raise the reason ``item`` cannot get a repair ticket now (wrong state, or a ticket already open).

    An item pulled for repair can; so can an item already moved ``in_repair`` from its item page
    without a ticket (the ticket then records the repair under way).
    """
    open_ticket = RepairTicket.objects.filter(item=item, status=RepairStatus.OPEN).values_list("pk", flat=True).first()
    if open_ticket is not None:
        raise RepairAlreadyOpen(barcode=item.barcode, ticket=open_ticket)
    pulled_for_repair = item.status == ItemStatus.PULLED and item.pulled_reason == PullReason.REPAIR
    if not (pulled_for_repair or item.status == ItemStatus.IN_REPAIR):
        status = ItemStatus(item.status).label
        if item.status == ItemStatus.PULLED and item.pulled_reason:
            status = f"{status} ({PullReason(item.pulled_reason).label})"
        raise ItemNotPulledForRepair(barcode=item.barcode, status=status)


def _closed(ticket: RepairTicket) -> RepairTicketClosed:
    return RepairTicketClosed(ticket=ticket.pk, status=RepairStatus(ticket.status).label)


def _locked_open(ticket: RepairTicket) -> RepairTicket:
    """The ticket, locked, while work may still be recorded on it (nothing has closed it: see REPAIRS)."""
    locked = RepairTicket.objects.select_for_update(of=("self",)).select_related("item").get(pk=ticket.pk)
    if locked.status in REPAIRS.final:
        raise _closed(locked)
    return locked


def _locked_to_close(ticket: RepairTicket, to: str, actor):
    """The ticket, locked, its ``before`` snapshot, and the row of the table that closes it as ``to``."""
    locked = RepairTicket.objects.select_for_update(of=("self",)).select_related("item").get(pk=ticket.pk)
    before = _snapshot(locked)
    rule = REPAIRS.move(locked, to=to, actor=actor, refused=lambda: _closed(locked))
    return locked, before, rule


def _snapshot(ticket: RepairTicket) -> dict:
    return {
        "status": ticket.status,
        "minutes_spent": ticket.minutes_spent,
        "materials_cost": str(ticket.materials_cost),
        "condition_after": ticket.condition_after,
    }


def _add_note(ticket: RepairTicket, notes: str, actor) -> None:
    notes = (notes or "").strip()
    if notes:
        who = actor.get_username() if actor is not None else "system"
        line = f"[{timezone.localtime():%Y-%m-%d %H:%M} {who}] {notes}"
        ticket.notes = f"{ticket.notes}\n{line}" if ticket.notes else line


def _close(ticket: RepairTicket, actor, notes: str) -> None:
    _add_note(ticket, notes, actor)
    ticket.closed_at = timezone.now()
    if ticket.repaired_by_id is None and actor is not None and actor.pk:
        ticket.repaired_by = actor
    ticket.save()


@action("maintenance.repair.open", permission="technical.handle_repairs", label=_("Repair ticket opened"))
def open_repair(*, item: Item, damage_type: str, actor, notes: str = "") -> RepairTicket:
    """Open a repair ticket for an item pulled for repair; the item moves ``in_repair``.

    One open ticket per item (also a database constraint); an item in any other state is refused
    with its state named.
    """
    if damage_type not in DamageType.values:
        raise UnknownDamageType(field="damage_type")
    locked = Item.objects.select_for_update(of=("self",)).select_related("record").get(pk=item.pk)
    check_repair_can_open(locked)
    ticket = RepairTicket(item=locked, damage_type=damage_type, opened_by=actor if actor and actor.pk else None)
    _add_note(ticket, notes, actor)
    try:
        with transaction.atomic():
            ticket.save()
    except IntegrityError:  # another desk opened one at the same instant
        open_ticket = RepairTicket.objects.filter(item=locked, status=RepairStatus.OPEN).first()
        raise RepairAlreadyOpen(barcode=locked.barcode, ticket=open_ticket.pk if open_ticket else "?") from None
    if locked.status != ItemStatus.IN_REPAIR:
        move_item(
            item=locked, to=ItemStatus.IN_REPAIR, actor=actor, workflow=Workflow.REPAIR, note=f"repair #{ticket.pk}"
        )
    audit(
        actor,
        "maintenance.repair.open",
        ticket,
        after={"item": locked.barcode, "damage_type": damage_type, "notes": ticket.notes},
    )
    return ticket


def _decimal(value) -> Decimal:
    return clean_amount(
        value,
        field="materials_cost",
        label=_("Materials cost"),
        error=InvalidRepairWork,
        blank=0,
        at_least=0,
        at_most=MAX_COST,
    )


@action("maintenance.repair.work", permission="technical.handle_repairs", label=_("Repair work recorded"))
def record_repair_work(
    *, ticket: RepairTicket, actor, minutes: int = 0, materials_cost=0, notes: str = ""
) -> RepairTicket:
    """Add work done on an open ticket: minutes spent, materials cost (both zero or more) and a note."""
    try:
        minutes = int(minutes or 0)
    except (TypeError, ValueError):
        raise InvalidRepairWork(field="minutes") from None
    if not 0 <= minutes <= MAX_MINUTES:
        raise InvalidRepairWork(field="minutes")
    cost = _decimal(materials_cost)
    locked = _locked_open(ticket)
    before = _snapshot(locked)
    locked.minutes_spent += minutes
    locked.materials_cost = locked.materials_cost + cost
    _add_note(locked, notes, actor)
    if actor is not None and actor.pk:
        locked.repaired_by = actor
    locked.save()
    audit(
        actor,
        "maintenance.repair.work",
        locked,
        before=before,
        after={**_snapshot(locked), "minutes": minutes, "cost": str(cost), "note": (notes or "").strip()},
    )
    ticket.refresh_from_db()
    return locked


@action("maintenance.repair.finish", permission="technical.handle_repairs", label=_("Repair finished"))
def finish_repair(*, ticket: RepairTicket, condition_after: str, actor, notes: str = "") -> RepairTicket:
    """Close a repair done in-house: record the item's new condition (kept in its condition history)
    and send the item to the shelving queue (``ready_for_shelving``)."""
    if condition_after not in Condition.values:
        raise UnknownConditionAfter(field="condition_after")
    locked, before, rule = _locked_to_close(ticket, RepairStatus.DONE, actor)
    change_condition(item=locked.item, condition=condition_after, actor=actor, note=f"repair #{locked.pk}")
    move_item(
        item=locked.item,
        to=ItemStatus.READY_FOR_SHELVING,
        actor=actor,
        workflow=Workflow.REPAIR,
        note=f"repair #{locked.pk}",
    )
    locked.condition_after = condition_after
    _close(locked, actor, notes)
    audit(actor, rule.verb, locked, before=before, after=_snapshot(locked))
    ticket.refresh_from_db()
    return locked


@action(
    "maintenance.repair.send_to_bindery",
    permission="technical.handle_repairs",
    label=_("Repair passed to the bindery"),
)
def send_repair_to_bindery(*, ticket: RepairTicket, actor, notes: str = "") -> RepairTicket:
    """Close a repair the library cannot do itself: the item is pulled for binding
    (``in_repair`` → ``pulled``, reason bind) and waits to be scanned into a bindery shipment."""
    locked, before, rule = _locked_to_close(ticket, RepairStatus.SENT_TO_BINDERY, actor)
    move_item(
        item=locked.item,
        to=ItemStatus.PULLED,
        reason=PullReason.BIND,
        actor=actor,
        workflow=Workflow.REPAIR,
        note=f"repair #{locked.pk}",
    )
    _close(locked, actor, notes)
    audit(actor, rule.verb, locked, before=before, after=_snapshot(locked))
    ticket.refresh_from_db()
    return locked


@action("maintenance.repair.beyond_repair", permission="technical.handle_repairs", label=_("Declared beyond repair"))
def declare_beyond_repair(*, ticket: RepairTicket, actor, notes: str = "") -> RepairTicket:
    """Close a repair as hopeless: the item's condition becomes damaged (kept in its history) and it is
    pulled for weeding (``in_repair`` → ``pulled``, reason weed), where a librarian withdraws it."""
    locked, before, rule = _locked_to_close(ticket, RepairStatus.BEYOND_REPAIR, actor)
    change_condition(item=locked.item, condition=Condition.DAMAGED, actor=actor, note=f"repair #{locked.pk}")
    move_item(
        item=locked.item,
        to=ItemStatus.PULLED,
        reason=PullReason.WEED,
        actor=actor,
        workflow=Workflow.REPAIR,
        note=f"repair #{locked.pk}",
    )
    locked.condition_after = Condition.DAMAGED
    _close(locked, actor, notes)
    audit(actor, rule.verb, locked, before=before, after=_snapshot(locked))
    ticket.refresh_from_db()
    return locked

"""Technical services: bindery actions.

A senior technician prepares a draft shipment to a bindery; items pulled for binding are scanned
into it, each with its own instructions; sending it moves every item ``at_bindery``. When the
bindery delivers, each item is scanned back in with a note of its new binding and goes to the
shelving queue; the shipment is ``partly_returned`` until every item is back, then ``returned``.
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.errors import ValidationFailed
from pustaka.core.registry import action
from pustaka.core.validators import TOO_LONG, clean_amount, clean_text
from pustaka.holdings.actions import change_condition, move_item
from pustaka.holdings.choices import Condition, ItemStatus, PullReason, Workflow
from pustaka.holdings.models import Item

from ..choices import ShipmentStatus
from ..errors.bindery import (
    EmptyShipment,
    InvalidShipmentCost,
    InvalidShipmentDates,
    ItemAlreadyInShipment,
    ItemAlreadyReceived,
    ItemInAnotherShipment,
    ItemNotInShipment,
    ItemNotPulledForBinding,
    ShipmentNotDraft,
    ShipmentNotOut,
    VendorNameTaken,
)
from ..models import BinderyShipment, BinderyShipmentItem, BinderyVendor
from ..transitions import bindery as table

__all__ = [
    "add_to_shipment",
    "check_item_can_join_shipment",
    "create_bindery_vendor",
    "create_shipment",
    "receive_from_bindery",
    "remove_from_shipment",
    "send_shipment",
    "set_line_instructions",
    "update_shipment",
]

OPEN_STATUSES = (ShipmentStatus.DRAFT, ShipmentStatus.SENT, ShipmentStatus.PARTLY_RETURNED)
MAX_COST = Decimal("9999999999.99")


#: How the bindery pages word a text that is too long.
TEXT_WORDS = {TOO_LONG: _("At most %(limit)s characters, please.")}


def _cost(value) -> Decimal:
    return clean_amount(
        value, field="cost", label=_("Cost"), error=InvalidShipmentCost, blank=0, at_least=0, at_most=MAX_COST
    )


def _text(value, limit: int, field: str, label) -> str:
    return clean_text(value, field=field, label=label, max_length=limit, words=TEXT_WORDS)


def _snapshot(shipment: BinderyShipment) -> dict:
    return {
        "status": shipment.status,
        "vendor": shipment.vendor_id,
        "sent_on": shipment.sent_on.isoformat() if shipment.sent_on else None,
        "expected_on": shipment.expected_on.isoformat() if shipment.expected_on else None,
        "cost": str(shipment.cost),
        "instructions": shipment.instructions,
    }


def _locked(shipment: BinderyShipment) -> BinderyShipment:
    return BinderyShipment.objects.select_for_update(of=("self",)).select_related("vendor").get(pk=shipment.pk)


def _not_draft(shipment: BinderyShipment) -> ShipmentNotDraft:
    return ShipmentNotDraft(shipment=shipment.pk, status=ShipmentStatus(shipment.status).label)


def _not_out(shipment: BinderyShipment) -> ShipmentNotOut:
    return ShipmentNotOut(shipment=shipment.pk, status=ShipmentStatus(shipment.status).label)


def _require_draft(shipment: BinderyShipment) -> None:
    if shipment.status not in table.EDITABLE:
        raise _not_draft(shipment)


@action("maintenance.bindery.vendor.create", permission="technical.manage_binderies", label=_("Bindery added"))
def create_bindery_vendor(*, name: str, actor, contact: str = "") -> BinderyVendor:
    """Add a bindery the library sends items to."""
    name = _text(name, 200, "name", _("Name"))
    if not name:
        raise ValidationFailed(_("A bindery needs a name."), field="name")
    if BinderyVendor.objects.filter(name__iexact=name).exists():
        raise VendorNameTaken(field="name", name=name)
    try:
        with transaction.atomic():
            vendor = BinderyVendor.objects.create(name=name, contact=(contact or "").strip())
    except IntegrityError:
        raise VendorNameTaken(field="name", name=name) from None
    audit(actor, "maintenance.bindery.vendor.create", vendor, after={"name": name, "contact": vendor.contact})
    return vendor


@action(
    "maintenance.bindery.create", permission="technical.prepare_bindery_shipments", label=_("Bindery shipment started")
)
def create_shipment(
    *,
    vendor: BinderyVendor,
    branch,
    actor,
    instructions: str = "",
    expected_on: date | None = None,
    cost=0,
) -> BinderyShipment:
    """Start a draft shipment to ``vendor`` from ``branch``; items are scanned into it next."""
    shipment = BinderyShipment.objects.create(
        vendor=vendor,
        branch=branch,
        instructions=(instructions or "").strip(),
        expected_on=expected_on,
        cost=_cost(cost),
        created_by=actor if actor is not None and actor.pk else None,
    )
    audit(actor, "maintenance.bindery.create", shipment, after=_snapshot(shipment))
    return shipment


@action("maintenance.bindery.update", permission="technical.send_to_bindery", label=_("Bindery shipment changed"))
def update_shipment(*, shipment: BinderyShipment, actor, **fields) -> BinderyShipment:
    """Change a shipment's cost, expected date or general instructions (the invoice often comes later)."""
    allowed = {"cost", "expected_on", "instructions"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed here: %(fields)s."),
            field=sorted(unknown)[0],
            fields=", ".join(sorted(unknown)),
        )
    locked = _locked(shipment)
    before = _snapshot(locked)
    if "cost" in fields:
        locked.cost = _cost(fields["cost"])
    if "expected_on" in fields:
        locked.expected_on = fields["expected_on"]
        if locked.sent_on and locked.expected_on and locked.expected_on < locked.sent_on:
            raise InvalidShipmentDates(field="expected_on")
    if "instructions" in fields:
        locked.instructions = (fields["instructions"] or "").strip()
    locked.save()
    audit(actor, "maintenance.bindery.update", locked, before=before, after=_snapshot(locked))
    shipment.refresh_from_db()
    return locked


def check_item_can_join_shipment(item: Item, shipment: BinderyShipment) -> None:
    """Raise why ``item`` cannot go into ``shipment``: not pulled for binding, or already in a shipment."""
    lines = (
        BinderyShipmentItem.objects.filter(item=item, returned_on__isnull=True, shipment__status__in=OPEN_STATUSES)
        .values_list("shipment_id", flat=True)
        .order_by("shipment_id")
    )
    for shipment_id in lines:
        if shipment_id == shipment.pk:
            raise ItemAlreadyInShipment(barcode=item.barcode)
        raise ItemInAnotherShipment(barcode=item.barcode, shipment=shipment_id)
    if not (item.status == ItemStatus.PULLED and item.pulled_reason == PullReason.BIND):
        status = ItemStatus(item.status).label
        if item.status == ItemStatus.PULLED and item.pulled_reason:
            status = f"{status} ({PullReason(item.pulled_reason).label})"
        raise ItemNotPulledForBinding(barcode=item.barcode, status=status)


@action(
    "maintenance.bindery.add_item",
    permission="technical.send_to_bindery",
    label=_("Added to a bindery shipment"),
)
def add_to_shipment(*, shipment: BinderyShipment, item: Item, actor, instructions: str = "") -> BinderyShipmentItem:
    """Scan an item pulled for binding into a draft shipment, with its own binding instructions."""
    locked = _locked(shipment)
    _require_draft(locked)
    item = Item.objects.select_for_update(of=("self",)).get(pk=item.pk)
    check_item_can_join_shipment(item, locked)
    instructions = _text(instructions, 500, "instructions", _("Instructions"))
    try:
        with transaction.atomic():
            line = BinderyShipmentItem.objects.create(shipment=locked, item=item, instructions=instructions)
    except IntegrityError:
        raise ItemAlreadyInShipment(barcode=item.barcode) from None
    audit(
        actor,
        "maintenance.bindery.add_item",
        locked,
        after={"item": item.barcode, "instructions": instructions},
    )
    return line


@action(
    "maintenance.bindery.remove_item",
    permission="technical.send_to_bindery",
    label=_("Removed from a bindery shipment"),
)
def remove_from_shipment(*, shipment: BinderyShipment, item: Item, actor) -> None:
    """Take an item out of a draft shipment (it stays pulled for binding)."""
    locked = _locked(shipment)
    _require_draft(locked)
    line = locked.lines.filter(item=item).first()
    if line is None:
        raise ItemNotInShipment(barcode=item.barcode, shipment=locked.pk)
    line.delete()
    audit(actor, "maintenance.bindery.remove_item", locked, before={"item": item.barcode})


@action(
    "maintenance.bindery.instructions",
    permission="technical.send_to_bindery",
    label=_("Binding instructions written"),
)
def set_line_instructions(*, line: BinderyShipmentItem, instructions: str, actor) -> BinderyShipmentItem:
    """Write the binding instructions for one item of a draft shipment."""
    shipment = _locked(line.shipment)
    _require_draft(shipment)
    instructions = _text(instructions, 500, "instructions", _("Instructions"))
    line = BinderyShipmentItem.objects.select_related("item").get(pk=line.pk)
    before = {"item": line.item.barcode, "instructions": line.instructions}
    line.instructions = instructions
    line.save(update_fields=["instructions"])
    audit(
        actor,
        "maintenance.bindery.instructions",
        shipment,
        before=before,
        after={**before, "instructions": instructions},
    )
    return line


@action("maintenance.bindery.send", permission="technical.send_to_bindery", label=_("Bindery shipment sent"))
def send_shipment(
    *, shipment: BinderyShipment, actor, sent_on: date | None = None, expected_on: date | None = None
) -> BinderyShipment:
    """Send a draft shipment: every item moves ``pulled`` (binding) → ``at_bindery``; an empty one is refused."""
    locked = _locked(shipment)
    table.SHIPMENTS.check(locked, to=ShipmentStatus.SENT, actor=actor, refused=lambda: _not_draft(locked))
    lines = list(locked.lines.select_related("item").order_by("id"))
    if not lines:
        raise EmptyShipment(shipment=locked.pk)
    sent_on = sent_on or timezone.localdate()
    expected_on = expected_on or locked.expected_on
    if expected_on and expected_on < sent_on:
        raise InvalidShipmentDates(field="expected_on")
    before = _snapshot(locked)
    rule = table.SHIPMENTS.move(locked, to=ShipmentStatus.SENT, actor=actor)
    for line in lines:
        move_item(
            item=line.item,
            to=ItemStatus.AT_BINDERY,
            actor=actor,
            workflow=Workflow.BINDERY,
            note=f"bindery shipment #{locked.pk}",
        )
    locked.sent_on = sent_on
    locked.expected_on = expected_on
    locked.save()
    audit(
        actor,
        rule.verb,
        locked,
        before=before,
        after={**_snapshot(locked), "items": [line.item.barcode for line in lines]},
    )
    shipment.refresh_from_db()
    return locked


@action(
    "maintenance.bindery.receive",
    permission="technical.receive_from_bindery",
    label=_("Received back from the bindery"),
)
def receive_from_bindery(
    *,
    shipment: BinderyShipment,
    item: Item,
    actor,
    binding_note: str = "",
    returned_on: date | None = None,
    condition: str = Condition.GOOD,
) -> BinderyShipmentItem:
    """Scan an item back from the bindery: its new binding is noted, its condition recorded (good after
    rebinding, unless the technician says otherwise: a rebound book is no longer "damaged" and not
    proposed for weeding as one), it goes to the shelving queue, and the shipment becomes
    ``partly_returned`` or, with its last item, ``returned``."""
    if condition not in Condition.values:
        raise ValidationFailed(_("Unknown condition."), field="condition")
    locked = _locked(shipment)
    table.SHIPMENTS.check(locked, to=ShipmentStatus.RETURNED, actor=actor, refused=lambda: _not_out(locked))
    line = BinderyShipmentItem.objects.select_for_update(of=("self",)).filter(shipment=locked, item=item).first()
    if line is None:
        raise ItemNotInShipment(barcode=item.barcode, shipment=locked.pk)
    if line.returned_on is not None:
        raise ItemAlreadyReceived(barcode=item.barcode, date=line.returned_on.isoformat())
    binding_note = _text(binding_note, 300, "binding_note", _("New binding"))
    before = _snapshot(locked)
    change_condition(item=item, condition=condition, actor=actor, note=binding_note or f"bindery #{locked.pk}")
    move_item(
        item=item,
        to=ItemStatus.READY_FOR_SHELVING,
        actor=actor,
        workflow=Workflow.BINDERY,
        note=f"bindery shipment #{locked.pk}",
    )
    line.returned_on = returned_on or timezone.localdate()
    line.binding_note = binding_note
    line.save(update_fields=["returned_on", "binding_note"])
    waiting = locked.lines.filter(returned_on__isnull=True).exists()
    to = ShipmentStatus.PARTLY_RETURNED if waiting else ShipmentStatus.RETURNED
    rule = table.SHIPMENTS.move(locked, to=to, actor=actor)
    locked.save(update_fields=["status", "updated_at"])
    audit(
        actor,
        rule.verb,
        locked,
        before=before,
        after={**_snapshot(locked), "item": item.barcode, "binding_note": binding_note, "condition": condition},
    )
    return line

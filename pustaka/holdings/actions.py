"""Every write to items goes through these functions (permission, transition, write, audit)."""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.audit import build as build_audit
from pustaka.core.errors import ValidationFailed
from pustaka.core.models import AuditEvent
from pustaka.core.permissions import require
from pustaka.core.registry import action
from pustaka.holdings import lookups as item_lookups
from pustaka.search import changes

from . import transitions
from .choices import Condition, ItemStatus, PullReason, Workflow
from .errors import (
    BarcodeTaken,
    ItemInUse,
    ItemTransitionNotAllowed,
    MoveBelongsToAnotherWorkflow,
    PullReasonMismatch,
    PullReasonRequired,
)
from .models import ConditionChange, Item

BARCODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
EDITABLE_FIELDS = [
    "branch",
    "location",
    "call_number",
    "copy_number",
    "item_type",
    "price",
    "acquired_on",
    "public_note",
    "staff_note",
]


def clean_barcode(value: str) -> str:
    """Trim what a scanner adds and check the barcode's form."""
    barcode = (value or "").strip()
    if not BARCODE_RE.match(barcode):
        raise ValidationFailed(
            _("A barcode is 1 to 32 letters, digits, dots, dashes or underscores; “%(value)s” is not."),
            field="barcode",
            value=barcode,
        )
    return barcode


def _check_location(branch, location) -> None:
    if location is not None and location.branch_id != branch.pk:
        raise ValidationFailed(
            _("The location %(location)s is not in branch %(branch)s."),
            field="location",
            location=location.name,
            branch=branch.code,
        )


@action("holdings.item.create", permission="holdings.add_copy", label=_("Item added"))
def create_item(
    *,
    record,
    barcode: str,
    branch,
    item_type,
    actor,
    location=None,
    call_number: str = "",
    copy_number: int | None = None,
    price=None,
    acquired_on=None,
    status: str = ItemStatus.AVAILABLE,
    condition: str = Condition.GOOD,
    public_note: str = "",
    staff_note: str = "",
    acquisition_source: str = "",
    supplier: str = "",
) -> Item:
    """Attach a new copy to ``record``. New copies start on order, received, in processing or available.

    The copy gets the next accession number (:func:`pustaka.accessions.actions.number_copy`) with its
    source of acquisition (purchase when not said), supplier or donor and price, in this transaction."""
    from pustaka.accessions import actions as accessions

    barcode = clean_barcode(barcode)
    accessions.check_acquisition(source=acquisition_source, supplier=supplier, price=price)
    _check_location(branch, location)
    if status not in transitions.INITIAL_STATUSES:
        raise ValidationFailed(
            _("A new item cannot start as “%(status)s”."), field="status", status=ItemStatus(status).label
        )
    if condition not in Condition.values:
        raise ValidationFailed(_("Unknown condition."), field="condition")
    if item_lookups.barcode_taken(barcode):  # in any letter case, so a scan finds one copy only
        raise BarcodeTaken(field="barcode", barcode=barcode)
    if copy_number is None:
        copy_number = (record.items.order_by("-copy_number").values_list("copy_number", flat=True).first() or 0) + 1
    item = Item(
        record=record,
        barcode=barcode,
        branch=branch,
        location=location,
        item_type=item_type,
        call_number=call_number.strip(),
        copy_number=copy_number,
        price=price,
        acquired_on=acquired_on,
        status=status,
        status_changed_at=timezone.now(),
        condition=condition,
        public_note=public_note,
        staff_note=staff_note,
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise BarcodeTaken(field="barcode", barcode=barcode) from None
    ConditionChange.objects.create(item=item, from_condition="", to_condition=condition, recorded_by=actor)
    accession = accessions.number_copy(
        item=item, actor=actor, source=acquisition_source, supplier=supplier, price=price
    )
    after = snapshot(item)
    after.update(accession=accession.number, acquisition_source=accession.source, supplier=accession.supplier)
    audit(actor, "holdings.item.create", item, after=after)
    changes.item_changed(item.pk, item.record_id)
    return item


@action("holdings.item.update", permission="holdings.edit_copy", label=_("Item edited"))
def update_item(*, item: Item, actor, **fields) -> Item:
    """Change an item's descriptive fields (not its status or condition, which have their own actions)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed here: %(fields)s."),
            field=sorted(unknown)[0],
            fields=", ".join(sorted(unknown)),
        )
    item = Item.objects.select_for_update(of=("self",)).get(pk=item.pk)
    before = snapshot(item)
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    _check_location(item.branch, item.location)
    item.save()
    old, new = diff(before, snapshot(item))
    if new:
        audit(actor, "holdings.item.update", item, before=old, after=new)
        changes.item_changed(item.pk, item.record_id)
    return item


# The words for each lifecycle move (the verbs of transitions.py), written by move_item and move_items.
MOVE_LABELS = {
    "holdings.item.receive": _("Received"),
    "holdings.item.start_processing": _("Processing started"),
    "holdings.item.finish_processing": _("Processing finished"),
    "holdings.item.shelve": _("Shelved"),
    "holdings.item.lend": _("Lent"),
    "holdings.item.return": _("Returned"),
    "holdings.item.return_to_hold_shelf": _("Returned to the hold shelf"),
    "holdings.item.return_in_transit": _("Returned, sent in transit"),
    "holdings.item.trap_hold": _("Put on the hold shelf"),
    "holdings.item.send_in_transit": _("Sent in transit"),
    "holdings.item.clear_hold_shelf": _("Cleared from the hold shelf"),
    "holdings.item.receive_transit": _("Received from transit"),
    "holdings.item.pull": _("Pulled"),
    "holdings.item.cancel_pull": _("Pull cancelled"),
    "holdings.item.start_repair": _("Repair started"),
    "holdings.item.finish_repair": _("Repair finished"),
    "holdings.item.send_to_bindery": _("Sent to the bindery"),
    "holdings.item.receive_from_bindery": _("Back from the bindery"),
    "holdings.item.withdraw": _("Withdrawn"),
    "holdings.item.offer_for_sale": _("Offered for sale"),
    "holdings.item.sell": _("Sold"),
    "holdings.item.discard": _("Discarded"),
    "holdings.item.mark_missing": _("Marked missing"),
    "holdings.item.mark_lost": _("Marked lost"),
    "holdings.item.found": _("Found"),
    "holdings.item.write_off": _("Written off"),
    "holdings.item.pull_from_repair": _("Pulled from repair"),
    "holdings.item.send_back": _("Sent back to processing"),
}


def _prepare_move(locked: Item, to: str, *, reason: str, now):
    """Check one move against the lifecycle table and apply it to ``locked`` (not saved).

    Returns the transition rule and the before/after of the audit event.
    """
    rule = transitions.find(locked.status, to)
    if rule is None:
        raise ItemTransitionNotAllowed(
            barcode=locked.barcode,
            source=ItemStatus(locked.status).label,
            target=ItemStatus(to).label if to in ItemStatus.values else to,
        )
    if rule.reason and locked.pulled_reason != rule.reason:
        raise PullReasonMismatch(
            barcode=locked.barcode,
            actual=PullReason(locked.pulled_reason).label if locked.pulled_reason else "-",
            expected=PullReason(rule.reason).label,
        )
    before = {"status": locked.status, "pulled_reason": locked.pulled_reason}
    if to == ItemStatus.PULLED:
        if reason not in PullReason.values:
            raise PullReasonRequired(field="reason")
        locked.pulled_reason = reason
    elif locked.status == ItemStatus.PULLED and to not in (ItemStatus.WITHDRAWN,):
        locked.pulled_reason = ""
    locked.status = to
    locked.status_changed_at = now
    if to in (ItemStatus.AVAILABLE, ItemStatus.PULLED, ItemStatus.READY_FOR_SHELVING):
        locked.last_seen_at = now
    if to == ItemStatus.ON_LOAN:
        locked.loan_count += 1
        locked.last_loan_at = now
    after = {"status": locked.status, "pulled_reason": locked.pulled_reason}
    return rule, before, after


def _check_workflow(rule, item: Item, to: str, workflow: str) -> None:
    """Refuse a move that ``workflow`` does not own (the table names who does)."""
    if workflow not in Workflow.values:
        raise ValueError(f"unknown workflow {workflow!r}")
    if rule is not None and not rule.owned_by(workflow):
        raise MoveBelongsToAnotherWorkflow(barcode=item.barcode, target=ItemStatus(to).label, workflow=rule.workflow)


@action("holdings.item.move", permission=None, label=_("Status changed"), labels=MOVE_LABELS)
def move_item(*, item: Item, to: str, actor, workflow: str, reason: str = "", note: str = "") -> Item:
    """Move an item to another status if the lifecycle table allows it, ``workflow`` owns the move
    and ``actor`` may do it.

    ``workflow`` is the caller's workflow (``Workflow.REPAIR`` from the repair actions...): a move
    another workflow owns is refused, so that workflow's records stay consistent. ``reason`` is the
    pull reason when moving to ``pulled``. The row is locked so two desks cannot both move the item.
    Permission checked inside: each move needs the permission its row of transitions.py names.
    """
    locked = Item.objects.select_for_update(of=("self",)).select_related("record").get(pk=item.pk)
    status_before = locked.status
    rule = transitions.find(status_before, to)
    _check_workflow(rule, locked, to, workflow)
    if rule is not None:
        require(actor, rule.permission)
    rule, before, after = _prepare_move(locked, to, reason=reason, now=timezone.now())
    locked.save(update_fields=MOVED_FIELDS)
    if note:
        after["note"] = note
    audit(actor, rule.verb, locked, before=before, after=after)
    changes.item_changed(locked.pk, locked.record_id)
    for name in (*MOVED_FIELDS, "shelf_key"):  # the caller's copy shows the move without another query
        setattr(item, name, getattr(locked, name))
    return locked


@action("holdings.item.move", permission=None, label=_("Status changed"), labels=MOVE_LABELS)
def change_item_status(*, item: Item, to: str, actor, reason: str = "", note: str = "") -> Item:
    """A staff member moves an item by hand (item page, items API): only the moves no workflow owns
    (``Workflow.ITEM`` in transitions.py); the others are refused with the page of their workflow.
    Permission checked inside, by :func:`move_item`: the one the move's row of transitions.py names."""
    return move_item(item=item, to=to, actor=actor, workflow=Workflow.ITEM, reason=reason, note=note)


MOVED_FIELDS = [
    "status",
    "status_changed_at",
    "pulled_reason",
    "last_seen_at",
    "loan_count",
    "last_loan_at",
    "updated_at",
]


@action("holdings.item.move", permission=None, label=_("Status changed"), labels=MOVE_LABELS)
def move_items(*, items, to: str, actor, workflow: str, reason: str = "", note: str = "") -> list[Item]:
    """Move many items at once (stocktake, batch shelving): all of them or none.

    The same checks as :func:`move_item` (``workflow`` included), with a constant number of queries per batch.
    Permission checked inside: every permission the moves' rows of transitions.py name.
    """
    ids = [item.pk for item in items]
    locked = list(
        Item.objects.select_for_update(of=("self",)).select_related("record").filter(pk__in=ids).order_by("pk")
    )
    now = timezone.now()
    for item in locked:
        _check_workflow(transitions.find(item.status, to), item, to, workflow)
    for permission in {rule.permission for item in locked if (rule := transitions.find(item.status, to))}:
        require(actor, permission)
    events = []
    for item in locked:
        rule, before, after = _prepare_move(item, to, reason=reason, now=now)
        item.updated_at = now
        if note:
            after["note"] = note
        events.append(build_audit(actor, rule.verb, item, before=before, after=after))
    Item.objects.bulk_update(locked, MOVED_FIELDS, batch_size=500)
    AuditEvent.objects.bulk_create(events, batch_size=500)
    changes.items_changed([(item.pk, item.record_id) for item in locked])
    return locked


@action("holdings.item.condition", permission="holdings.change_condition", label=_("Condition recorded"))
def change_condition(*, item: Item, condition: str, actor, note: str = "") -> Item:
    """Record a new physical condition; the change is kept in the item's condition history."""
    if condition not in Condition.values:
        raise ValidationFailed(_("Unknown condition."), field="condition")
    locked = Item.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if locked.condition == condition:
        return locked
    ConditionChange.objects.create(
        item=locked, from_condition=locked.condition, to_condition=condition, note=note, recorded_by=actor
    )
    before = {"condition": locked.condition}
    locked.condition = condition
    locked.save(update_fields=["condition", "updated_at"])
    audit(actor, "holdings.item.condition", locked, before=before, after={"condition": condition, "note": note})
    item.refresh_from_db()
    return locked


@action("holdings.item.delete", permission="holdings.delete_item", label=_("Item deleted"))
def delete_item(*, item: Item, actor) -> None:
    """Delete an item entered by mistake. Items that have circulated or reached the shelf are withdrawn instead."""
    if item.loan_count or item.status not in transitions.INITIAL_STATUSES:
        raise ItemInUse(barcode=item.barcode)
    audit(actor, "holdings.item.delete", item, before=snapshot(item))
    changes.item_changed(item.pk, item.record_id, deleted=True)
    item.delete()


@action("holdings.item_type.create", permission="holdings.manage_item_types", label=_("Item type added"))
def create_item_type(*, actor, code: str, name: str, is_loanable: bool = True):
    """Add an item type (book, reference, magazine, audio-visual...); loan rules key on it."""
    from pustaka.core.actions import CODE_RE
    from pustaka.core.errors import Conflict

    from .models import ItemType

    code = (code or "").strip().upper()
    if not CODE_RE.match(code):
        raise ValidationFailed(
            _("An item type code is 1 to 16 capital letters, digits, dashes or underscores."), field="code"
        )
    if not (name or "").strip():
        raise ValidationFailed(_("An item type needs a name."), field="name")
    if ItemType.objects.filter(code=code).exists():
        raise Conflict(_("An item type with the code %(code)s already exists."), field="code", code=code)
    item_type = ItemType.objects.create(code=code, name=name.strip(), is_loanable=is_loanable)
    audit(actor, "holdings.item_type.create", item_type, after=snapshot(item_type))
    return item_type

"""Technical services: supervision actions. Assign work to technicians, take it, finish it, review it.

- ``assign_work`` (``technical.assign_work``): give scanned items in a queue to a technician; an
  item already assigned in that queue to someone else is reassigned (the earlier assignment closes).
- ``take_work``: a technician takes items in a queue for themself.
- ``finish_assignment``: the assignee (or a supervisor) closes an assignment.
- ``review_work`` (``technical.review_work``): approve, or send back with a note. Sending processing
  work back removes the ticked steps and moves a ready-for-shelving item back into processing
  (``holdings.item.send_back`` in the lifecycle table, which also needs ``holdings.process_item``).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from pustaka.core.audit import audit
from pustaka.core.permissions import has
from pustaka.core.registry import action
from pustaka.holdings.actions import move_item
from pustaka.holdings.choices import ItemStatus, Workflow
from pustaka.holdings.models import Item

from ..choices import Queue, ReviewOutcome
from ..errors.supervision import (
    AssignmentFinished,
    CannotSendBack,
    ItemNotInQueue,
    NotATechnician,
    NoteRequired,
    NothingScanned,
    NotYourAssignment,
    UnknownOutcome,
)
from ..models import Assignment, ProcessingStepDone, Review
from ..queries import BEING_PROCESSED, check_queue, is_worker, queue_items, worker_for

__all__ = ["assign_work", "take_work", "finish_assignment", "review_work"]


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _check_in_queue(items: list[Item], queue: str) -> list[Item]:
    """Lock the items and refuse the first one that is not waiting in ``queue`` (nothing is written)."""
    if not items:
        raise NothingScanned(field="barcodes")
    ids = [item.pk for item in items]
    list(Item.objects.select_for_update(of=("self",)).filter(pk__in=ids).values_list("pk", flat=True))
    inside = set(queue_items(queue).filter(pk__in=ids).values_list("pk", flat=True))
    for item in items:
        if item.pk not in inside:
            item.refresh_from_db(fields=["status"])
            raise ItemNotInQueue(
                field="barcodes", barcode=item.barcode, queue=Queue(queue).label, status=ItemStatus(item.status).label
            )
    unique = {}
    for item in items:
        unique.setdefault(item.pk, item)
    return list(unique.values())


def _give(items: list[Item], queue: str, technician, actor, verb: str) -> list[Assignment]:
    """Open an assignment per item, closing an open one to someone else; one to the same person stays."""
    now = timezone.now()
    current = {
        a.item_id: a
        for a in Assignment.objects.select_for_update(of=("self",))
        .filter(item__in=items, queue=queue, finished_at__isnull=True)
        .select_related("assigned_to")
    }
    result = []
    for item in items:
        earlier = current.get(item.pk)
        if earlier is not None and earlier.assigned_to_id == technician.pk:
            result.append(earlier)  # already theirs: nothing changes
            continue
        if earlier is not None:
            earlier.finished_at = now
            earlier.save(update_fields=["finished_at"])
        assignment = Assignment.objects.create(item=item, queue=queue, assigned_to=technician, assigned_by=actor)
        audit(
            actor,
            verb,
            assignment,
            before={"assigned_to": earlier.assigned_to.get_username()} if earlier else None,
            after={"item": item.barcode, "queue": queue, "assigned_to": technician.get_username()},
        )
        result.append(assignment)
    return result


@action("maintenance.supervision.assign", permission="technical.assign_work", label=gettext_lazy("Work assigned"))
def assign_work(*, items: list[Item], queue: str, technician, actor) -> list[Assignment]:
    """Give scanned items waiting in ``queue`` to a technician (reassigning closes the earlier assignment).

    All or nothing: an item that is not in the queue refuses the whole batch with its reason.
    """
    check_queue(queue)
    if not is_worker(technician):
        raise NotATechnician(field="technician", user=_name(technician))
    items = _check_in_queue(list(items), queue)
    return _give(items, queue, technician, actor, "maintenance.supervision.assign")


@action("maintenance.supervision.take", permission=None, label=gettext_lazy("Work taken"))
def take_work(*, items: list[Item], queue: str, actor) -> list[Assignment]:
    """A technician takes items waiting in ``queue`` for themself.

    Permission checked inside: only a technician or senior technician may take work (no permission
    says it: the role does), so anyone else, the system included, is refused with NotATechnician."""
    check_queue(queue)
    if actor is None or not is_worker(actor):
        raise NotATechnician(field="technician", user=_name(actor) if actor is not None else "system")
    items = _check_in_queue(list(items), queue)
    return _give(items, queue, actor, actor, "maintenance.supervision.take")


@action("maintenance.supervision.finish", permission=None, label=gettext_lazy("Work finished"))
def finish_assignment(*, assignment: Assignment, actor) -> Assignment:
    """Close an assignment: the assignee says the work is done (or a supervisor closes it).

    Permission checked inside: the assignee, or whoever holds ``technical.assign_work``; anyone else is
    refused with NotYourAssignment."""
    locked = (
        Assignment.objects.select_for_update(of=("self",)).select_related("item", "assigned_to").get(pk=assignment.pk)
    )
    if actor is not None and locked.assigned_to_id != actor.pk and not has(actor, "technical.assign_work"):
        raise NotYourAssignment(barcode=locked.item.barcode, user=_name(locked.assigned_to))
    if locked.finished_at is not None:
        raise AssignmentFinished(barcode=locked.item.barcode, queue=Queue(locked.queue).label)
    locked.finished_at = timezone.now()
    locked.save(update_fields=["finished_at"])
    audit(
        actor,
        "maintenance.supervision.finish",
        locked,
        after={"item": locked.item.barcode, "queue": locked.queue, "finished_at": locked.finished_at.isoformat()},
    )
    assignment.finished_at = locked.finished_at
    return locked


@action(
    "maintenance.supervision.approve",
    permission="technical.review_work",
    label=gettext_lazy("Work approved"),
    labels={"maintenance.supervision.send_back": gettext_lazy("Work sent back")},
)
def review_work(*, item: Item, queue: str, outcome: str, actor, note: str = "") -> Review:
    """Approve a technician's work on an item, or send it back with a note saying what to redo.

    Sending processing work back removes the item's ticked steps and moves a ready-for-shelving item
    back into processing. The technician who did the work gets it back in "my work", note on top.
    """
    check_queue(queue)
    if outcome not in ReviewOutcome.values:
        raise UnknownOutcome(field="outcome")
    note = (note or "").strip()
    item = Item.objects.select_for_update(of=("self",)).select_related("record").get(pk=item.pk)
    after = {"item": item.barcode, "queue": queue, "outcome": outcome}
    if outcome == ReviewOutcome.SENT_BACK:
        if not note:
            raise NoteRequired(field="note")
        if queue == Queue.PROCESSING:
            if item.status not in (*BEING_PROCESSED, ItemStatus.READY_FOR_SHELVING):
                raise CannotSendBack(field="barcode", barcode=item.barcode, status=ItemStatus(item.status).label)
            technician = worker_for(item, queue)
            removed = ProcessingStepDone.objects.filter(item=item)
            after["steps_removed"] = removed.count()
            removed.delete()
            if item.status == ItemStatus.READY_FOR_SHELVING:
                move_item(item=item, to=ItemStatus.IN_PROCESSING, actor=actor, workflow=Workflow.PROCESSING, note=note)
                after["status"] = ItemStatus.IN_PROCESSING
        else:
            technician = worker_for(item, queue)
        if technician is not None and technician.is_active:
            # The work goes back to whoever did it: their open assignment, reopened if it was closed.
            if not Assignment.objects.filter(item=item, queue=queue, finished_at__isnull=True).exists():
                Assignment.objects.create(item=item, queue=queue, assigned_to=technician, assigned_by=actor)
            after["sent_back_to"] = technician.get_username()
        after["note"] = note
    elif note:
        after["note"] = note
    review = Review.objects.create(item=item, queue=queue, outcome=outcome, note=note, reviewer=actor)
    audit(
        actor,
        f"maintenance.supervision.{'approve' if outcome == ReviewOutcome.APPROVED else 'send_back'}",
        review,
        after=after,
    )
    return review

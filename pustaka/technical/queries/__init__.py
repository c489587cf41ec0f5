"""Reads that technical-services pages and the API share; above all, which items are in which queue.

Each queue's membership is defined once, here (:func:`queue_filter` / :func:`queue_items`), so the
overview, the per-queue pages, the API and the assignment checks all agree:

- cataloguing: received or in processing, with no call number (neither the copy's nor the record's);
- processing: received or in processing, with a call number;
- shelving: ready for shelving;
- pulling: on an open pull list and not yet pulled or flagged;
- repair: in repair, or with an open repair ticket;
- bindery: at the bindery;
- withdrawal: pulled for weeding (waiting to be withdrawn);
- sale: for sale.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from pustaka.core.choices import Role
from pustaka.holdings.choices import ItemStatus, PullReason
from pustaka.holdings.models import Item

from ..choices import PullEntryState, PullListStatus, Queue, RepairStatus, ReviewOutcome
from ..errors.supervision import UnknownQueue
from ..models import Assignment, ProcessingStepDone, PullListEntry, RepairTicket, Review

# Technicians and senior technicians are the people work is assigned to (and who may take it).
WORKER_ROLES = (Role.TECHNICIAN.value, Role.SENIOR_TECHNICIAN.value)
BEING_PROCESSED = (ItemStatus.RECEIVED, ItemStatus.IN_PROCESSING)


def check_queue(queue: str) -> str:
    """The queue's value, or :class:`UnknownQueue`."""
    if queue not in Queue.values:
        raise UnknownQueue(field="queue", queue=queue)
    return queue


def queue_filter(queue: str, *, prefix: str = "") -> Q:
    """The condition an item meets while it waits in ``queue``.

    ``prefix`` is ``""`` for a query on items or ``"item__"`` for a query on rows pointing at an item
    (assignments, reviews).
    """
    check_queue(queue)
    if prefix not in ("", "item__"):
        raise ValueError("prefix must be '' or 'item__'")
    p = prefix
    item_ref = OuterRef("item_id" if p else "pk")
    no_call_number = Q(**{f"{p}call_number": "", f"{p}record__call_number": ""})
    if queue == Queue.CATALOGUING:
        return Q(**{f"{p}status__in": BEING_PROCESSED}) & no_call_number
    if queue == Queue.PROCESSING:
        return Q(**{f"{p}status__in": BEING_PROCESSED}) & ~no_call_number
    if queue == Queue.SHELVING:
        return Q(**{f"{p}status": ItemStatus.READY_FOR_SHELVING})
    if queue == Queue.PULLING:
        waiting = PullListEntry.objects.filter(
            item=item_ref, state=PullEntryState.WAITING, pull_list__status=PullListStatus.OPEN
        )
        return Q(Exists(waiting))
    if queue == Queue.REPAIR:
        open_ticket = RepairTicket.objects.filter(item=item_ref, status=RepairStatus.OPEN)
        return Q(**{f"{p}status": ItemStatus.IN_REPAIR}) | Q(Exists(open_ticket))
    if queue == Queue.BINDERY:
        return Q(**{f"{p}status": ItemStatus.AT_BINDERY})
    if queue == Queue.WITHDRAWAL:
        return Q(**{f"{p}status": ItemStatus.PULLED, f"{p}pulled_reason": PullReason.WEED})
    return Q(**{f"{p}status": ItemStatus.FOR_SALE})  # Queue.SALE


def queue_items(queue: str, branch=None) -> QuerySet:
    """The items waiting in ``queue`` (at one branch, or everywhere), oldest first."""
    items = Item.objects.filter(queue_filter(queue))
    if branch is not None:
        items = items.filter(branch=branch)
    return items.select_related("record", "branch", "location").order_by(
        Coalesce("status_changed_at", "created_at"), "id"
    )


def in_queue_expression():
    """An annotation for assignments: True while the assigned item is still in the assignment's queue."""
    return Case(
        *[When(Q(queue=queue) & queue_filter(queue, prefix="item__"), then=Value(True)) for queue in Queue.values],
        default=Value(False),
    )


def open_assignments() -> QuerySet:
    """Assignments not finished, with the item and the people."""
    return Assignment.objects.filter(finished_at__isnull=True).select_related(
        "item__record", "item__branch", "assigned_to", "assigned_by"
    )


def live_assignments(branch=None) -> QuerySet:
    """Open assignments whose item is still in the queue (work done but not finished does not count)."""
    assignments = open_assignments().alias(in_queue=in_queue_expression()).filter(in_queue=True)
    if branch is not None:
        assignments = assignments.filter(item__branch=branch)
    return assignments


def workers() -> QuerySet:
    """Active staff work may be assigned to: technicians and senior technicians."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=WORKER_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def is_worker(user) -> bool:
    """True when ``user`` is an active technician or senior technician."""
    return bool(user is not None and user.is_active and user.groups.filter(name__in=WORKER_ROLES).exists())


# The overview ----------------------------------------------------------------------------------------


@dataclass
class QueueSummary:
    """One queue on the overview: how much waits, since when, and how much of it someone works on."""

    queue: str
    count: int = 0
    assigned: int = 0
    oldest: datetime | None = None
    workers: list[dict] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Queue(self.queue).label

    @property
    def unassigned(self) -> int:
        return max(self.count - self.assigned, 0)

    @property
    def oldest_age(self) -> timedelta | None:
        return timezone.now() - self.oldest if self.oldest else None


def _assigned_here(queue: str) -> Exists:
    return Exists(Assignment.objects.filter(item=OuterRef("pk"), queue=queue, finished_at__isnull=True))


def queue_overview(branch=None, *, with_workers: bool = True) -> list[QueueSummary]:
    """Every queue with its count, oldest item, assigned count and who works on it: two queries in all."""
    items = Item.objects.all()
    if branch is not None:
        items = items.filter(branch=branch)
    since = Coalesce("status_changed_at", "created_at")
    aggregates = {}
    for queue in Queue.values:
        if queue == Queue.PULLING:
            continue  # its age is the age of the pull list, below
        where = queue_filter(queue)
        aggregates[f"{queue}__count"] = Count("pk", filter=where)
        aggregates[f"{queue}__oldest"] = Min(since, filter=where)
        aggregates[f"{queue}__assigned"] = Count("pk", filter=where & Q(_assigned_here(queue)))
    # Pulling: the item has been on the shelf for years; what counts is how long the list has waited.
    waiting = PullListEntry.objects.filter(
        item=OuterRef("pk"), state=PullEntryState.WAITING, pull_list__status=PullListStatus.OPEN
    )
    pulling = queue_filter(Queue.PULLING)
    aggregates["pulling__count"] = Count("pk", filter=pulling)
    aggregates["pulling__assigned"] = Count("pk", filter=pulling & Q(_assigned_here(Queue.PULLING)))
    aggregates["pulling__oldest"] = Min(
        Subquery(waiting.order_by("pull_list__created_at").values("pull_list__created_at")[:1]), filter=pulling
    )
    totals = items.aggregate(**aggregates)
    summaries = {
        queue: QueueSummary(
            queue=queue,
            count=totals[f"{queue}__count"] or 0,
            assigned=totals[f"{queue}__assigned"] or 0,
            oldest=totals[f"{queue}__oldest"],
        )
        for queue in Queue.values
    }
    if with_workers:
        for row in who_works_on_what(branch):
            summaries[row["queue"]].workers.append(row)
    return list(summaries.values())


def who_works_on_what(branch=None) -> list[dict]:
    """Open assignments still in their queue, counted per queue and technician (one query)."""
    rows = (
        live_assignments(branch)
        .order_by()
        .values("queue", "assigned_to", "assigned_to__username", "assigned_to__first_name", "assigned_to__last_name")
        .annotate(n=Count("pk"), since=Min("assigned_at"))
        .order_by("queue", "-n", "assigned_to__username")
    )
    result = []
    for row in rows:
        name = f"{row['assigned_to__first_name']} {row['assigned_to__last_name']}".strip()
        result.append(
            {
                "queue": row["queue"],
                "user_id": row["assigned_to"],
                "username": row["assigned_to__username"],
                "name": name or row["assigned_to__username"],
                "count": row["n"],
                "since": row["since"],
            }
        )
    return result


# My work and reviews -----------------------------------------------------------------------------------


def _latest_review(field_name: str):
    latest = Review.objects.filter(item=OuterRef("item_id"), queue=OuterRef("queue")).order_by("-reviewed_at", "-id")
    return Subquery(latest.values(field_name)[:1])


def my_work(user) -> list[Assignment]:
    """The user's open assignments, work sent back (with the reviewer's note) first, then oldest first.

    Each carries ``in_queue`` (False once the item has left the queue: time to finish it),
    ``review_outcome``, ``review_note`` and ``reviewed_at`` of the latest review of that item in that queue.
    """
    assignments = (
        open_assignments()
        .filter(assigned_to=user)
        .annotate(
            in_queue=in_queue_expression(),
            review_outcome=_latest_review("outcome"),
            review_note=_latest_review("note"),
            reviewed_at=_latest_review("reviewed_at"),
        )
        .annotate(sent_back=Case(When(review_outcome=ReviewOutcome.SENT_BACK, then=Value(True)), default=Value(False)))
        .order_by("-sent_back", "assigned_at", "id")
    )
    return list(assignments)


def recent_work_to_review(*, days: int = 7, branch=None) -> QuerySet:
    """Items that reached ready-for-shelving in the last ``days`` days, with who did the work and the
    latest review (``review_outcome``/``reviewed_at``; a review older than the move does not count)."""
    since = timezone.now() - timedelta(days=days)
    latest_step = ProcessingStepDone.objects.filter(item=OuterRef("pk")).order_by("-done_at", "-id")
    latest_assignment = Assignment.objects.filter(item=OuterRef("pk"), queue=Queue.PROCESSING).order_by(
        "-assigned_at", "-id"
    )
    latest_review = Review.objects.filter(
        item=OuterRef("pk"), queue=Queue.PROCESSING, reviewed_at__gte=OuterRef("status_changed_at")
    ).order_by("-reviewed_at", "-id")
    items = Item.objects.filter(status=ItemStatus.READY_FOR_SHELVING, status_changed_at__gte=since)
    if branch is not None:
        items = items.filter(branch=branch)
    user_model = get_user_model()
    worker_id = Coalesce(
        Subquery(latest_assignment.values("assigned_to")[:1]), Subquery(latest_step.values("done_by")[:1])
    )
    return (
        items.select_related("record", "branch", "location")
        .defer("record__marc", "record__summary", "record__notes")
        .annotate(
            worker_id=worker_id,
            worker_username=Subquery(user_model.objects.filter(pk=OuterRef("worker_id")).values("username")[:1]),
            steps_done=Count("processing_done", distinct=True),
            review_outcome=Subquery(latest_review.values("outcome")[:1]),
            reviewed_at=Subquery(latest_review.values("reviewed_at")[:1]),
        )
        .order_by(F("status_changed_at").desc(), "id")
    )


def worker_for(item: Item, queue: str):
    """Who did the work on ``item`` in ``queue``: the latest assignee, else who ticked the last processing step."""
    assignment = Assignment.objects.filter(item=item, queue=queue).select_related("assigned_to").first()
    if assignment is not None:
        return assignment.assigned_to
    if queue == Queue.PROCESSING:
        step = ProcessingStepDone.objects.filter(item=item, done_by__isnull=False).select_related("done_by").last()
        if step is not None:
            return step.done_by
    return None

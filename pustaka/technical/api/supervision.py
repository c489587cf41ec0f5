"""API: supervision. Work queues at a glance, assignments of work to technicians, reviews of their work.

- ``GET /queues``: per queue its count, oldest item, assigned and unassigned counts (staff who may
  see pull lists or process items, like the overview page).
- ``GET /assignments`` (``technical.view_assignment``), ``POST /assignments`` (with ``assigned_to``:
  ``technical.assign_work``; without: a technician takes the items), ``POST /assignments/{id}/finish``.
- ``GET /reviews`` (``technical.view_review``), ``POST /reviews`` (``technical.review_work``).
"""

from datetime import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core import lookups
from pustaka.core.api import (
    ERRORS,
    InSchema,
    Pagination,
    QuerySchema,
    api,
    get_or_error,
    staff_endpoint,
)
from pustaka.core.models import Branch
from pustaka.core.permissions import require
from pustaka.holdings.errors import ItemNotFound
from pustaka.holdings.queries import find_by_barcode

from .. import actions, queries
from ..choices import Queue, ReviewOutcome
from ..errors.supervision import AssignmentNotFound, TechnicianNotFound
from ..models import Assignment, Review

router = Router(tags=["technical services: supervision"])

QueueValue = Literal[tuple(Queue.values)]
OutcomeValue = Literal[tuple(ReviewOutcome.values)]
QUEUE_READERS = ("technical.view_pulllist", "holdings.process_item")


class AssignedItemRef(Schema):
    barcode: str
    title: str
    status: str

    @staticmethod
    def resolve_title(obj) -> str:
        return obj["title"] if isinstance(obj, dict) else obj.record.title


class QueueOut(Schema):
    queue: str
    label: str
    count: int
    assigned: int
    unassigned: int
    oldest_since: datetime | None = Field(None, description="When the oldest item entered the queue.")
    oldest_age_seconds: int | None = None


class AssignmentOut(Schema):
    id: int
    item: AssignedItemRef
    queue: str
    queue_label: str
    assigned_to: str = Field(..., description="Username of the technician.")
    assigned_by: str | None
    assigned_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_queue_label(obj) -> str:
        return str(Queue(obj.queue).label)

    @staticmethod
    def resolve_assigned_to(obj) -> str:
        return obj.assigned_to.get_username()

    @staticmethod
    def resolve_assigned_by(obj) -> str | None:
        return obj.assigned_by.get_username() if obj.assigned_by else None


class ReviewOut(Schema):
    id: int
    item: AssignedItemRef
    queue: str
    outcome: str
    note: str
    reviewer: str = Field(..., description="Username of the reviewer.")
    reviewed_at: datetime

    @staticmethod
    def resolve_reviewer(obj) -> str:
        return obj.reviewer.get_username()


def _branch(code: str) -> Branch | None:
    if not code:
        return None
    return lookups.get_branch(code)


def _items(barcodes: list[str]) -> list:
    found = []
    for barcode in barcodes:
        item = find_by_barcode(barcode)
        if item is None:
            raise ItemNotFound(field="barcodes", barcode=barcode)
        found.append(item)
    return found


# Queues -----------------------------------------------------------------------------------------------


class QueueOverviewFilters(QuerySchema):
    branch: str = Field("", max_length=16, description="Branch code; all branches when empty.")


@router.get("/queues", response={200: list[QueueOut], **ERRORS})
@staff_endpoint(any_of=QUEUE_READERS)
def list_queues(request, filters: Query[QueueOverviewFilters]):
    """Staff who may see pull lists or process items: every queue's count, oldest item and assigned counts."""
    result = []
    for s in queries.queue_overview(_branch(filters.branch), with_workers=False):
        age = s.oldest_age
        result.append(
            {
                "queue": s.queue,
                "label": str(s.label),
                "count": s.count,
                "assigned": s.assigned,
                "unassigned": s.unassigned,
                "oldest_since": s.oldest,
                "oldest_age_seconds": int(age.total_seconds()) if age is not None else None,
            }
        )
    return result


# Assignments -------------------------------------------------------------------------------------------


class AssignmentFilters(QuerySchema):
    queue: QueueValue | None = None
    assigned_to: str = Field("", max_length=150, description="Username.")
    barcode: str = Field("", max_length=32)
    open: bool | None = Field(None, description="true: not finished; false: finished.")
    branch: str = Field("", max_length=16)


def assignments_for_list(filters: AssignmentFilters) -> QuerySet:
    """Assignments matching the filters, newest first, with item and people in the same query."""
    rows = Assignment.objects.select_related("item__record", "assigned_to", "assigned_by").defer(
        "item__record__marc", "item__record__summary", "item__record__notes"
    )
    if filters.queue:
        rows = rows.filter(queue=filters.queue)
    if filters.assigned_to:
        rows = rows.filter(assigned_to__username__iexact=filters.assigned_to)
    if filters.barcode:
        rows = rows.filter(item__barcode=filters.barcode)
    if filters.open is not None:
        rows = rows.filter(finished_at__isnull=filters.open)
    if filters.branch:
        rows = rows.filter(item__branch=_branch(filters.branch))
    return rows.order_by("-assigned_at", "-id")


@router.get("/assignments", response={200: list[AssignmentOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_assignment")
def list_assignments(request, filters: Query[AssignmentFilters]):
    """Staff with ``technical.view_assignment``: assignments, filtered."""
    return assignments_for_list(filters)


class AssignmentIn(InSchema):
    queue: QueueValue
    barcodes: list[str] = Field(..., min_length=1, max_length=500)
    assigned_to: str | None = Field(
        None, max_length=150, description="Username of the technician; leave out to take the work yourself."
    )


@router.post("/assignments", response={201: list[AssignmentOut], **ERRORS})
@staff_endpoint(None)  # taking work is the action's to allow; assigning it to others needs assign_work
def create_assignments(request, payload: AssignmentIn):
    """Assign items in a queue to a technician (``technical.assign_work``), or take them yourself.

    All or nothing: an unknown barcode (404) or an item not in the queue (409 ``item_not_in_queue``)
    assigns nothing.
    """
    if payload.assigned_to:
        require(request.user, "technical.assign_work")
        technician = get_user_model().objects.filter(username__iexact=payload.assigned_to, is_active=True).first()
        if technician is None:
            raise TechnicianNotFound(field="assigned_to", username=payload.assigned_to)
        done = actions.assign_work(
            items=_items(payload.barcodes), queue=payload.queue, technician=technician, actor=request.user
        )
    else:
        done = actions.take_work(items=_items(payload.barcodes), queue=payload.queue, actor=request.user)
    ids = [a.pk for a in done]
    rows = Assignment.objects.select_related("item__record", "assigned_to", "assigned_by").filter(pk__in=ids)
    return Status(201, list(rows.order_by("id")))


@router.post("/assignments/{assignment_id}/finish", response={200: AssignmentOut, **ERRORS})
@staff_endpoint("technical.view_assignment")
def finish_assignment(request, assignment_id: int):
    """The assignee (or someone with ``technical.assign_work``) finishes an assignment."""
    rows = Assignment.objects.select_related("item__record", "assigned_to", "assigned_by")
    assignment = get_or_error(rows, AssignmentNotFound, {"id": assignment_id}, pk=assignment_id)
    actions.finish_assignment(assignment=assignment, actor=request.user)
    return rows.get(pk=assignment.pk)


# Reviews -------------------------------------------------------------------------------------------------


class ReviewFilters(QuerySchema):
    queue: QueueValue | None = None
    outcome: OutcomeValue | None = None
    barcode: str = Field("", max_length=32)
    reviewer: str = Field("", max_length=150, description="Username.")


@router.get("/reviews", response={200: list[ReviewOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_review")
def list_reviews(request, filters: Query[ReviewFilters]):
    """Staff with ``technical.view_review``: reviews, newest first."""
    rows = Review.objects.select_related("item__record", "reviewer").defer(
        "item__record__marc", "item__record__summary", "item__record__notes"
    )
    if filters.queue:
        rows = rows.filter(queue=filters.queue)
    if filters.outcome:
        rows = rows.filter(outcome=filters.outcome)
    if filters.barcode:
        rows = rows.filter(item__barcode=filters.barcode)
    if filters.reviewer:
        rows = rows.filter(reviewer__username__iexact=filters.reviewer)
    return rows.order_by("-reviewed_at", "-id")


class ReviewIn(InSchema):
    barcode: str = Field(..., min_length=1, max_length=32)
    queue: QueueValue
    outcome: OutcomeValue
    note: str = Field("", max_length=2000, description="Required when sending work back.")


@router.post("/reviews", response={201: ReviewOut, **ERRORS})
@staff_endpoint("technical.review_work")
def create_review(request, payload: ReviewIn):
    """Staff with ``technical.review_work`` approve work or send it back with a note (400 ``note_required``)."""
    item = find_by_barcode(payload.barcode)
    if item is None:
        raise ItemNotFound(field="barcode", barcode=payload.barcode)
    review = actions.review_work(
        item=item, queue=payload.queue, outcome=payload.outcome, note=payload.note, actor=request.user
    )
    return Status(201, Review.objects.select_related("item__record", "reviewer").get(pk=review.pk))


api.add_router("/", router)

"""API: the processing queue (``/processing``), processing profiles and the shelving queue (``/shelving``).

Staff only. Reads need ``technical.view_processingprofile`` (the shelving queue: ``holdings.shelve_item``,
the cataloguer's queue: ``catalog.catalogue``); writes go through the processing actions, which
check ``technical.do_processing``, ``technical.manage_processing_profiles`` or
``holdings.shelve_item`` and write the audit trail. Items are named by barcode, branches by code.
"""

from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core import lookups
from pustaka.core.api import (
    ERRORS,
    MAX_ID,
    InSchema,
    Pagination,
    QuerySchema,
    api,
    get_or_error,
    staff_endpoint,
)
from pustaka.core.permissions import require

from .. import actions
from ..choices import StepKind
from ..errors.processing import ProfileNotFound, StepNotFound
from ..models import ProcessingProfile, ProcessingStep
from ..queries import processing as queries

router = Router(tags=["processing"])
shelving_router = Router(tags=["shelving"])

VIEW_PERM = "technical.view_processingprofile"


class StepOut(Schema):
    id: int
    kind: str
    name: str = Field(description="The library's own name, or the usual name of the kind.")
    position: int
    is_enabled: bool

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class ProfileOut(Schema):
    id: int
    name: str
    branch: str | None = Field(None, description="Branch code; empty for the library default.")
    steps: list[StepOut]

    @staticmethod
    def resolve_branch(obj) -> str | None:
        return obj.branch.code if obj.branch_id else None

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())


class StepStateOut(Schema):
    id: int
    kind: str
    name: str
    done: bool
    done_by: str | None = None
    done_at: datetime | None = None


class ProgressOut(Schema):
    barcode: str
    record_id: int
    title: str
    call_number: str
    branch: str
    location: str | None
    status: str
    profile: int
    steps_done: int
    steps_total: int
    steps: list[StepStateOut]


class QueueItemOut(Schema):
    barcode: str
    record_id: int
    title: str
    call_number: str
    branch: str
    location: str | None
    status: str
    status_changed_at: datetime | None


def progress_out(p: queries.Progress) -> dict:
    """An item's progress as the API shows it (enabled steps only)."""
    item = p.item
    return {
        **queue_item_out(item),
        "profile": p.profile.pk,
        "steps_done": p.done_count,
        "steps_total": p.total,
        "steps": [
            {
                "id": s.step.pk,
                "kind": s.step.kind,
                "name": str(s.step),
                "done": s.is_done,
                "done_by": s.done.done_by.username if s.done and s.done.done_by else None,
                "done_at": s.done.done_at if s.done else None,
            }
            for s in p.enabled
        ],
    }


def queue_item_out(item) -> dict:
    return {
        "barcode": item.barcode,
        "record_id": item.record_id,
        "title": item.record.title,
        "call_number": item.effective_call_number,
        "branch": item.branch.code,
        "location": item.location.code if item.location_id else None,
        "status": item.status,
        "status_changed_at": item.status_changed_at,
    }


class QueueFilters(QuerySchema):
    branch: str = Field("", max_length=16, description="Branch code.")


def _branch(code: str):
    if not code:
        return None

    return lookups.get_branch(code)


def _progress_for(barcodes: list[str]) -> list[dict]:
    items = {
        i.barcode: i
        for i in queries.items_with_parts().filter(barcode__in=barcodes).prefetch_related("processing_done__done_by")
    }
    return [progress_out(p) for p in queries.progress_of(items[b] for b in barcodes if b in items)]


class ProcessingPagination(Pagination):
    """Pages of the processing queue, each item with its progress (a fixed number of queries a page)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [progress_out(p) for p in queries.progress_of(page["items"])]
        return page


class QueuePagination(Pagination):
    """Pages of a queue of items (one query a page, plus the count)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [queue_item_out(i) for i in page["items"]]
        return page


@router.get("/processing", response={200: list[ProgressOut], **ERRORS})
@paginate(ProcessingPagination)
@staff_endpoint("technical.view_processingprofile")
def list_processing_queue(request, filters: Query[QueueFilters]):
    """Staff with ``technical.view_processingprofile``: received items and items in processing that
    have a call number, oldest first, with the steps done."""
    require(request.user, VIEW_PERM)
    return queries.processing_queue(branch=_branch(filters.branch))


@router.get("/processing/cataloguing", response={200: list[QueueItemOut], **ERRORS})
@paginate(QueuePagination)
@staff_endpoint("catalog.catalogue")
def list_cataloguing_queue(request, filters: Query[QueueFilters]):
    """Staff with ``catalog.catalogue``: received items still waiting for a call number."""
    return queries.cataloguing_queue(branch=_branch(filters.branch))


@router.get("/processing/items/{barcode}", response={200: ProgressOut, **ERRORS})
@staff_endpoint("technical.view_processingprofile")
def get_processing_progress(request, barcode: str):
    """Staff with ``technical.view_processingprofile``: an item's steps in its branch's profile."""
    require(request.user, VIEW_PERM)
    (item,) = actions.items_for_barcodes([barcode])
    return _progress_for([item.barcode])[0]


class ProcessingScanIn(InSchema):
    barcode: str = Field(..., min_length=1, max_length=32)


@router.post("/processing/scans", response={200: ProgressOut, **ERRORS})
@staff_endpoint("technical.do_processing")
def scan_for_processing(request, payload: ProcessingScanIn):
    """Staff with ``technical.do_processing``: scan an item; a received item starts processing
    (``maintenance.processing.start``)."""
    (item,) = actions.items_for_barcodes([payload.barcode])
    actions.start_processing(item=item, actor=request.user)
    return _progress_for([item.barcode])[0]


class TickIn(InSchema):
    barcodes: list[str] = Field(..., min_length=1, max_length=actions.processing.MAX_BATCH)
    step: int = Field(..., ge=1, le=MAX_ID, description="A step id of the items' processing profile.")


@router.post("/processing/ticks", response={200: list[ProgressOut], **ERRORS})
@staff_endpoint("technical.do_processing")
def tick_steps(request, payload: TickIn):
    """Staff with ``technical.do_processing``: record a step done for one or more items, all or
    nothing (``maintenance.processing.tick``); items with every step done move to the shelving queue."""
    step = get_or_error(
        ProcessingStep.objects.select_related("profile"), StepNotFound, {"id": payload.step}, pk=payload.step
    )
    items = actions.items_for_barcodes(payload.barcodes)
    actions.tick_processing_step(items=items, step=step, actor=request.user)
    return _progress_for([i.barcode for i in items])


# Profiles ---------------------------------------------------------------------------------------


def _profiles():
    return ProcessingProfile.objects.select_related("branch").prefetch_related(
        queries._steps()  # noqa: SLF001 - the shared prefetch of ordered steps
    )


@router.get("/processing/profiles", response={200: list[ProfileOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_processingprofile")
def list_profiles(request):
    """Staff with ``technical.view_processingprofile``: the library default first, then each branch's own."""
    require(request.user, VIEW_PERM)
    queries.library_profile()
    return _profiles().order_by("branch__code")


@router.get("/processing/profiles/for-branch/{code}", response={200: ProfileOut, **ERRORS})
@staff_endpoint("technical.view_processingprofile")
def profile_for_branch(request, code: str):
    """Staff with ``technical.view_processingprofile``: the profile the branch follows (its own or the default)."""
    require(request.user, VIEW_PERM)
    return queries.profile_for(_branch(code))


class BranchProfileIn(InSchema):
    branch: str = Field(..., min_length=1, max_length=16)


@router.post("/processing/profiles", response={201: ProfileOut, **ERRORS})
@staff_endpoint("technical.manage_processing_profiles")
def create_profile(request, payload: BranchProfileIn):
    """Staff with ``technical.manage_processing_profiles``: give a branch its own profile (a copy of the default)."""
    profile = actions.create_branch_profile(branch=_branch(payload.branch), actor=request.user)
    return Status(201, _profiles().get(pk=profile.pk))


def _profile(profile_id: int) -> ProcessingProfile:
    return get_or_error(_profiles(), ProfileNotFound, {"id": profile_id}, pk=profile_id)


class StepIn(InSchema):
    kind: str = Field(..., json_schema_extra={"enum": StepKind.values})
    name: str = Field("", max_length=100)


@router.post("/processing/profiles/{profile_id}/steps", response={201: ProfileOut, **ERRORS})
@staff_endpoint("technical.manage_processing_profiles")
def add_step(request, profile_id: int, payload: StepIn):
    """Staff with ``technical.manage_processing_profiles``: add a step at the end."""
    actions.add_processing_step(profile=_profile(profile_id), kind=payload.kind, name=payload.name, actor=request.user)
    return Status(201, _profile(profile_id))


class StepPatch(InSchema):
    name: str | None = Field(None, max_length=100)
    is_enabled: bool | None = None


@router.patch("/processing/steps/{step_id}", response={200: ProfileOut, **ERRORS})
@staff_endpoint("technical.manage_processing_profiles")
def change_step(request, step_id: int, payload: StepPatch):
    """Staff with ``technical.manage_processing_profiles``: rename a step or turn it on or off."""
    step = get_or_error(ProcessingStep.objects.select_related("profile"), StepNotFound, {"id": step_id}, pk=step_id)
    require(request.user, "technical.manage_processing_profiles")
    if payload.name is not None:
        actions.rename_processing_step(step=step, name=payload.name, actor=request.user)
    if payload.is_enabled is not None:
        actions.set_processing_step_enabled(step=step, is_enabled=payload.is_enabled, actor=request.user)
    return _profile(step.profile_id)


class OrderIn(InSchema):
    steps: list[int] = Field(..., min_length=1, max_length=100, description="Every step id, in the new order.")


@router.put("/processing/profiles/{profile_id}/order", response={200: ProfileOut, **ERRORS})
@staff_endpoint("technical.manage_processing_profiles")
def order_steps(request, profile_id: int, payload: OrderIn):
    """Staff with ``technical.manage_processing_profiles``: put the steps in this order."""
    actions.order_processing_steps(profile=_profile(profile_id), step_ids=payload.steps, actor=request.user)
    return _profile(profile_id)


# Shelving ---------------------------------------------------------------------------------------


@shelving_router.get("/shelving", response={200: list[QueueItemOut], **ERRORS})
@paginate(QueuePagination)
@staff_endpoint("holdings.shelve_item")
def list_shelving_queue(request, filters: Query[QueueFilters]):
    """Staff with ``holdings.shelve_item``: items ready for shelving, in shelf order (location, call number)."""
    return queries.shelving_queue(branch=_branch(filters.branch))


class ShelveIn(InSchema):
    barcodes: list[str] = Field(..., min_length=1, max_length=actions.processing.MAX_BATCH)


@shelving_router.post("/shelving/confirmations", response={200: list[QueueItemOut], **ERRORS})
@staff_endpoint("holdings.shelve_item")
def confirm_on_shelf(request, payload: ShelveIn):
    """Staff with ``holdings.shelve_item``: items are on the shelf and available, all or nothing
    (``maintenance.shelving.confirm``)."""
    items = actions.items_for_barcodes(payload.barcodes)
    shelved = actions.confirm_shelved(items=items, actor=request.user)
    by_pk = {i.pk: i for i in queries.items_with_parts().filter(pk__in=[i.pk for i in shelved])}
    return [queue_item_out(by_pk[i.pk]) for i in shelved]


api.add_router("/", router)
api.add_router("/", shelving_router)

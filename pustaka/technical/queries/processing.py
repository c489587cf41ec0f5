"""Reads shared by the processing and shelving pages and API: the queues, profiles and progress."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item

from ..choices import StepKind
from ..models import ProcessingProfile, ProcessingStep, ProcessingStepDone

PROCESSING_STATUSES = (ItemStatus.RECEIVED, ItemStatus.IN_PROCESSING)

# The usual steps of a new library's profile, in order; RFID starts turned off (most use a strip).
DEFAULT_STEPS = [
    (StepKind.CATALOGUE, True),
    (StepKind.STAMP, True),
    (StepKind.SPINE_LABEL, True),
    (StepKind.BARCODE_LABEL, True),
    (StepKind.COVER, True),
    (StepKind.SECURITY_STRIP, True),
    (StepKind.RFID_TAG, False),
]

HAS_CALL_NUMBER = ~Q(call_number="") | ~Q(record__call_number="")


def items_with_parts() -> QuerySet:
    """Items with what a queue row shows, in one query."""
    return Item.objects.select_related("record", "branch", "location").defer(
        "record__marc", "record__summary", "record__notes", "record__subjects"
    )


def processing_queue(*, branch=None) -> QuerySet:
    """Received items and items in processing that have a call number, oldest first, with the steps done."""
    items = items_with_parts().filter(status__in=PROCESSING_STATUSES).filter(HAS_CALL_NUMBER)
    if branch is not None:
        items = items.filter(branch=branch)
    done = ProcessingStepDone.objects.select_related("done_by")
    return items.prefetch_related(Prefetch("processing_done", queryset=done)).order_by("status_changed_at", "barcode")


def cataloguing_queue(*, branch=None) -> QuerySet:
    """Received items and items in processing still without a call number: the cataloguer's queue."""
    items = items_with_parts().filter(status__in=PROCESSING_STATUSES, call_number="", record__call_number="")
    if branch is not None:
        items = items.filter(branch=branch)
    return items.order_by("status_changed_at", "barcode")


def shelving_queue(*, branch=None) -> QuerySet:
    """Items ready for shelving, in shelf order: location, then call number as librarians sort it."""
    items = items_with_parts().filter(status=ItemStatus.READY_FOR_SHELVING)
    if branch is not None:
        items = items.filter(branch=branch)
    return items.order_by("branch__code", "location__sort_order", "location__name", "shelf_key", "barcode")


def _steps() -> Prefetch:
    return Prefetch("steps", queryset=ProcessingStep.objects.order_by("position", "id"))


def library_profile() -> ProcessingProfile:
    """The library's default profile; made with the usual steps the first time anyone asks for it."""
    profile = ProcessingProfile.objects.filter(branch__isnull=True).prefetch_related(_steps()).first()
    if profile is not None:
        return profile
    from ..actions.processing import create_library_profile

    create_library_profile(actor=None)
    return ProcessingProfile.objects.prefetch_related(_steps()).get(branch__isnull=True)


def profile_for(branch) -> ProcessingProfile:
    """The profile a branch follows: its own, or the library default."""
    own = ProcessingProfile.objects.filter(branch=branch).prefetch_related(_steps()).first()
    return own or library_profile()


def profiles_for(branch_ids) -> dict[int, ProcessingProfile]:
    """Branch id → the profile it follows, for many branches in two queries (list pages)."""
    branch_ids = set(branch_ids)
    own = {
        p.branch_id: p for p in ProcessingProfile.objects.filter(branch_id__in=branch_ids).prefetch_related(_steps())
    }
    default = None
    result = {}
    for branch_id in branch_ids:
        if branch_id in own:
            result[branch_id] = own[branch_id]
        else:
            default = default or library_profile()
            result[branch_id] = default
    return result


@dataclass
class StepState:
    """One step of an item's profile and whether (by whom, when) it is done."""

    step: ProcessingStep
    done: ProcessingStepDone | None = None

    @property
    def is_done(self) -> bool:
        return self.done is not None


@dataclass
class Progress:
    """An item's way through its branch's processing profile."""

    item: Item
    profile: ProcessingProfile
    steps: list[StepState] = field(default_factory=list)

    @property
    def enabled(self) -> list[StepState]:
        return [s for s in self.steps if s.step.is_enabled]

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.enabled if s.is_done)

    @property
    def total(self) -> int:
        return len(self.enabled)

    @property
    def is_complete(self) -> bool:
        return self.done_count == self.total

    @property
    def next_step(self) -> ProcessingStep | None:
        return next((s.step for s in self.enabled if not s.is_done), None)


def progress(item: Item, profile: ProcessingProfile | None = None, done=None) -> Progress:
    """The steps of ``item``'s profile with the ones done; ``done`` may be given prefetched."""
    profile = profile or profile_for(item.branch)
    if done is None:
        done = list(ProcessingStepDone.objects.filter(item=item).select_related("done_by"))
    by_step = {d.step_id: d for d in done}
    return Progress(item=item, profile=profile, steps=[StepState(s, by_step.get(s.pk)) for s in profile.steps.all()])


def progress_of(items) -> list[Progress]:
    """Progress of many items (prefetched ``processing_done``) with a fixed number of queries."""
    items = list(items)
    profiles = profiles_for(i.branch_id for i in items)
    return [progress(i, profiles[i.branch_id], list(i.processing_done.all())) for i in items]

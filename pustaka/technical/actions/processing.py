"""Processing new items and shelving: profiles and their steps, ticking steps, confirming items on the shelf.

A branch follows its own processing profile, or the library default when it has none. Ticking the
last enabled step moves the item to ``ready_for_shelving`` (the shelving queue); the shelver's scan
moves it to ``available``. Status changes go through :func:`pustaka.holdings.actions.move_item`.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.errors import ValidationFailed
from pustaka.core.registry import action
from pustaka.holdings.actions import move_item
from pustaka.holdings.choices import ItemStatus, Workflow
from pustaka.holdings.errors import ItemNotFound
from pustaka.holdings.models import Item

from ..choices import StepKind
from ..errors.processing import (
    BranchHasProfile,
    NeedsCallNumber,
    NoBarcodes,
    NotInProcessing,
    NotReadyForShelving,
    StepAlreadyDone,
    StepNotInProfile,
    StepTurnedOff,
    TooManyBarcodes,
)
from ..models import ProcessingProfile, ProcessingStep, ProcessingStepDone

__all__ = [
    "add_processing_step",
    "confirm_shelved",
    "create_branch_profile",
    "create_library_profile",
    "items_for_barcodes",
    "move_processing_step",
    "order_processing_steps",
    "rename_processing_step",
    "set_processing_step_enabled",
    "start_processing",
    "tick_processing_step",
]

PROFILE_PERM = "technical.manage_processing_profiles"
TICK_PERM = "technical.do_processing"
MAX_BATCH = 200


def items_for_barcodes(barcodes: list[str]) -> list[Item]:
    """The items with these barcodes, in the order scanned, once each; an unknown one raises ItemNotFound."""
    wanted = list(dict.fromkeys(b.strip() for b in barcodes if b and b.strip()))
    if not wanted:
        raise NoBarcodes(field="barcodes")
    if len(wanted) > MAX_BATCH:
        raise TooManyBarcodes(field="barcodes", limit=MAX_BATCH)
    found = {i.barcode: i for i in Item.objects.select_related("record", "branch").filter(barcode__in=wanted)}
    for barcode in wanted:
        if barcode not in found:
            raise ItemNotFound(field="barcodes", barcode=barcode)
    return [found[b] for b in wanted]


# Profiles ---------------------------------------------------------------------------------------


def _step_snapshot(profile: ProcessingProfile) -> list[dict]:
    return [
        {"id": s.pk, "kind": s.kind, "name": s.name, "is_enabled": s.is_enabled}
        for s in profile.steps.order_by("position", "id")
    ]


@action("maintenance.processing.profile_create", permission=PROFILE_PERM, label=_("Processing profile created"))
def create_library_profile(*, actor) -> ProcessingProfile:
    """Make the library's default profile with the usual steps (done lazily the first time it is needed)."""
    from ..queries.processing import DEFAULT_STEPS

    existing = ProcessingProfile.objects.filter(branch__isnull=True).first()
    if existing is not None:
        return existing
    profile = ProcessingProfile.objects.create(branch=None, name=gettext("Library default"))
    ProcessingStep.objects.bulk_create(
        ProcessingStep(profile=profile, kind=kind, position=n, is_enabled=on)
        for n, (kind, on) in enumerate(DEFAULT_STEPS, start=1)
    )
    audit(actor, "maintenance.processing.profile_create", profile, after={"steps": _step_snapshot(profile)})
    return profile


@action("maintenance.processing.profile_create", permission=PROFILE_PERM, label=_("Processing profile created"))
def create_branch_profile(*, branch, actor) -> ProcessingProfile:
    """Give a branch its own profile, starting as a copy of the library default."""
    from ..queries.processing import library_profile

    if ProcessingProfile.objects.filter(branch=branch).exists():
        raise BranchHasProfile(branch=branch.code)
    default = library_profile()
    profile = ProcessingProfile.objects.create(branch=branch, name=branch.name)
    ProcessingStep.objects.bulk_create(
        ProcessingStep(profile=profile, kind=s.kind, name=s.name, position=n, is_enabled=s.is_enabled)
        for n, s in enumerate(default.steps.order_by("position", "id"), start=1)
    )
    audit(actor, "maintenance.processing.profile_create", profile, after={"steps": _step_snapshot(profile)})
    return profile


def _clean_name(kind: str, name: str) -> str:
    name = (name or "").strip()
    if len(name) > 100:
        raise ValidationFailed(_("A step name is at most 100 characters."), field="name")
    if kind == StepKind.OTHER and not name:
        raise ValidationFailed(_("Give your own step a name."), field="name")
    return name


@action("maintenance.processing.step_add", permission=PROFILE_PERM, label=_("Processing step added"))
def add_processing_step(*, profile: ProcessingProfile, kind: str, actor, name: str = "") -> ProcessingStep:
    """Add a step at the end of a profile (one of the usual kinds, or your own named step)."""
    if kind not in StepKind.values:
        raise ValidationFailed(_("Unknown kind of step."), field="kind")
    name = _clean_name(kind, name)
    last = profile.steps.aggregate(last=Max("position"))["last"] or 0
    step = ProcessingStep.objects.create(profile=profile, kind=kind, name=name, position=last + 1)
    audit(actor, "maintenance.processing.step_add", profile, after={"step": step.pk, "kind": kind, "name": name})
    return step


@action("maintenance.processing.step_rename", permission=PROFILE_PERM, label=_("Processing step renamed"))
def rename_processing_step(*, step: ProcessingStep, name: str, actor) -> ProcessingStep:
    """Give a step the name this library uses for it (empty: the usual name of its kind)."""
    name = _clean_name(step.kind, name)
    before = step.name
    if before != name:
        step.name = name
        step.save(update_fields=["name"])
        audit(actor, "maintenance.processing.step_rename", step.profile, before={"name": before}, after={"name": name})
    return step


@action(
    "maintenance.processing.step_enable",
    permission=PROFILE_PERM,
    label=_("Processing step turned on"),
    labels={"maintenance.processing.step_disable": _("Processing step turned off")},
)
def set_processing_step_enabled(*, step: ProcessingStep, is_enabled: bool, actor) -> ProcessingStep:
    """Turn a step on or off (a library receiving pre-labelled items turns the label steps off)."""
    if step.is_enabled != bool(is_enabled):
        step.is_enabled = bool(is_enabled)
        step.save(update_fields=["is_enabled"])
        audit(
            actor,
            "maintenance.processing.step_" + ("enable" if is_enabled else "disable"),
            step.profile,
            before={"step": step.pk, "is_enabled": not step.is_enabled},
            after={"step": step.pk, "is_enabled": step.is_enabled},
        )
    return step


@action("maintenance.processing.step_order", permission=PROFILE_PERM, label=_("Processing steps reordered"))
def order_processing_steps(*, profile: ProcessingProfile, step_ids: list[int], actor) -> ProcessingProfile:
    """Put a profile's steps in this order; ``step_ids`` must name each of its steps once."""
    current = list(profile.steps.order_by("position", "id"))
    if sorted(step_ids) != sorted(s.pk for s in current) or len(set(step_ids)) != len(step_ids):
        raise ValidationFailed(_("Name each step of the profile exactly once."), field="steps")
    before = [s.pk for s in current]
    by_id = {s.pk: s for s in current}
    for n, step_id in enumerate(step_ids, start=1):
        by_id[step_id].position = n
    ProcessingStep.objects.bulk_update(current, ["position"])
    if before != list(step_ids):
        audit(actor, "maintenance.processing.step_order", profile, before={"steps": before}, after={"steps": step_ids})
    return profile


def move_processing_step(*, step: ProcessingStep, up: bool, actor) -> ProcessingProfile:
    """Move a step one place earlier (``up``) or later in its profile."""
    ids = list(step.profile.steps.order_by("position", "id").values_list("pk", flat=True))
    n = ids.index(step.pk)
    m = n - 1 if up else n + 1
    if 0 <= m < len(ids):
        ids[n], ids[m] = ids[m], ids[n]
    return order_processing_steps(profile=step.profile, step_ids=ids, actor=actor)


# Processing items -------------------------------------------------------------------------------


def _check_processable(item: Item) -> None:
    if item.status not in (ItemStatus.RECEIVED, ItemStatus.IN_PROCESSING):
        raise NotInProcessing(barcode=item.barcode, status=ItemStatus(item.status).label)
    if not item.effective_call_number.strip():
        raise NeedsCallNumber(barcode=item.barcode)


def _finish_if_complete(item: Item, profile: ProcessingProfile, actor) -> Item:
    enabled = {s.pk for s in profile.steps.all() if s.is_enabled}
    done = set(ProcessingStepDone.objects.filter(item=item, step__in=enabled).values_list("step_id", flat=True))
    if item.status == ItemStatus.IN_PROCESSING and enabled <= done:
        item = move_item(item=item, to=ItemStatus.READY_FOR_SHELVING, actor=actor, workflow=Workflow.PROCESSING)
    return item


@action("maintenance.processing.start", permission=TICK_PERM, label=_("Scanned into processing"))
def start_processing(*, item: Item, actor) -> Item:
    """The technician scans an item: a received item starts processing (``in_processing``).

    An item already in processing stays so; if its profile has since lost its last open step, it
    goes on to the shelving queue. Items without a call number are refused (cataloguer's queue).
    """
    from ..queries.processing import profile_for

    item = Item.objects.select_related("record", "branch").get(pk=item.pk)
    _check_processable(item)
    if item.status == ItemStatus.RECEIVED:
        item = move_item(item=item, to=ItemStatus.IN_PROCESSING, actor=actor, workflow=Workflow.PROCESSING)
        audit(actor, "maintenance.processing.start", item, after={"status": item.status})
    return _finish_if_complete(item, profile_for(item.branch), actor)


@action("maintenance.processing.tick", permission=TICK_PERM, label=_("Processing step done"))
def tick_processing_step(*, items: list[Item], step: ProcessingStep, actor) -> list[Item]:
    """Record ``step`` as done for each item (one, or a batch of scanned items): all or nothing.

    A received item starts processing first. Refused: an item not received or in processing, an
    item without a call number, a step its branch's profile does not have or has turned off, and a
    step already done. When every enabled step is done, the item moves to the shelving queue.
    """
    from ..queries.processing import profiles_for

    if not items:
        raise NoBarcodes(field="barcodes")
    items = list({i.pk: i for i in items}.values())
    items = list(Item.objects.select_related("record", "branch").filter(pk__in=[i.pk for i in items]))
    profiles = profiles_for(i.branch_id for i in items)
    done = set(ProcessingStepDone.objects.filter(item__in=items, step=step).values_list("item_id", flat=True))
    for item in sorted(items, key=lambda i: i.barcode):
        _check_processable(item)
        profile = profiles[item.branch_id]
        if step.profile_id != profile.pk:
            raise StepNotInProfile(field="step", step=str(step), barcode=item.barcode, profile=profile.name)
        if not step.is_enabled:
            raise StepTurnedOff(field="step", step=str(step), profile=profile.name)
        if item.pk in done:
            raise StepAlreadyDone(step=str(step), barcode=item.barcode)
    result = []
    for item in sorted(items, key=lambda i: i.barcode):
        if item.status == ItemStatus.RECEIVED:
            item = move_item(item=item, to=ItemStatus.IN_PROCESSING, actor=actor, workflow=Workflow.PROCESSING)
        try:
            with transaction.atomic():
                ProcessingStepDone.objects.create(item=item, step=step, done_by=actor)
        except IntegrityError:  # another technician ticked it at the same instant
            raise StepAlreadyDone(step=str(step), barcode=item.barcode) from None
        audit(actor, "maintenance.processing.tick", item, after={"step": step.pk, "kind": step.kind, "name": str(step)})
        result.append(_finish_if_complete(item, profiles[item.branch_id], actor))
    return result


# Shelving ---------------------------------------------------------------------------------------


@action("maintenance.shelving.confirm", permission="holdings.shelve_item", label=_("Shelving confirmed"))
def confirm_shelved(*, items: list[Item], actor) -> list[Item]:
    """The shelver confirms items are on the shelf: ``ready_for_shelving`` → ``available`` (all or nothing).

    Works for new items, returned items and items back from repair or the bindery alike.
    """
    if not items:
        raise NoBarcodes(field="barcodes")
    items = list({i.pk: i for i in items}.values())
    fresh = list(Item.objects.filter(pk__in=[i.pk for i in items]).order_by("barcode"))
    for item in fresh:
        if item.status != ItemStatus.READY_FOR_SHELVING:
            raise NotReadyForShelving(barcode=item.barcode, status=ItemStatus(item.status).label)
    shelved = []
    for item in fresh:
        item = move_item(item=item, to=ItemStatus.AVAILABLE, actor=actor, workflow=Workflow.SHELVING)
        audit(actor, "maintenance.shelving.confirm", item, after={"status": item.status})
        shelved.append(item)
    return shelved

"""Technical services: pull lists. A list of items to take off the shelves for one reason (weed,
repair, bind), worked in shelf order; each item scanned is pulled, the rest are flagged not found."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.errors import ValidationFailed
from pustaka.core.models import Branch
from pustaka.core.registry import action
from pustaka.holdings import lookups as item_lookups
from pustaka.holdings.actions import clean_barcode, move_item
from pustaka.holdings.choices import ItemStatus, PullReason, Workflow
from pustaka.holdings.errors import ItemNotFound
from pustaka.holdings.models import Item

from ..choices import PullEntryState, PullListStatus
from ..errors.pulling import (
    ItemAlreadyOnPullList,
    ItemAlreadyPulled,
    ItemInOtherBranch,
    ItemNotOnPullList,
    ItemNotOnShelf,
    ItemOnAnotherPullList,
    NoBarcodes,
    NotMissingElsewhere,
    PullListClosed,
)
from ..models import PullList, PullListEntry
from ..queries.pulling import open_entry_for
from ..transitions.pulling import PULL_ENTRIES, PULL_LISTS

__all__ = [
    "add_to_pull_list",
    "close_pull_list",
    "create_pull_list",
    "flag_not_found",
    "scan_pulled_item",
]


def _locked_open(pull_list: PullList) -> PullList:
    """The list, locked, while it may still be worked (nothing has closed it: see PULL_LISTS)."""
    locked = PullList.objects.select_for_update(of=("self",)).get(pk=pull_list.pk)
    if locked.status in PULL_LISTS.final:
        raise PullListClosed(name=locked.name)
    return locked


def _item_by_barcode(barcode: str) -> Item:
    barcode = clean_barcode(barcode)
    item = item_lookups.find_item(barcode, queryset=Item.objects.select_related("record", "branch"))
    if item is None:
        raise ItemNotFound(field="barcode", barcode=barcode)
    return item


@action("maintenance.pulling.create", permission="technical.make_pull_lists", label=_("Pull list created"))
def create_pull_list(*, name: str, reason: str, branch: Branch, actor, note: str = "") -> PullList:
    """Start a pull list for one reason (weed, repair, bind) in one branch."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A pull list needs a name."), field="name")
    if reason not in PullReason.values:
        raise ValidationFailed(_("Say why the items are pulled: weeding, repair or binding."), field="reason")
    pull_list = PullList.objects.create(
        name=name[:200], reason=reason, branch=branch, created_by=actor if actor and actor.pk else None, note=note
    )
    audit(
        actor,
        "maintenance.pulling.create",
        pull_list,
        after={"name": pull_list.name, "reason": reason, "branch": branch.code},
    )
    return pull_list


def check_can_add(pull_list: PullList, item: Item) -> None:
    """Refuse an item that is not on the shelf, is in another branch, or is already on an open list."""
    if item.branch_id != pull_list.branch_id:
        raise ItemInOtherBranch(
            field="barcode", barcode=item.barcode, item_branch=item.branch.code, branch=pull_list.branch.code
        )
    if PullListEntry.objects.filter(pull_list=pull_list, item=item).exists():
        raise ItemAlreadyOnPullList(field="barcode", barcode=item.barcode)
    if item.status != ItemStatus.AVAILABLE:
        raise ItemNotOnShelf(field="barcode", barcode=item.barcode, status=ItemStatus(item.status).label)
    other = open_entry_for(item, exclude_list=pull_list)
    if other is not None:
        raise ItemOnAnotherPullList(field="barcode", barcode=item.barcode, name=other.pull_list.name)


@action("maintenance.pulling.add", permission="technical.make_pull_lists", label=_("Added to a pull list"))
def add_to_pull_list(*, pull_list: PullList, barcodes: list[str], actor) -> list[PullListEntry]:
    """Put the items with these barcodes on an open pull list: all of them or, on any refusal, none."""
    pull_list = _locked_open(pull_list)
    wanted = [b.strip() for b in barcodes if b and b.strip()]
    if not wanted:
        raise NoBarcodes(field="barcodes")
    entries, seen = [], set()
    for barcode in wanted:
        item = _item_by_barcode(barcode)
        if item.pk in seen:
            continue
        seen.add(item.pk)
        check_can_add(pull_list, item)
        entries.append(PullListEntry.objects.create(pull_list=pull_list, item=item))
    audit(actor, "maintenance.pulling.add", pull_list, after={"items": [e.item.barcode for e in entries]})
    return entries


@action("maintenance.pulling.scan", permission="holdings.pull_item", label=_("Pulled from the shelf"))
def scan_pulled_item(*, pull_list: PullList, barcode: str, actor) -> PullListEntry:
    """The technician scanned an item taken off the shelf: it becomes ``pulled`` for the list's reason.
    A copy marked missing (not found earlier) that turns up is found first: it comes back, then is pulled."""
    pull_list = _locked_open(pull_list)
    item = _item_by_barcode(barcode)
    entry = PullListEntry.objects.select_for_update(of=("self",)).filter(pull_list=pull_list, item=item).first()
    if entry is None:
        raise ItemNotOnPullList(field="barcode", barcode=item.barcode)
    before = {"state": entry.state}
    rule = PULL_ENTRIES.move(
        entry,
        to=PullEntryState.PULLED,
        actor=actor,
        refused=lambda: ItemAlreadyPulled(field="barcode", barcode=item.barcode),
    )
    if item.status == ItemStatus.MISSING:
        move_item(item=item, to=ItemStatus.AVAILABLE, actor=actor, workflow=Workflow.PULLING, note=pull_list.name)
    move_item(
        item=item,
        to=ItemStatus.PULLED,
        actor=actor,
        workflow=Workflow.PULLING,
        reason=pull_list.reason,
        note=pull_list.name,
    )
    entry.handled_by = actor if actor and actor.pk else None
    entry.handled_at = timezone.now()
    entry.save(update_fields=["state", "handled_by", "handled_at"])
    audit(actor, rule.verb, entry, before=before, after={"state": entry.state})
    entry.item = item
    return entry


def _mark_missing(entry: PullListEntry, pull_list: PullList, actor) -> bool:
    """The copy of an entry not found on its shelf becomes missing (the pull list's own move), and so
    appears on the follow-up list of copies to look for. False when it is not on the shelf for a known
    reason (lent since it was listed...): then its status stays."""
    item = Item.objects.select_for_update(of=("self",)).get(pk=entry.item_id)
    if item.status != ItemStatus.AVAILABLE:
        return False
    move_item(item=item, to=ItemStatus.MISSING, actor=actor, workflow=Workflow.PULLING, note=pull_list.name)
    return True


@action("maintenance.pulling.not_found", permission="holdings.pull_item", label=_("Not found on the shelf"))
def flag_not_found(*, entry: PullListEntry, actor, note: str = "") -> PullListEntry:
    """The technician looked for an item on the list and it was not on the shelf: the copy becomes
    missing and goes on the follow-up list. A copy that is away for a known reason (on loan...) is
    refused (:class:`NotMissingElsewhere`): it is not missing."""
    pull_list = _locked_open(entry.pull_list)
    entry = PullListEntry.objects.select_for_update(of=("self",)).select_related("item").get(pk=entry.pk)
    PULL_ENTRIES.check(
        entry, to=PullEntryState.NOT_FOUND, actor=actor, refused=lambda: ItemAlreadyPulled(barcode=entry.item.barcode)
    )
    if entry.item.status not in (ItemStatus.AVAILABLE, ItemStatus.MISSING):
        raise NotMissingElsewhere(barcode=entry.item.barcode, status=ItemStatus(entry.item.status).label)
    before = {"state": entry.state}
    if entry.state != PullEntryState.NOT_FOUND:
        _mark_missing(entry, pull_list, actor)
    rule = PULL_ENTRIES.move(entry, to=PullEntryState.NOT_FOUND, actor=actor)
    entry.handled_by = actor if actor and actor.pk else None
    entry.handled_at = timezone.now()
    entry.note = (note or "")[:300]
    entry.save(update_fields=["state", "handled_by", "handled_at", "note"])
    audit(actor, rule.verb, entry, before=before, after={"state": entry.state})
    return entry


@action("maintenance.pulling.close", permission="technical.close_pull_lists", label=_("Pull list closed"))
def close_pull_list(*, pull_list: PullList, actor) -> PullList:
    """Close a list; every item still waiting is flagged not found, and those still standing as
    available (so not on their shelf) become missing, on the follow-up list."""
    pull_list = _locked_open(pull_list)
    rule = PULL_LISTS.move(
        pull_list, to=PullListStatus.CLOSED, actor=actor, refused=lambda: PullListClosed(name=pull_list.name)
    )
    waiting = list(pull_list.entries.filter(state=PullEntryState.WAITING).select_related("item"))
    flagged = [entry.item.barcode for entry in waiting]
    for entry in waiting:
        _mark_missing(entry, pull_list, actor)
    PullListEntry.objects.filter(pk__in=[e.pk for e in waiting]).update(
        state=PullEntryState.NOT_FOUND, handled_at=timezone.now()
    )
    pull_list.closed_at = timezone.now()
    pull_list.save(update_fields=["status", "closed_at", "updated_at"])
    audit(
        actor,
        rule.verb,
        pull_list,
        before={"status": PullListStatus.OPEN},
        after={"status": PullListStatus.CLOSED, "not_found": flagged},
    )
    return pull_list

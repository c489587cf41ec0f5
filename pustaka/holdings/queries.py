"""Reads of items that staff pages and the API share: filtered lists, scans, counts, allowed moves."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from . import transitions
from .choices import ItemStatus, Workflow
from .models import Item


def items(*, q: str = "", status: str = "", branch=None, location=None) -> QuerySet:
    """Items with what list rows show; ``q`` words must each match the barcode, title or call number."""
    result = Item.objects.select_related("record", "branch", "location", "item_type").defer(
        "record__marc", "record__summary", "record__notes", "staff_note"
    )
    for word in (q or "").split():
        result = result.filter(
            Q(barcode__icontains=word)
            | Q(record__title__icontains=word)
            | Q(call_number__icontains=word)
            | Q(record__call_number__icontains=word)
        )
    if status:
        result = result.filter(status=status)
    if branch is not None:
        result = result.filter(branch=branch)
    if location is not None:
        result = result.filter(location=location)
    return result.order_by("barcode")


def find_by_barcode(barcode: str) -> Item | None:
    """The item with this barcode as scanned; a barcode typed in other letter case is found too
    (:func:`pustaka.core.lookups.find_item`, the one rule of every path)."""
    from pustaka.holdings.lookups import find_item

    return find_item(barcode)


def status_counts(branch=None) -> dict[str, int]:
    """Number of items per status (at one branch, or everywhere)."""
    qs = Item.objects.all()
    if branch is not None:
        qs = qs.filter(branch=branch)
    return dict(qs.order_by().values_list("status").annotate(n=Count("id")))


@dataclass(frozen=True)
class Move:
    """A status an item may move to now, with what the button shows."""

    target: str
    label: str
    colour: str
    verb: str


def _open_rules(item: Item, user):
    """The table's moves from the item's status that its pull reason and ``user``'s permissions allow."""
    for target in transitions.targets(item.status):
        rule = transitions.find(item.status, target)
        if rule.reason and item.pulled_reason != rule.reason:
            continue
        if not user.has_perm(rule.permission):
            continue
        yield rule


def allowed_moves(item: Item, user) -> list[Move]:
    """The moves of the lifecycle table open to ``user`` for this item by hand: those no workflow owns
    (its pull reason respected; the others are made on their workflow's page, see :func:`workflow_links`)."""
    return [
        Move(rule.target, ItemStatus(rule.target).label, ItemStatus.colour(rule.target), rule.verb)
        for rule in _open_rules(item, user)
        if rule.generic
    ]


@dataclass(frozen=True)
class WorkflowLink:
    """A workflow page where ``user`` can make some of this item's moves, and the statuses it leads to."""

    workflow: str
    name: str
    url: str
    targets: list[str]


def workflow_links(item: Item, user) -> list[WorkflowLink]:
    """The workflow pages that own the moves open to ``user`` for this item (the item page shows these
    links instead of buttons that would bypass the workflow), in the order of the lifecycle table."""
    grouped: dict[str, list[str]] = {}
    for rule in _open_rules(item, user):
        if not rule.generic:
            grouped.setdefault(rule.workflow, []).append(ItemStatus(rule.target).label)
    return [
        WorkflowLink(workflow, Workflow(workflow).label, reverse(transitions.WORKFLOW_PAGES[workflow]), targets)
        for workflow, targets in grouped.items()
    ]

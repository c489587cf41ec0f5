"""The item lifecycle table, exercised move by move through the action that enforces it."""

import pytest

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.holdings import transitions
from pustaka.holdings.actions import move_item
from pustaka.holdings.choices import ItemStatus, PullReason, Workflow
from pustaka.holdings.errors import ItemTransitionNotAllowed, PullReasonMismatch, PullReasonRequired
from pustaka.holdings.models import Item


def _start(make_item, rule, barcode):
    pulled_reason = rule.reason or (PullReason.WEED if rule.source == ItemStatus.PULLED else "")
    return make_item(barcode, status=rule.source, pulled_reason=pulled_reason)


@pytest.mark.parametrize("rule", transitions.TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}")
def test_librarian_can_make_every_move_in_the_lifecycle_table(rule, make_item, librarian):
    item = _start(make_item, rule, "B900001")
    reason = PullReason.REPAIR if rule.target == ItemStatus.PULLED else ""

    move_item(item=item, to=rule.target, actor=librarian, workflow=rule.workflow, reason=reason)

    item.refresh_from_db()
    assert item.status == rule.target
    event = AuditEvent.objects.get(verb=rule.verb, object_id=str(item.pk))
    assert event.before["status"] == rule.source
    assert event.after["status"] == rule.target
    assert event.actor == librarian


ALL_MOVES = [(s, t) for s in ItemStatus.values for t in ItemStatus.values if s != t]
ILLEGAL_MOVES = [(s, t) for s, t in ALL_MOVES if transitions.find(s, t) is None]


@pytest.mark.parametrize(("source", "target"), ILLEGAL_MOVES, ids=lambda v: v)
def test_moves_missing_from_the_table_are_refused_even_for_an_administrator(source, target, make_item, administrator):
    item = make_item("B900002", status=source, pulled_reason=PullReason.WEED if source == ItemStatus.PULLED else "")

    with pytest.raises(ItemTransitionNotAllowed):
        move_item(item=item, to=target, actor=administrator, workflow=Workflow.ITEM, reason=PullReason.WEED)

    item.refresh_from_db()
    assert item.status == source
    assert not AuditEvent.objects.filter(object_id=str(item.pk)).exists()


def test_lending_a_withdrawn_item_is_refused_with_a_clear_message(make_item, circulation):
    item = make_item("B900003", status=ItemStatus.WITHDRAWN)

    with pytest.raises(ItemTransitionNotAllowed) as refused:
        move_item(item=item, to=ItemStatus.ON_LOAN, actor=circulation, workflow=Workflow.DESK)

    assert "B900003" in str(refused.value)
    assert "is “Withdrawn” and cannot become “On loan”" in str(refused.value)
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN


def test_technician_cannot_withdraw_a_pulled_item(make_item, technician):
    item = make_item("B900004", status=ItemStatus.PULLED, pulled_reason=PullReason.WEED)

    with pytest.raises(PermissionDenied):
        move_item(item=item, to=ItemStatus.WITHDRAWN, actor=technician, workflow=Workflow.WEEDING)

    item.refresh_from_db()
    assert item.status == ItemStatus.PULLED


def test_circulation_staff_cannot_pull_items_for_weeding(item, circulation):
    with pytest.raises(PermissionDenied):
        move_item(item=item, to=ItemStatus.PULLED, actor=circulation, workflow=Workflow.PULLING, reason=PullReason.WEED)
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE


def test_pulling_needs_a_reason(item, technician):
    with pytest.raises(PullReasonRequired):
        move_item(item=item, to=ItemStatus.PULLED, actor=technician, workflow=Workflow.PULLING)
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE


def test_item_pulled_for_weeding_cannot_go_to_the_bindery(make_item, technician):
    item = make_item("B900005", status=ItemStatus.PULLED, pulled_reason=PullReason.WEED)

    with pytest.raises(PullReasonMismatch):
        move_item(item=item, to=ItemStatus.AT_BINDERY, actor=technician, workflow=Workflow.BINDERY)

    item.refresh_from_db()
    assert item.status == ItemStatus.PULLED


def test_pull_for_repair_then_repair_then_shelve(item, technician):
    move_item(item=item, to=ItemStatus.PULLED, actor=technician, workflow=Workflow.PULLING, reason=PullReason.REPAIR)
    move_item(item=item, to=ItemStatus.IN_REPAIR, actor=technician, workflow=Workflow.REPAIR)
    move_item(item=item, to=ItemStatus.READY_FOR_SHELVING, actor=technician, workflow=Workflow.REPAIR)
    move_item(item=item, to=ItemStatus.AVAILABLE, actor=technician, workflow=Workflow.SHELVING)

    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE
    assert item.pulled_reason == ""
    verbs = list(AuditEvent.objects.filter(object_id=str(item.pk)).order_by("id").values_list("verb", flat=True))
    assert verbs == [
        "holdings.item.pull",
        "holdings.item.start_repair",
        "holdings.item.finish_repair",
        "holdings.item.shelve",
    ]


def test_lending_counts_the_loan(item, circulation):
    move_item(item=item, to=ItemStatus.ON_LOAN, actor=circulation, workflow=Workflow.DESK)
    item.refresh_from_db()
    assert item.loan_count == 1
    assert item.last_loan_at is not None


def test_database_refuses_a_pulled_item_without_a_reason(item):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(status=ItemStatus.PULLED, pulled_reason="")


def test_every_status_can_be_reached_from_an_initial_status():
    reachable = set(transitions.INITIAL_STATUSES)
    frontier = list(reachable)
    while frontier:
        source = frontier.pop()
        for target in transitions.targets(source):
            if target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(ItemStatus.values)


def test_a_batch_of_items_moves_together_or_not_at_all(make_item, librarian):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pustaka.holdings.actions import move_items

    small = [make_item(f"B95000{n}") for n in range(2)]
    shelf = [make_item(f"B9600{n:02d}") for n in range(40)]
    move_items(
        items=small[:1], to=ItemStatus.MISSING, actor=librarian, workflow=Workflow.STOCKTAKE
    )  # warms the permission cache
    with CaptureQueriesContext(connection) as few:
        move_items(items=small[1:], to=ItemStatus.MISSING, actor=librarian, workflow=Workflow.STOCKTAKE)
    with CaptureQueriesContext(connection) as many:
        move_items(
            items=shelf, to=ItemStatus.MISSING, actor=librarian, workflow=Workflow.STOCKTAKE, note="stocktake #1"
        )
    assert len(many) == len(few)
    assert set(Item.objects.filter(pk__in=[i.pk for i in shelf]).values_list("status", flat=True)) == {"missing"}
    assert AuditEvent.objects.filter(verb="holdings.item.mark_missing").count() == 42

    lent = make_item("B951000", status=ItemStatus.ON_LOAN)
    again = [make_item("B951001"), lent]
    with pytest.raises(ItemTransitionNotAllowed):
        move_items(items=again, to=ItemStatus.MISSING, actor=librarian, workflow=Workflow.STOCKTAKE)
    assert Item.objects.get(barcode="B951001").status == ItemStatus.AVAILABLE


def test_a_batch_move_checks_the_permission(make_item, circulation):
    from pustaka.holdings.actions import move_items

    shelf = [make_item("B952000")]
    with pytest.raises(PermissionDenied):  # the desk may not mark copies missing
        move_items(items=shelf, to=ItemStatus.MISSING, actor=circulation, workflow=Workflow.STOCKTAKE)
    assert Item.objects.get(barcode="B952000").status == ItemStatus.AVAILABLE


def test_the_item_table_is_a_core_state_machine_whose_plain_move_is_refused(item, librarian):
    from pustaka.core.transitions import machine_for, move

    assert machine_for(item) is transitions.ITEMS
    assert transitions.ITEMS.initial == transitions.INITIAL_STATUSES
    with pytest.raises(TypeError, match="move_item"):  # the pull reason, loan count and workflow need move_item
        move(item, to=ItemStatus.ON_LOAN, actor=librarian)
    assert item.status == ItemStatus.AVAILABLE

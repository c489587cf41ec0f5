"""Repair tickets through the actions: open, record work, finish, send to the bindery, beyond repair,
and every refusal (wrong state, wrong role, closed ticket, bad numbers)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.holdings.choices import Condition, ItemStatus, PullReason
from pustaka.holdings.models import ConditionChange
from pustaka.technical import actions
from pustaka.technical.choices import RepairStatus
from pustaka.technical.errors.repair import (
    InvalidRepairWork,
    ItemNotPulledForRepair,
    RepairAlreadyOpen,
    RepairTicketClosed,
    UnknownDamageType,
)
from pustaka.technical.models import RepairTicket


@pytest.fixture
def pulled(make_item):
    return make_item("B100001", status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR, condition=Condition.DAMAGED)


@pytest.fixture
def ticket(pulled, technician):
    return actions.open_repair(item=pulled, damage_type="broken_spine", notes="Spine split", actor=technician)


def test_technician_opens_a_ticket_and_the_item_goes_into_repair(pulled, technician):
    ticket = actions.open_repair(item=pulled, damage_type="torn_pages", notes="Pages 10-12", actor=technician)

    pulled.refresh_from_db()
    assert pulled.status == ItemStatus.IN_REPAIR
    assert ticket.status == RepairStatus.OPEN
    assert ticket.opened_by == technician
    assert "Pages 10-12" in ticket.notes
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["holdings.item.start_repair", "maintenance.repair.open"]


def test_opening_a_ticket_for_an_available_item_is_refused_with_the_reason(item, technician):
    with pytest.raises(ItemNotPulledForRepair) as refused:
        actions.open_repair(item=item, damage_type="torn_pages", actor=technician)

    assert "B000001" in str(refused.value) and "Available" in str(refused.value)
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE
    assert not RepairTicket.objects.exists()


def test_an_item_pulled_for_weeding_cannot_get_a_repair_ticket(make_item, technician):
    weed = make_item("B100002", status=ItemStatus.PULLED, pulled_reason=PullReason.WEED)

    with pytest.raises(ItemNotPulledForRepair) as refused:
        actions.open_repair(item=weed, damage_type="water", actor=technician)

    assert "Weeding" in str(refused.value)


def test_an_item_moved_into_repair_from_its_page_can_still_get_its_ticket(make_item, technician):
    in_repair = make_item("B100003", status=ItemStatus.IN_REPAIR)

    ticket = actions.open_repair(item=in_repair, damage_type="cover_damage", actor=technician)

    assert ticket.status == RepairStatus.OPEN
    in_repair.refresh_from_db()
    assert in_repair.status == ItemStatus.IN_REPAIR


def test_an_item_has_at_most_one_open_ticket(ticket, pulled, technician):
    with pytest.raises(RepairAlreadyOpen) as refused:
        actions.open_repair(item=pulled, damage_type="water", actor=technician)

    assert f"#{ticket.pk}" in str(refused.value)
    assert RepairTicket.objects.count() == 1


def test_the_database_refuses_a_second_open_ticket_too(ticket, pulled):
    with pytest.raises(IntegrityError), transaction.atomic():
        RepairTicket.objects.create(item=pulled, damage_type="water")


def test_circulation_cannot_open_repairs(pulled, circulation):
    with pytest.raises(PermissionDenied):
        actions.open_repair(item=pulled, damage_type="torn_pages", actor=circulation)

    pulled.refresh_from_db()
    assert pulled.status == ItemStatus.PULLED
    assert not RepairTicket.objects.exists()


def test_an_unknown_damage_type_is_refused(pulled, technician):
    with pytest.raises(UnknownDamageType):
        actions.open_repair(item=pulled, damage_type="fire", actor=technician)


def test_technician_records_work_that_adds_up(ticket, technician):
    actions.record_repair_work(ticket=ticket, minutes=20, materials_cost="3500", notes="Glued", actor=technician)
    actions.record_repair_work(ticket=ticket, minutes=15, materials_cost=Decimal("1500.50"), actor=technician)

    ticket.refresh_from_db()
    assert ticket.minutes_spent == 35
    assert ticket.materials_cost == Decimal("5000.50")
    assert "Glued" in ticket.notes
    assert ticket.repaired_by == technician
    assert AuditEvent.objects.filter(verb="maintenance.repair.work").count() == 2


@pytest.mark.parametrize(("minutes", "cost"), [(-1, 0), (5, "-0.01"), ("x", 0), (5, "abc"), (5, "NaN")])
def test_negative_or_unreadable_work_is_refused_and_nothing_changes(ticket, technician, minutes, cost):
    with pytest.raises(InvalidRepairWork):
        actions.record_repair_work(ticket=ticket, minutes=minutes, materials_cost=cost, actor=technician)

    ticket.refresh_from_db()
    assert ticket.minutes_spent == 0 and ticket.materials_cost == 0


def test_finishing_updates_the_condition_history_and_sends_the_item_to_shelving(ticket, pulled, technician):
    actions.finish_repair(ticket=ticket, condition_after=Condition.FAIR, notes="Rebacked", actor=technician)

    ticket.refresh_from_db()
    pulled.refresh_from_db()
    assert ticket.status == RepairStatus.DONE
    assert ticket.closed_at is not None
    assert ticket.condition_after == Condition.FAIR
    assert pulled.status == ItemStatus.READY_FOR_SHELVING
    assert pulled.condition == Condition.FAIR
    change = ConditionChange.objects.get(item=pulled)
    assert (change.from_condition, change.to_condition) == (Condition.DAMAGED, Condition.FAIR)
    assert f"repair #{ticket.pk}" in change.note


def test_finishing_a_closed_ticket_is_refused(ticket, technician):
    actions.finish_repair(ticket=ticket, condition_after=Condition.GOOD, actor=technician)

    with pytest.raises(RepairTicketClosed) as refused:
        actions.finish_repair(ticket=ticket, condition_after=Condition.WORN, actor=technician)
    with pytest.raises(RepairTicketClosed):
        actions.record_repair_work(ticket=ticket, minutes=5, actor=technician)

    assert "Done" in str(refused.value)
    ticket.refresh_from_db()
    assert ticket.condition_after == Condition.GOOD


def test_a_repair_can_go_to_the_bindery_and_the_item_is_pulled_for_binding(ticket, pulled, technician):
    actions.send_repair_to_bindery(ticket=ticket, notes="Needs a new case", actor=technician)

    ticket.refresh_from_db()
    pulled.refresh_from_db()
    assert ticket.status == RepairStatus.SENT_TO_BINDERY
    assert (pulled.status, pulled.pulled_reason) == (ItemStatus.PULLED, PullReason.BIND)
    assert AuditEvent.objects.filter(verb="holdings.item.pull_from_repair", object_id=str(pulled.pk)).exists()


def test_an_item_beyond_repair_is_damaged_and_pulled_for_weeding(ticket, pulled, technician, librarian):
    actions.declare_beyond_repair(ticket=ticket, notes="Mould throughout", actor=technician)

    ticket.refresh_from_db()
    pulled.refresh_from_db()
    assert ticket.status == RepairStatus.BEYOND_REPAIR
    assert (pulled.status, pulled.pulled_reason) == (ItemStatus.PULLED, PullReason.WEED)
    assert pulled.condition == Condition.DAMAGED
    # From there the librarian withdraws it like any weeded item.
    from pustaka.holdings.actions import move_item

    move_item(item=pulled, to=ItemStatus.WITHDRAWN, actor=librarian, workflow="weeding")
    pulled.refresh_from_db()
    assert pulled.status == ItemStatus.WITHDRAWN


def test_circulation_cannot_work_on_or_close_a_ticket(ticket, circulation):
    for call in (
        lambda: actions.record_repair_work(ticket=ticket, minutes=5, actor=circulation),
        lambda: actions.finish_repair(ticket=ticket, condition_after="good", actor=circulation),
        lambda: actions.send_repair_to_bindery(ticket=ticket, actor=circulation),
        lambda: actions.declare_beyond_repair(ticket=ticket, actor=circulation),
    ):
        with pytest.raises(PermissionDenied):
            call()
    ticket.refresh_from_db()
    assert ticket.status == RepairStatus.OPEN

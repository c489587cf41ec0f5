"""Bindery shipments through the actions: draft, scan items in, send, receive (partly, then fully),
and every refusal (wrong state, wrong role, empty shipment, item elsewhere)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pustaka.core.errors import PermissionDenied, ValidationFailed
from pustaka.core.models import AuditEvent
from pustaka.holdings.choices import ItemStatus, PullReason
from pustaka.technical import actions
from pustaka.technical.choices import ShipmentStatus
from pustaka.technical.errors.bindery import (
    EmptyShipment,
    InvalidShipmentDates,
    ItemAlreadyInShipment,
    ItemAlreadyReceived,
    ItemInAnotherShipment,
    ItemNotInShipment,
    ItemNotPulledForBinding,
    ShipmentNotDraft,
    ShipmentNotOut,
    VendorNameTaken,
)
from pustaka.technical.models import BinderyShipmentItem, BinderyVendor


@pytest.fixture
def vendor(db):
    return BinderyVendor.objects.create(name="Jilid Jaya", contact="Jl. Merdeka 1, Bandung")


@pytest.fixture
def shipment(vendor, branch, senior_technician):
    return actions.create_shipment(vendor=vendor, branch=branch, actor=senior_technician)


@pytest.fixture
def to_bind(make_item):
    return [make_item(f"B20000{n}", status=ItemStatus.PULLED, pulled_reason=PullReason.BIND) for n in (1, 2, 3)]


def _statuses(items):
    for item in items:
        item.refresh_from_db()
    return [item.status for item in items]


def test_a_shipment_goes_out_and_comes_back_in_two_parts(shipment, to_bind, technician):
    for n, item in enumerate(to_bind):
        actions.add_to_shipment(shipment=shipment, item=item, instructions=f"buckram {n}", actor=technician)
    expected = timezone.localdate() + datetime.timedelta(days=30)

    actions.send_shipment(shipment=shipment, expected_on=expected, actor=technician)

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.SENT
    assert shipment.sent_on == timezone.localdate() and shipment.expected_on == expected
    assert _statuses(to_bind) == [ItemStatus.AT_BINDERY] * 3

    actions.receive_from_bindery(shipment=shipment, item=to_bind[0], binding_note="Red buckram", actor=technician)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.PARTLY_RETURNED
    assert _statuses(to_bind) == [ItemStatus.READY_FOR_SHELVING, ItemStatus.AT_BINDERY, ItemStatus.AT_BINDERY]

    actions.receive_from_bindery(shipment=shipment, item=to_bind[1], actor=technician)
    actions.receive_from_bindery(shipment=shipment, item=to_bind[2], binding_note="Blue cloth", actor=technician)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.RETURNED
    assert _statuses(to_bind) == [ItemStatus.READY_FOR_SHELVING] * 3
    line = BinderyShipmentItem.objects.get(item=to_bind[0])
    assert line.binding_note == "Red buckram" and line.returned_on == timezone.localdate()
    assert line.instructions == "buckram 0"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "maintenance.bindery.create",
        "maintenance.bindery.add_item",
        "maintenance.bindery.send",
        "maintenance.bindery.receive",
        "holdings.item.send_to_bindery",
        "holdings.item.receive_from_bindery",
    } <= verbs


def test_sending_an_available_item_to_the_bindery_is_refused(shipment, item, technician):
    with pytest.raises(ItemNotPulledForBinding) as refused:
        actions.add_to_shipment(shipment=shipment, item=item, actor=technician)

    assert "B000001" in str(refused.value) and "Available" in str(refused.value)
    assert not shipment.lines.exists()


def test_an_item_pulled_for_repair_is_not_pulled_for_binding(shipment, make_item, technician):
    repair = make_item("B200010", status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR)

    with pytest.raises(ItemNotPulledForBinding) as refused:
        actions.add_to_shipment(shipment=shipment, item=repair, actor=technician)

    assert "Repair" in str(refused.value)


def test_an_item_in_another_open_shipment_is_refused(shipment, vendor, branch, to_bind, senior_technician):
    actions.add_to_shipment(shipment=shipment, item=to_bind[0], actor=senior_technician)
    other = actions.create_shipment(vendor=vendor, branch=branch, actor=senior_technician)

    with pytest.raises(ItemInAnotherShipment) as refused:
        actions.add_to_shipment(shipment=other, item=to_bind[0], actor=senior_technician)
    with pytest.raises(ItemAlreadyInShipment):
        actions.add_to_shipment(shipment=shipment, item=to_bind[0], actor=senior_technician)

    assert f"#{shipment.pk}" in str(refused.value)
    assert not other.lines.exists()


def test_an_empty_shipment_cannot_be_sent(shipment, technician):
    with pytest.raises(EmptyShipment):
        actions.send_shipment(shipment=shipment, actor=technician)

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DRAFT and shipment.sent_on is None


def test_expected_back_before_sent_is_refused(shipment, to_bind, technician):
    actions.add_to_shipment(shipment=shipment, item=to_bind[0], actor=technician)

    with pytest.raises(InvalidShipmentDates):
        actions.send_shipment(
            shipment=shipment, expected_on=timezone.localdate() - datetime.timedelta(days=1), actor=technician
        )

    assert _statuses([to_bind[0]]) == [ItemStatus.PULLED]


def test_a_sent_shipment_takes_no_more_items(shipment, to_bind, technician):
    actions.add_to_shipment(shipment=shipment, item=to_bind[0], actor=technician)
    actions.send_shipment(shipment=shipment, actor=technician)

    with pytest.raises(ShipmentNotDraft):
        actions.add_to_shipment(shipment=shipment, item=to_bind[1], actor=technician)
    with pytest.raises(ShipmentNotDraft):
        actions.send_shipment(shipment=shipment, actor=technician)


def test_receiving_an_item_not_in_the_shipment_is_refused(shipment, to_bind, technician):
    actions.add_to_shipment(shipment=shipment, item=to_bind[0], actor=technician)
    actions.send_shipment(shipment=shipment, actor=technician)

    with pytest.raises(ItemNotInShipment) as refused:
        actions.receive_from_bindery(shipment=shipment, item=to_bind[1], actor=technician)

    assert to_bind[1].barcode in str(refused.value)
    assert _statuses(to_bind[1:2]) == [ItemStatus.PULLED]


def test_receiving_twice_or_before_sending_is_refused(shipment, to_bind, technician):
    actions.add_to_shipment(shipment=shipment, item=to_bind[0], actor=technician)
    actions.add_to_shipment(shipment=shipment, item=to_bind[1], actor=technician)
    with pytest.raises(ShipmentNotOut):
        actions.receive_from_bindery(shipment=shipment, item=to_bind[0], actor=technician)
    actions.send_shipment(shipment=shipment, actor=technician)
    actions.receive_from_bindery(shipment=shipment, item=to_bind[0], actor=technician)

    with pytest.raises(ItemAlreadyReceived):
        actions.receive_from_bindery(shipment=shipment, item=to_bind[0], actor=technician)


def test_technician_cannot_create_a_shipment(vendor, branch, technician):
    with pytest.raises(PermissionDenied):
        actions.create_shipment(vendor=vendor, branch=branch, actor=technician)


def test_circulation_cannot_scan_items_into_a_shipment(shipment, to_bind, circulation):
    with pytest.raises(PermissionDenied):
        actions.add_to_shipment(shipment=shipment, item=to_bind[0], actor=circulation)


def test_instructions_can_change_and_items_come_out_while_the_shipment_is_a_draft(shipment, to_bind, technician):
    line = actions.add_to_shipment(shipment=shipment, item=to_bind[0], actor=technician)
    actions.set_line_instructions(line=line, instructions="Keep the original cover", actor=technician)
    line.refresh_from_db()
    assert line.instructions == "Keep the original cover"

    actions.remove_from_shipment(shipment=shipment, item=to_bind[0], actor=technician)
    assert not shipment.lines.exists()
    assert _statuses(to_bind[:1]) == [ItemStatus.PULLED]


def test_a_repair_sent_to_the_bindery_can_be_scanned_into_a_shipment(shipment, make_item, technician):
    item = make_item("B200020", status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR)
    ticket = actions.open_repair(item=item, damage_type="broken_spine", actor=technician)
    actions.send_repair_to_bindery(ticket=ticket, actor=technician)

    actions.add_to_shipment(shipment=shipment, item=item, instructions="Rebind", actor=technician)
    actions.send_shipment(shipment=shipment, actor=technician)

    assert _statuses([item]) == [ItemStatus.AT_BINDERY]


def test_vendor_names_are_unique_and_technicians_cannot_add_vendors(senior_technician, technician, vendor):
    with pytest.raises(VendorNameTaken):
        actions.create_bindery_vendor(name="jilid jaya", actor=senior_technician)
    with pytest.raises(PermissionDenied):
        actions.create_bindery_vendor(name="Other", actor=technician)

    created = actions.create_bindery_vendor(name="Buku Kuat", contact="0812", actor=senior_technician)
    assert created.name == "Buku Kuat"


def test_a_bindery_name_with_a_character_no_column_can_hold_is_refused_and_nothing_is_added(senior_technician):
    with pytest.raises(ValidationFailed) as refused:
        actions.create_bindery_vendor(name="Jilid\x00Jaya", actor=senior_technician)
    assert refused.value.field == "name"
    assert "cannot be stored" in str(refused.value)
    assert not BinderyVendor.objects.exists()


def test_a_shipment_cost_typed_the_indonesian_way_is_kept_to_the_sen(shipment, senior_technician):
    updated = actions.update_shipment(shipment=shipment, cost="125.000,50", actor=senior_technician)
    assert updated.cost == Decimal("125000.50")

"""Adding, editing and describing copies."""

import pytest

from pustaka.core.errors import ValidationFailed
from pustaka.core.models import AuditEvent, Location
from pustaka.holdings.actions import change_condition, create_item, delete_item, update_item
from pustaka.holdings.choices import Condition, ItemStatus
from pustaka.holdings.errors import BarcodeTaken, ItemInUse
from pustaka.holdings.models import ConditionChange, Item
from pustaka.search.models import ChangeLog


def test_librarian_attaches_a_copy_with_the_next_copy_number(librarian, record, branch, location, item_type, item):
    new = create_item(
        record=record,
        barcode="  B000002\n",
        branch=branch,
        location=location,
        item_type=item_type,
        actor=librarian,
        price="85000",
    )

    assert new.barcode == "B000002"
    assert new.copy_number == 2
    assert new.effective_call_number == "005.133 SUT p"
    assert new.condition == Condition.GOOD
    assert ConditionChange.objects.filter(item=new, to_condition=Condition.GOOD).exists()
    assert AuditEvent.objects.filter(verb="holdings.item.create", object_id=str(new.pk)).exists()
    assert ChangeLog.objects.filter(kind="item", object_id=new.pk, record_id=record.pk).exists()


def test_a_barcode_used_twice_is_refused(librarian, record, branch, item_type, item):
    with pytest.raises(BarcodeTaken) as refused:
        create_item(record=record, barcode=item.barcode, branch=branch, item_type=item_type, actor=librarian)
    assert refused.value.field == "barcode"
    assert Item.objects.count() == 1


@pytest.mark.parametrize("barcode", ["", "   ", "B 0001", "B0001/2", "x" * 40])
def test_malformed_barcodes_are_refused(librarian, record, branch, item_type, barcode):
    with pytest.raises(ValidationFailed) as refused:
        create_item(record=record, barcode=barcode, branch=branch, item_type=item_type, actor=librarian)
    assert refused.value.field == "barcode"
    assert not Item.objects.exists()


def test_a_new_item_cannot_start_on_loan_or_withdrawn(librarian, record, branch, item_type):
    for status in (ItemStatus.ON_LOAN, ItemStatus.WITHDRAWN):
        with pytest.raises(ValidationFailed):
            create_item(record=record, barcode="B1", branch=branch, item_type=item_type, actor=librarian, status=status)
    assert not Item.objects.exists()


def test_a_location_of_another_branch_is_refused(librarian, record, other_branch, location, item_type):
    with pytest.raises(ValidationFailed) as refused:
        create_item(
            record=record, barcode="B1", branch=other_branch, location=location, item_type=item_type, actor=librarian
        )
    assert refused.value.field == "location"


def test_editing_an_item_records_what_changed(librarian, item, branch):
    ref = Location.objects.create(branch=branch, code="REF", name="Referensi")
    update_item(item=item, actor=librarian, location=ref, call_number="R 005.133 SUT p")

    item.refresh_from_db()
    assert item.effective_call_number == "R 005.133 SUT p"
    event = AuditEvent.objects.get(verb="holdings.item.update")
    assert event.after == {"location_id": ref.pk, "call_number": "R 005.133 SUT p"}


def test_status_cannot_be_changed_by_editing(librarian, item):
    with pytest.raises(ValidationFailed) as refused:
        update_item(item=item, actor=librarian, status=ItemStatus.WITHDRAWN)
    assert refused.value.field == "status"
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE


def test_condition_changes_are_kept_in_history(technician, item):
    change_condition(item=item, condition=Condition.WORN, actor=technician, note="Sampul lepas")
    change_condition(item=item, condition=Condition.DAMAGED, actor=technician, note="Terkena air")

    item.refresh_from_db()
    assert item.condition == Condition.DAMAGED
    history = list(item.condition_history.values_list("from_condition", "to_condition", "note"))
    assert history == [("worn", "damaged", "Terkena air"), ("good", "worn", "Sampul lepas")]


def test_an_unknown_condition_is_refused(technician, item):
    with pytest.raises(ValidationFailed):
        change_condition(item=item, condition="shiny", actor=technician)


def test_an_item_that_has_circulated_cannot_be_deleted(librarian, make_item):
    lent = make_item("B000010", loan_count=3)
    with pytest.raises(ItemInUse):
        delete_item(item=lent, actor=librarian)
    assert Item.objects.filter(pk=lent.pk).exists()


def test_an_item_entered_by_mistake_can_be_deleted(librarian, make_item):
    wrong = make_item("B000011", status=ItemStatus.RECEIVED)
    delete_item(item=wrong, actor=librarian)
    assert not Item.objects.filter(barcode="B000011").exists()
    assert AuditEvent.objects.filter(verb="holdings.item.delete").exists()


def test_items_know_their_place_on_the_shelf_and_follow_the_record(librarian, record, make_item):
    from pustaka.catalog.actions import update_record

    first = make_item("B000020")
    own = make_item("B000021", call_number="R 005.133 SUT p")
    assert first.shelf_key.startswith("00000005.133 sut")

    update_record(record=record, actor=librarian, call_number="006.3 SUT p")

    first.refresh_from_db()
    own.refresh_from_db()
    assert first.shelf_key.startswith("00000006.3 sut")
    assert own.shelf_key.startswith("r 00000005.133")


def test_the_database_sorts_items_in_shelf_order(make_item, record):
    from django.db import connection

    from pustaka.holdings.models import Item

    shelf = ["005 ABC a", "005.133 SUT p", "005.14 ABC a", "010 AAA a", "100 BBB b"]
    for n, call_number in enumerate(reversed(shelf)):
        make_item(f"B0009{n}", call_number=call_number)
    assert list(Item.objects.order_by("shelf_key").values_list("call_number", flat=True)) == shelf
    if connection.vendor == "postgresql":  # whatever the database's own collation, the key compares bytes
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT collation_name FROM information_schema.columns"
                " WHERE table_name = 'holdings_item' AND column_name = 'shelf_key'"
            )
            assert cursor.fetchone()[0] == "C"

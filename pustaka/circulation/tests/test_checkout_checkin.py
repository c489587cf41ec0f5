"""Lending and returning: every refusal, overrides, due dates, fines by the calendar, transit, holds."""

import datetime
from decimal import Decimal

import pytest

from pustaka.circulation import actions, queries
from pustaka.circulation.choices import FeeKind, HoldStatus
from pustaka.circulation.errors import (
    AlreadyOnLoan,
    HeldForAnother,
    ItemNotAvailable,
    ItemNotLoanable,
    LoanLimitReached,
    NotInTransit,
    NotOnLoan,
    PatronBlocked,
)
from pustaka.circulation.models import ClosedDay, Hold, Loan, LoanRule
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.holdings.choices import ItemStatus
from pustaka.patrons.models import PatronBlock

from .conftest import NOW, TZ, at

D = datetime.date


def test_checkout_lends_with_due_date_from_rule_and_calendar(lend, item, patron, branch, desk):
    ClosedDay.objects.create(branch=None, date=D(2026, 8, 17), reason="Hari Kemerdekaan")
    loan = lend(item, patron)
    item.refresh_from_db()
    assert item.status == ItemStatus.ON_LOAN and item.loan_count == 1
    assert loan.due_at.astimezone(TZ) == at(2026, 8, 18, 16, 0)  # 17 August is a holiday
    assert loan.checked_out_by == desk and loan.branch == branch and loan.rule is not None
    assert AuditEvent.objects.filter(verb="circulation.loan.checkout", object_id=str(loan.pk)).exists()
    assert queries.current_loan(item) == loan


def test_refused_when_already_on_loan(lend, item, patron, make_patron):
    lend(item, patron)
    with pytest.raises(AlreadyOnLoan) as error:
        lend(item, make_patron("P0002", first_name="Budi", last_name="Santoso"))
    assert "Siti Rahmawati" in str(error.value)
    assert Loan.objects.count() == 1


@pytest.mark.parametrize("status", ["in_repair", "missing", "on_order", "in_transit", "withdrawn"])
def test_refused_when_item_not_available(lend, make_item, patron, status):
    item = make_item("B000009", status=status)
    with pytest.raises(ItemNotAvailable):
        lend(item, patron)
    assert not Loan.objects.exists()


def test_not_loanable_item_type_refused_unless_overridden(new_item, patron, branch, rule, desk, librarian):
    from pustaka.holdings.models import ItemType

    ref = ItemType.objects.create(code="REF", name="Reference", is_loanable=False)
    item = new_item("B000010", item_type=ref)
    with pytest.raises(ItemNotLoanable):
        actions.checkout(item=item, patron=patron, branch=branch, actor=desk, now=NOW)
    # The desk role may not override even if it asks to.
    with pytest.raises(ItemNotLoanable):
        actions.checkout(item=item, patron=patron, branch=branch, actor=desk, override=True, now=NOW)
    loan = actions.checkout(item=item, patron=patron, branch=branch, actor=librarian, override=True, now=NOW)
    assert loan.overridden == "item_not_loanable"
    event = AuditEvent.objects.get(verb="circulation.loan.checkout")
    assert event.after["overridden"][0]["code"] == "item_not_loanable"


def test_blocked_patron_refused_with_reason(lend, item, patron, librarian, branch):
    PatronBlock.objects.create(patron=patron, note="Lost library card reported")
    with pytest.raises(PatronBlocked) as error:
        lend(item, patron)
    # Staff's note is for the desk; what a patron may see (str) names only the kind of block.
    assert "Lost library card reported" in error.value.staff_text
    assert "Lost library card reported" not in str(error.value)
    assert "Blocked by staff" in str(error.value)
    loan = actions.checkout(item=item, patron=patron, branch=branch, actor=librarian, override=True, now=NOW)
    assert loan.overridden == "patron_blocked"


def test_expired_patron_refused(lend, item, make_patron):
    expired = make_patron("P0003", expires_on=D(2020, 1, 1))
    with pytest.raises(PatronBlocked) as error:
        lend(item, expired)
    assert "expired" in str(error.value)


def test_fines_over_limit_block(lend, item, patron, make_item):
    patron.category.max_fines = Decimal(1000)
    patron.category.save()
    actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=1500, actor=None)
    with pytest.raises(PatronBlocked):
        lend(item, patron)


def test_loan_limit(lend, make_item, patron, rule, branch, librarian):
    items = [make_item(f"B00010{i}") for i in range(4)]
    for item in items[:3]:
        lend(item, patron)
    with pytest.raises(LoanLimitReached) as error:
        lend(items[3], patron)
    assert "limit is 3" in str(error.value)
    actions.checkout(item=items[3], patron=patron, branch=branch, actor=librarian, override=True, now=NOW)


def test_limit_of_an_item_type_rule_counts_that_type_only(lend, make_item, new_item, patron, rule):
    from pustaka.holdings.models import ItemType

    av = ItemType.objects.create(code="AV", name="Audio-visual")
    LoanRule.objects.create(item_type=av, max_items=1, loan_days=7)
    lend(make_item("B000201"), patron)  # a book
    lend(new_item("B000202", item_type=av), patron)
    with pytest.raises(LoanLimitReached):
        lend(new_item("B000203", item_type=av), patron)


def test_who_may_lend(item, patron, branch, rule, it_manager, patron_user, technician):
    for actor in (it_manager, patron_user):
        with pytest.raises(PermissionDenied):
            actions.checkout(item=item, patron=patron, branch=branch, actor=actor, now=NOW)
    assert not Loan.objects.exists()
    actions.checkout(item=item, patron=patron, branch=branch, actor=technician, now=NOW)  # desk duty


def test_checkout_does_not_load_a_patrons_loans(lend, make_item, patron, rule, item, django_assert_max_num_queries):
    from pustaka.holdings.models import Item

    rule.max_items = 1000
    rule.save()
    many = Item.objects.bulk_create(
        [Item(barcode=f"X{i:05d}", record=item.record, branch=item.branch, item_type=item.item_type) for i in range(60)]
    )
    Loan.objects.bulk_create(
        [
            Loan(item=i, patron=patron, branch=item.branch, checked_out_at=NOW, due_at=NOW + datetime.timedelta(days=9))
            for i in many
        ]
    )
    lend(make_item("B000300"), patron)  # warm the permission cache
    with django_assert_max_num_queries(24):
        lend(item, patron)


# --- Check-in -----------------------------------------------------------------------------------


def test_checkin_on_time_goes_back_to_the_shelf(lend, item, patron, branch, desk):
    loan = lend(item, patron)
    result = actions.checkin(item=item, branch=branch, actor=desk, now=NOW + datetime.timedelta(days=3))
    loan.refresh_from_db()
    item.refresh_from_db()
    assert result.destination == "shelf" and result.fine is None and result.loan == loan
    assert loan.returned_at is not None and loan.return_branch == branch and loan.checked_in_by == desk
    assert item.status == ItemStatus.READY_FOR_SHELVING  # on the shelving trolley until a shelver confirms it
    assert queries.balance(patron) == 0


def test_checkin_not_on_loan(item, branch, desk):
    with pytest.raises(NotOnLoan):
        actions.checkin(item=item, branch=branch, actor=desk, now=NOW)


def test_overdue_fine_counts_open_days_only(lend, item, patron, branch, desk):
    ClosedDay.objects.create(branch=None, date=D(2026, 8, 17))
    loan = lend(item, patron)  # due Tue 18 Aug 16:00
    assert loan.due_at.astimezone(TZ).date() == D(2026, 8, 18)
    ClosedDay.objects.create(branch=branch, date=D(2026, 8, 20))
    # Returned Sat 22 Aug: 19 (Wed), 21 (Fri), 22 (Sat) are open days; 20 is closed.
    result = actions.checkin(item=item, branch=branch, actor=desk, now=at(2026, 8, 22, 9))
    assert result.fine.amount == Decimal("3000.00") and result.fine.kind == FeeKind.OVERDUE
    assert result.fine.loan == loan
    assert queries.balance(patron) == Decimal("3000.00")


def test_returned_after_closing_on_the_due_day_is_not_late(lend, item, patron, branch, desk):
    loan = lend(item, patron)
    due = loan.due_at.astimezone(TZ)
    result = actions.checkin(item=item, branch=branch, actor=desk, now=due + datetime.timedelta(hours=2))
    assert result.fine is None


def test_grace_days_are_free(lend, new_item, item, patron, branch, desk, rule):
    rule.grace_days = 2
    rule.save()
    lend(item, patron)  # due Mon 17 Aug 16:00 (no holiday here)
    result = actions.checkin(item=item, branch=branch, actor=desk, now=at(2026, 8, 19, 9))
    assert result.fine is None  # two open days late: within grace
    item2 = new_item("B000401")
    lend(item2, patron)
    result = actions.checkin(item=item2, branch=branch, actor=desk, now=at(2026, 8, 21, 9))
    assert result.fine.amount == Decimal("2000.00")  # four late, two free


def test_fine_capped_by_max_fine(lend, item, patron, branch, desk):
    lend(item, patron)
    result = actions.checkin(item=item, branch=branch, actor=desk, now=at(2026, 10, 1))
    assert result.fine.amount == Decimal("5000.00")


def test_return_at_another_branch_goes_in_transit_home(lend, new_item, item, patron, branch, other_branch, desk):
    lend(item, patron)
    result = actions.checkin(item=item, branch=other_branch, actor=desk, now=NOW + datetime.timedelta(days=1))
    item.refresh_from_db()
    assert result.destination == "transit" and result.transit_to == branch
    assert item.status == ItemStatus.IN_TRANSIT
    with pytest.raises(NotInTransit):
        actions.receive_transit(item=new_item("B000402"), branch=branch, actor=desk)
    # Arriving at another branch again changes nothing; arriving home puts it on the shelf.
    assert actions.receive_transit(item=item, branch=other_branch, actor=desk).destination == "transit"
    result = actions.receive_transit(item=item, branch=branch, actor=desk)
    item.refresh_from_db()
    assert result.destination == "shelf" and item.status == ItemStatus.READY_FOR_SHELVING


def test_checkin_of_an_item_in_transit_receives_it(lend, item, patron, branch, other_branch, desk):
    lend(item, patron)
    actions.checkin(item=item, branch=other_branch, actor=desk, now=NOW)
    result = actions.checkin(item=item, branch=branch, actor=desk, now=NOW)
    item.refresh_from_db()
    assert result.destination == "shelf" and item.status == ItemStatus.READY_FOR_SHELVING


def test_checkin_of_on_loan_item_without_a_loan(make_item, branch, desk, rule):
    item = make_item("B000500", status="on_loan")
    result = actions.checkin(item=item, branch=branch, actor=desk, now=NOW)
    item.refresh_from_db()
    assert result.loan is None and item.status == ItemStatus.READY_FOR_SHELVING


# --- Holds at check-in ------------------------------------------------------------------------


def _hold(patron, record, pickup, when, item=None):
    return Hold.objects.create(patron=patron, record=record, pickup_branch=pickup, placed_at=when, item=item)


def test_checkin_traps_first_hold_in_queue_onto_hold_shelf(lend, item, patron, make_patron, branch, desk, record):
    lend(item, patron)
    first = _hold(make_patron("P0010"), record, branch, NOW + datetime.timedelta(hours=1))
    second = _hold(make_patron("P0011"), record, branch, NOW + datetime.timedelta(hours=2))
    result = actions.checkin(item=item, branch=branch, actor=desk, now=at(2026, 8, 5))
    first.refresh_from_db()
    item.refresh_from_db()
    assert result.destination == "hold_shelf" and result.hold == first
    assert first.status == HoldStatus.READY and first.trapped_item == item
    assert first.shelf_until == D(2026, 8, 10)  # 5 days after Wed 5 Aug is Mon 10 Aug (open)
    assert item.status == ItemStatus.ON_HOLD_SHELF
    second.refresh_from_db()
    assert second.status == HoldStatus.WAITING
    assert list(queries.hold_shelf(branch)) == [first]


def test_item_level_hold_goes_before_title_level(lend, item, patron, make_patron, branch, desk, record):
    lend(item, patron)
    title_hold = _hold(make_patron("P0010"), record, branch, NOW + datetime.timedelta(hours=1))
    copy_hold = _hold(make_patron("P0011"), record, branch, NOW + datetime.timedelta(hours=5), item=item)
    result = actions.checkin(item=item, branch=branch, actor=desk, now=NOW + datetime.timedelta(days=1))
    assert result.hold == copy_hold
    title_hold.refresh_from_db()
    assert title_hold.status == HoldStatus.WAITING


def test_item_level_hold_on_another_copy_is_not_served(
    lend, item, make_item, patron, make_patron, branch, desk, record
):
    other_copy = make_item("B000600")
    lend(item, patron)
    _hold(make_patron("P0011"), record, branch, NOW, item=other_copy)
    result = actions.checkin(item=item, branch=branch, actor=desk, now=NOW + datetime.timedelta(days=1))
    assert result.destination == "shelf" and result.hold is None


def test_expired_hold_is_skipped(lend, item, patron, make_patron, branch, desk, record):
    lend(item, patron)
    old = _hold(make_patron("P0010"), record, branch, NOW)
    old.expires_on = D(2026, 8, 4)
    old.save()
    result = actions.checkin(item=item, branch=branch, actor=desk, now=at(2026, 8, 6))
    assert result.hold is None


def test_hold_for_pickup_elsewhere_sends_copy_in_transit(
    lend, item, patron, make_patron, branch, other_branch, desk, record
):
    lend(item, patron)
    hold = _hold(make_patron("P0010"), record, other_branch, NOW)
    result = actions.checkin(item=item, branch=branch, actor=desk, now=NOW + datetime.timedelta(days=1))
    hold.refresh_from_db()
    assert result.destination == "transit" and result.transit_to == other_branch
    assert hold.status == HoldStatus.IN_TRANSIT and hold.trapped_item == item
    arrived = actions.receive_transit(item=item, branch=other_branch, actor=desk, now=at(2026, 8, 5))
    hold.refresh_from_db()
    item.refresh_from_db()
    assert arrived.destination == "hold_shelf" and hold.status == HoldStatus.READY
    assert item.status == ItemStatus.ON_HOLD_SHELF and hold.shelf_until == D(2026, 8, 10)


def test_hold_shelf_copy_refused_to_another_patron_and_lent_to_the_holder(
    lend, item, patron, make_patron, branch, desk, record, librarian
):
    holder = make_patron("P0010")
    lend(item, patron)
    hold = _hold(holder, record, branch, NOW)
    actions.checkin(item=item, branch=branch, actor=desk, now=NOW + datetime.timedelta(days=1))
    with pytest.raises(HeldForAnother):
        lend(item, make_patron("P0012"))
    loan = lend(item, holder)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.FULFILLED and loan.patron == holder


def test_override_of_hold_shelf_puts_the_hold_back_in_the_queue(
    lend, item, patron, make_patron, branch, desk, record, librarian
):
    lend(item, patron)
    hold = _hold(make_patron("P0010"), record, branch, NOW)
    actions.checkin(item=item, branch=branch, actor=desk, now=NOW + datetime.timedelta(days=1))
    actions.checkout(item=item, patron=make_patron("P0012"), branch=branch, actor=librarian, override=True, now=NOW)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.WAITING and hold.trapped_item is None


def test_an_available_copy_asked_for_by_name_by_someone_else_is_refused_and_may_be_overridden(
    lend, new_item, patron, make_patron, branch, record, librarian
):
    """An item-level hold on a copy on the shelf: the first waiting hold on that copy decides; a title
    hold of another patron does not (the pull list serves it)."""
    wanted = new_item("B000050")
    spare = new_item("B000051")
    first = make_patron("P0010")
    Hold.objects.create(patron=first, record=record, item=wanted, pickup_branch=branch, placed_at=NOW)
    Hold.objects.create(
        patron=patron, record=record, item=wanted, pickup_branch=branch, placed_at=NOW + datetime.timedelta(minutes=5)
    )
    Hold.objects.create(patron=make_patron("P0011"), record=record, pickup_branch=branch, placed_at=NOW)
    with pytest.raises(HeldForAnother) as refused:
        lend(wanted, patron)
    assert refused.value.overridable and "B000050" in str(refused.value)
    assert not Loan.objects.exists()
    assert lend(spare, patron).item == spare  # another copy of the title is fine

    overridden = actions.checkout(
        item=wanted, patron=make_patron("P0012"), branch=branch, actor=librarian, override=True, now=NOW
    )
    assert overridden.overridden == "held_for_another"
    event = AuditEvent.objects.filter(verb="circulation.loan.checkout", object_id=str(overridden.pk)).get()
    assert event.after["overridden"][0]["code"] == "held_for_another"
    assert Hold.objects.get(patron=first).status == HoldStatus.WAITING  # served when the copy comes back


def test_the_first_item_level_holder_borrows_the_copy_and_an_expired_hold_does_not_count(
    lend, new_item, patron, make_patron, branch, record
):
    wanted = new_item("B000060")
    mine = Hold.objects.create(patron=patron, record=record, item=wanted, pickup_branch=branch, placed_at=NOW)
    Hold.objects.create(
        patron=make_patron("P0010"),
        record=record,
        item=wanted,
        pickup_branch=branch,
        placed_at=NOW + datetime.timedelta(minutes=1),
    )
    loan = lend(wanted, patron)
    mine.refresh_from_db()
    assert mine.status == HoldStatus.FULFILLED and loan.patron == patron

    other = new_item("B000061")
    Hold.objects.create(
        patron=make_patron("P0013"),
        record=record,
        item=other,
        pickup_branch=branch,
        placed_at=NOW,
        expires_on=D(2026, 8, 1),
    )
    assert lend(other, make_patron("P0014")).item == other


def test_lending_an_available_copy_fulfils_the_patrons_waiting_hold(lend, item, patron, branch, record):
    hold = _hold(patron, record, branch, NOW)
    lend(item, patron)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.FULFILLED


def test_a_returned_copy_waits_in_the_shelving_queue_and_can_be_lent_from_the_trolley(
    lend, item, patron, branch, desk, technician, make_patron
):
    from pustaka.technical.actions import confirm_shelved
    from pustaka.technical.queries.processing import shelving_queue

    lend(item, patron)
    actions.checkin(item=item, branch=branch, actor=desk, now=NOW + datetime.timedelta(days=2))
    assert item.pk in {i.pk for i in shelving_queue(branch=branch)}
    # A reader picks it up from the trolley before it is shelved.
    other = make_patron("P0009")
    loan = actions.checkout(item=item, patron=other, branch=branch, actor=desk, now=NOW + datetime.timedelta(days=2))
    assert loan.item.status == ItemStatus.ON_LOAN
    actions.checkin(item=item, branch=branch, actor=desk, now=NOW + datetime.timedelta(days=3))
    confirm_shelved(items=[item], actor=technician)
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE

"""Renewals, holds (place, cancel, expire, trap), lost and claimed-returned items, the fines ledger."""

import datetime
from decimal import Decimal

import pytest

from pustaka.circulation import actions, queries
from pustaka.circulation.choices import FeeKind, HoldStatus, PaymentMethod
from pustaka.circulation.errors import (
    CannotTrap,
    ClaimRefused,
    ClosedDayExists,
    FeeNotCharge,
    HoldAlreadyOnShelf,
    HoldNotOpen,
    HoldRefused,
    InvalidAmount,
    NotOnLoan,
    NotYourAccount,
    RenewalRefused,
    RuleExists,
)
from pustaka.circulation.models import ClosedDay, FeeEntry, Hold, LoanRule
from pustaka.core.errors import PermissionDenied, ValidationFailed
from pustaka.holdings.choices import ItemStatus
from pustaka.patrons.models import PatronBlock

from .conftest import NOW, TZ, at

D = datetime.date
LATER = NOW + datetime.timedelta(days=10)


# --- Renewals ------------------------------------------------------------------------------------


def test_renew_extends_from_now(lend, item, patron, desk):
    loan = lend(item, patron)
    renewed = actions.renew(loan=loan, actor=desk, now=LATER)  # Thu 13 Aug + 14 = Thu 27 Aug
    assert renewed.renewals == 1 and renewed.due_at.astimezone(TZ) == at(2026, 8, 27, 16)


def test_patron_renews_own_loan_but_not_anothers(lend, item, new_item, patron, make_patron, patron_user):
    loan = lend(item, patron)
    assert actions.renew(loan=loan, actor=patron_user, now=LATER).renewals == 1
    other = lend(new_item("B000002"), make_patron("P0002"))
    with pytest.raises(NotYourAccount):
        actions.renew(loan=other, actor=patron_user, now=LATER)
    other.refresh_from_db()
    assert other.renewals == 0


def test_staff_without_permission_cannot_renew(lend, item, patron, it_manager):
    loan = lend(item, patron)
    with pytest.raises(PermissionDenied) as error:
        actions.renew(loan=loan, actor=it_manager, now=LATER)
    assert not isinstance(error.value, NotYourAccount)


def test_renewals_used_up(lend, item, patron, desk, librarian, rule):
    loan = lend(item, patron)
    actions.renew(loan=loan, actor=desk, now=LATER)
    actions.renew(loan=loan, actor=desk, now=LATER + datetime.timedelta(days=1))
    with pytest.raises(RenewalRefused) as error:
        actions.renew(loan=loan, actor=desk, now=LATER + datetime.timedelta(days=2))
    assert "renewed 2 times" in str(error.value)
    with pytest.raises(RenewalRefused):  # the desk cannot override
        actions.renew(loan=loan, actor=desk, override=True, now=LATER + datetime.timedelta(days=2))
    loan = actions.renew(loan=loan, actor=librarian, override=True, now=LATER + datetime.timedelta(days=2))
    assert loan.renewals == 3 and "renewal_refused" in loan.overridden


def test_renew_refused_when_someone_waits(lend, item, patron, make_patron, desk, branch, record, patron_user):
    loan = lend(item, patron)
    Hold.objects.create(patron=make_patron("P0009"), record=record, pickup_branch=branch, placed_at=NOW)
    with pytest.raises(RenewalRefused) as error:
        actions.renew(loan=loan, actor=patron_user, now=LATER)
    assert "hold" in str(error.value)
    with pytest.raises(RenewalRefused):
        actions.renew(loan=loan, actor=patron_user, override=True, now=LATER)  # a patron never overrides


def test_renew_refused_when_blocked(lend, item, patron, desk):
    loan = lend(item, patron)
    PatronBlock.objects.create(patron=patron, note="Unpaid damage")
    with pytest.raises(RenewalRefused) as error:
        actions.renew(loan=loan, actor=desk, now=LATER)
    assert "Unpaid damage" in error.value.staff_text
    assert "Unpaid damage" not in str(error.value) and "Blocked by staff" in str(error.value)


def test_renew_refused_for_returned_lost_or_claimed(lend, new_item, patron, desk, librarian, branch):
    patron.category.max_fines = 10**6
    patron.category.save()
    loan = lend(new_item("B000011"), patron)
    actions.checkin(item=loan.item, branch=branch, actor=desk, now=LATER)
    with pytest.raises(NotOnLoan):
        actions.renew(loan=loan, actor=desk, now=LATER)
    lost = lend(new_item("B000012"), patron)
    actions.declare_lost(loan=lost, actor=desk, now=LATER)
    with pytest.raises(RenewalRefused):
        actions.renew(loan=lost, actor=desk, now=LATER)
    claimed = lend(new_item("B000013"), patron)
    actions.claim_returned(loan=claimed, actor=librarian, now=LATER)
    with pytest.raises(RenewalRefused):
        actions.renew(loan=claimed, actor=desk, now=LATER)


def test_renewing_an_overdue_loan_charges_the_fine_so_far(lend, item, patron, desk):
    loan = lend(item, patron)  # due Mon 17 Aug
    actions.renew(loan=loan, actor=desk, now=at(2026, 8, 19, 9))
    assert queries.balance(patron) == Decimal("2000.00")


def test_renew_all_reports_each_loan(lend, new_item, patron, make_patron, branch, record, second_record, desk):
    first = lend(new_item("B000021"), patron)
    second = lend(new_item("B000022", record=second_record), patron)
    Hold.objects.create(patron=make_patron("P0009"), record=second_record, pickup_branch=branch, placed_at=NOW)
    results = dict(actions.renew_all(patron=patron, actor=desk, now=LATER))
    assert results[first] is None
    assert isinstance(results[second], RenewalRefused)


# --- Holds ---------------------------------------------------------------------------------------


def test_place_hold_on_a_title_on_loan(lend, item, patron, make_patron, branch, record, patron_user, desk):
    holder = make_patron("P0005")
    lend(item, holder)
    hold = actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=patron_user, now=NOW)
    assert hold.status == HoldStatus.WAITING and hold.placed_by == patron_user
    assert queries.queue_position(hold) == 1
    with pytest.raises(HoldRefused) as error:
        actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=patron_user, now=NOW)
    assert "already a hold" in str(error.value)
    with pytest.raises(NotYourAccount):
        actions.place_hold(patron=make_patron("P0006"), record=record, pickup_branch=branch, actor=patron_user)
    with pytest.raises(HoldRefused) as error:
        actions.place_hold(patron=holder, record=record, pickup_branch=branch, actor=desk, now=NOW)
    assert "on loan" in str(error.value)


def test_hold_refused_when_a_copy_is_on_the_shelf_unless_the_rule_allows(item, patron, branch, record, desk, rule):
    with pytest.raises(HoldRefused) as error:
        actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=desk, now=NOW)
    assert "on the shelf" in str(error.value)
    rule.holds_when_available = True
    rule.save()
    assert actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=desk, now=NOW)


def test_hold_refused_when_rule_forbids_or_nothing_loanable(
    lend, item, new_item, patron, make_patron, branch, record, desk, rule
):
    lend(item, make_patron("P0005"))
    rule.holds_allowed = False
    rule.save()
    with pytest.raises(HoldRefused) as error:
        actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=desk, now=NOW)
    assert "no copy" in str(error.value)


def test_hold_refused_for_blocked_patron_or_past_expiry(lend, item, patron, make_patron, branch, record, desk):
    lend(item, make_patron("P0005"))
    with pytest.raises(HoldRefused) as error:
        actions.place_hold(
            patron=patron, record=record, pickup_branch=branch, actor=desk, expires_on=D(2026, 8, 1), now=NOW
        )
    assert error.value.field == "expires_on"
    PatronBlock.objects.create(patron=patron, note="Card lost")
    with pytest.raises(HoldRefused) as error:
        actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=desk, now=NOW)
    assert "Card lost" in error.value.staff_text
    assert "Card lost" not in str(error.value) and "Blocked by staff" in str(error.value)
    assert not Hold.objects.exists()


def test_item_level_hold_must_name_a_copy_of_the_title(
    lend, item, new_item, second_record, patron, make_patron, branch, record, desk
):
    lend(item, make_patron("P0005"))
    other = new_item("B000031", record=second_record)
    with pytest.raises(HoldRefused):
        actions.place_hold(patron=patron, record=record, item=other, pickup_branch=branch, actor=desk, now=NOW)
    hold = actions.place_hold(patron=patron, record=record, item=item, pickup_branch=branch, actor=desk, now=NOW)
    assert hold.item == item


def test_cancel_ready_hold_passes_copy_to_next_in_queue(
    lend, item, patron, make_patron, branch, record, desk, patron_user
):
    lend(item, make_patron("P0005"))
    mine = actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=patron_user, now=NOW)
    nxt = actions.place_hold(patron=make_patron("P0006"), record=record, pickup_branch=branch, actor=desk, now=LATER)
    actions.checkin(item=item, branch=branch, actor=desk, now=LATER)
    mine.refresh_from_db()
    assert mine.status == HoldStatus.READY
    actions.cancel_hold(hold=mine, actor=patron_user, now=LATER)
    mine.refresh_from_db()
    nxt.refresh_from_db()
    item.refresh_from_db()
    assert mine.status == HoldStatus.CANCELLED and nxt.status == HoldStatus.READY and nxt.trapped_item == item
    assert item.status == ItemStatus.ON_HOLD_SHELF
    with pytest.raises(HoldNotOpen):
        actions.cancel_hold(hold=mine, actor=desk)
    with pytest.raises(NotYourAccount):
        actions.cancel_hold(hold=nxt, actor=patron_user)
    actions.cancel_hold(hold=nxt, actor=desk, now=LATER)
    item.refresh_from_db()
    assert item.status == ItemStatus.READY_FOR_SHELVING


def test_expire_holds(lend, item, new_item, patron, make_patron, branch, record, second_record, desk, it_manager):
    lend(item, make_patron("P0005"))
    ready = actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=desk, now=NOW)
    actions.checkin(item=item, branch=branch, actor=desk, now=NOW + datetime.timedelta(days=1))
    lend(new_item("B000041", record=second_record), make_patron("P0007"))
    waiting = actions.place_hold(
        patron=patron, record=second_record, pickup_branch=branch, actor=desk, expires_on=D(2026, 8, 5), now=NOW
    )
    ready.refresh_from_db()
    assert actions.expire_holds(today=D(2026, 8, 6)) == 1  # only the waiting one has passed its date
    assert actions.expire_holds(today=ready.shelf_until + datetime.timedelta(days=1)) == 1
    ready.refresh_from_db()
    waiting.refresh_from_db()
    item.refresh_from_db()
    assert ready.status == waiting.status == HoldStatus.EXPIRED
    assert item.status == ItemStatus.READY_FOR_SHELVING
    with pytest.raises(PermissionDenied):
        actions.expire_holds(actor=it_manager)


def test_trap_hold_for_an_available_copy(
    new_item, patron, make_patron, branch, other_branch, record, desk, rule, it_manager
):
    patron_two = make_patron("P0002")
    rule.holds_when_available = True
    rule.save()
    here = new_item("B000051")
    there = new_item("B000052", branch=other_branch)
    hold = actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=desk, now=NOW)
    with pytest.raises(CannotTrap):
        actions.trap_hold(hold=hold, item=new_item("B000053", status="in_repair"), actor=desk)
    actions.trap_hold(hold=hold, item=there, actor=desk, now=NOW)
    hold.refresh_from_db()
    there.refresh_from_db()
    assert hold.status == HoldStatus.IN_TRANSIT and there.status == ItemStatus.IN_TRANSIT
    with pytest.raises(HoldNotOpen):
        actions.trap_hold(hold=hold, item=here, actor=desk)
    # An available copy at the pickup branch goes straight onto the hold shelf.
    second = actions.place_hold(patron=patron_two, record=record, pickup_branch=branch, actor=desk, now=NOW)
    actions.trap_hold(hold=second, item=here, actor=desk, now=NOW)
    second.refresh_from_db()
    assert second.status == HoldStatus.READY and second.trapped_item == here
    with pytest.raises(PermissionDenied):
        actions.trap_hold(hold=second, item=here, actor=it_manager)


# --- Lost, claimed returned -----------------------------------------------------------------------


def test_declare_lost_charges_price_and_fee_and_found_refunds(lend, new_item, patron, branch, desk):
    item = new_item("B000061", price=Decimal(80000))
    loan = lend(item, patron)
    actions.declare_lost(loan=loan, actor=desk, now=LATER)
    item.refresh_from_db()
    assert item.status == ItemStatus.LOST
    kinds = dict(FeeEntry.objects.filter(loan=loan).values_list("kind", "amount"))
    assert kinds == {FeeKind.LOST: Decimal("80000.00"), FeeKind.PROCESSING: Decimal("10000.00")}
    assert queries.balance(patron) == Decimal("90000.00")
    assert queries.overdue_count(patron, now=at(2026, 12, 1)) == 0
    with pytest.raises(ClaimRefused):
        actions.declare_lost(loan=loan, actor=desk)
    result = actions.checkin(item=item, branch=branch, actor=desk, now=at(2026, 12, 1))
    item.refresh_from_db()
    assert result.fine is None and item.status == ItemStatus.READY_FOR_SHELVING
    assert queries.balance(patron) == Decimal("10000.00")  # the processing fee stays


def test_lost_without_price_uses_replacement_charge(lend, item, patron, desk, rule):
    rule.replacement_charge = Decimal(45000)
    rule.processing_fee = 0
    rule.save()
    loan = lend(item, patron)
    actions.declare_lost(loan=loan, actor=desk, now=LATER)
    assert queries.balance(patron) == Decimal("45000.00")


def test_claim_returned_stops_fines(lend, item, patron, branch, desk, librarian):
    loan = lend(item, patron)  # due Mon 17 Aug
    with pytest.raises(PermissionDenied):
        actions.claim_returned(loan=loan, actor=desk)
    actions.claim_returned(loan=loan, actor=librarian, now=at(2026, 8, 19, 9))  # two open days late
    assert queries.overdue_count(patron, now=at(2026, 9, 1)) == 0
    with pytest.raises(ClaimRefused):
        actions.claim_returned(loan=loan, actor=librarian)
    result = actions.checkin(item=item, branch=branch, actor=desk, now=at(2026, 8, 29))
    assert result.fine.amount == Decimal("2000.00")


# --- The fines ledger ------------------------------------------------------------------------------


def test_payments_partial_and_never_more_than_owed(patron, desk, librarian, django_assert_num_queries):
    actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=5000, actor=librarian, note="Damaged cover")
    with pytest.raises(InvalidAmount):
        actions.pay(patron=patron, amount=6000, method=PaymentMethod.CASH, actor=desk)
    with pytest.raises(InvalidAmount):
        actions.pay(patron=patron, amount=0, method=PaymentMethod.CASH, actor=desk)
    with pytest.raises(InvalidAmount):
        actions.pay(patron=patron, amount="abc", method=PaymentMethod.CASH, actor=desk)
    with pytest.raises(ValidationFailed):
        actions.pay(patron=patron, amount=100, method="bitcoin", actor=desk)
    actions.pay(patron=patron, amount=2000, method=PaymentMethod.QRIS, actor=desk)
    with django_assert_num_queries(1):
        assert queries.balance(patron) == Decimal("3000.00")
    actions.pay(patron=patron, amount="3000", method=PaymentMethod.CASH, actor=desk)
    assert queries.balance(patron) == 0


def test_who_may_charge_pay_and_waive(patron, desk, librarian, it_manager, patron_user):
    with pytest.raises(PermissionDenied):
        actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=5000, actor=desk)
    fee = actions.charge(patron=patron, kind=FeeKind.CARD, amount=5000, actor=librarian)
    for actor in (it_manager, patron_user):
        with pytest.raises(PermissionDenied):
            actions.pay(patron=patron, amount=1000, method=PaymentMethod.CASH, actor=actor)
    with pytest.raises(PermissionDenied):
        actions.waive(fee=fee, amount=1000, reason="Goodwill", actor=desk)
    with pytest.raises(ValidationFailed):
        actions.waive(fee=fee, amount=1000, reason=" ", actor=librarian)
    with pytest.raises(InvalidAmount):
        actions.waive(fee=fee, amount=6000, reason="Goodwill", actor=librarian)
    credit = actions.waive(fee=fee, amount=1000, reason="Goodwill", actor=librarian)
    assert credit.kind == FeeKind.WAIVER and credit.settles == fee and credit.note == "Goodwill"
    assert queries.outstanding_on(fee) == Decimal("4000.00")
    with pytest.raises(FeeNotCharge):
        actions.waive(fee=credit, amount=1, reason="x", actor=librarian)
    with pytest.raises(ValidationFailed):
        actions.charge(patron=patron, kind=FeeKind.PAYMENT, amount=100, actor=librarian)


def test_payments_settle_the_oldest_charges_first(patron, desk, librarian, django_assert_num_queries):
    """A payment names no charge; it settles the oldest open charges first, so what is listed as still
    owed adds up to the balance, and a charge paid off can no longer be waived."""
    from pustaka.core.models import AuditEvent

    first = actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=2000, actor=librarian, note="first")
    second = actions.charge(patron=patron, kind=FeeKind.CARD, amount="1500.50", actor=librarian)
    third = actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=3000, actor=librarian, note="third")
    actions.pay(patron=patron, amount="2500", method=PaymentMethod.CASH, actor=desk)
    with django_assert_num_queries(2):
        owed = queries.outstanding_charges(patron)
    assert [(c.pk, c.outstanding) for c in owed] == [(second.pk, Decimal("1000.50")), (third.pk, Decimal("3000"))]
    assert sum(c.outstanding for c in owed) == queries.balance(patron)
    assert queries.outstanding_on(first) == 0
    event = AuditEvent.objects.filter(verb="circulation.fee.pay").latest("id")
    assert event.after["settles"] == [
        {"charge": first.pk, "amount": "2000.00"},
        {"charge": second.pk, "amount": "500.00"},
    ]
    with pytest.raises(InvalidAmount) as refused:
        actions.waive(fee=first, amount=1, reason="Goodwill", actor=librarian)
    assert "not more than Rp 0." in str(refused.value)
    actions.waive(fee=third, amount=3000, reason="Goodwill", actor=librarian)
    actions.pay(patron=patron, amount="1000.50", method=PaymentMethod.QRIS, actor=desk)
    assert queries.outstanding_charges(patron) == [] and queries.balance(patron) == 0


def test_a_waiver_and_a_payment_together_never_count_twice(patron, desk, librarian):
    old = actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=1000, actor=librarian)
    new = actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=2000, actor=librarian)
    actions.pay(patron=patron, amount=500, method=PaymentMethod.CASH, actor=desk)
    assert queries.outstanding_on(old) == Decimal("500")
    with pytest.raises(InvalidAmount):
        actions.waive(fee=old, amount=1000, reason="Goodwill", actor=librarian)  # only 500 is left on it
    actions.waive(fee=old, amount=500, reason="Goodwill", actor=librarian)
    assert [(c.pk, c.outstanding) for c in queries.outstanding_charges(patron)] == [(new.pk, Decimal("2000"))]
    assert queries.balance(patron) == Decimal("2000")


def test_balances_for_many_patrons_in_one_query(patron, make_patron, librarian, django_assert_num_queries):
    other = make_patron("P0002")
    actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=100, actor=librarian)
    with django_assert_num_queries(1):
        result = queries.balances([patron, other])
    assert result == {patron.pk: Decimal(100), other.pk: Decimal(0)}


# --- Loan rules and closed days ---------------------------------------------------------------------


def test_rule_and_closed_day_actions(librarian, desk, branch, item_type):
    with pytest.raises(PermissionDenied):
        actions.create_loan_rule(actor=desk, loan_days=7)
    rule = actions.create_loan_rule(actor=librarian, item_type=item_type, loan_days=7, fine_per_day="500")
    assert rule.fine_per_day == Decimal("500.00")
    with pytest.raises(RuleExists):
        actions.create_loan_rule(actor=librarian, item_type=item_type, loan_days=3)
    with pytest.raises(ValidationFailed) as error:
        actions.update_loan_rule(rule=rule, actor=librarian, max_fine="-1")
    assert error.value.field == "max_fine"
    with pytest.raises(ValidationFailed):
        actions.update_loan_rule(rule=rule, actor=librarian, loan_days=0)
    actions.update_loan_rule(rule=rule, actor=librarian, loan_days=10)
    rule.refresh_from_db()
    assert rule.loan_days == 10
    with pytest.raises(PermissionDenied):
        actions.delete_loan_rule(rule=rule, actor=desk)
    actions.delete_loan_rule(rule=rule, actor=librarian)
    assert not LoanRule.objects.exists()
    day = actions.add_closed_day(date=D(2026, 8, 17), actor=librarian, reason="Hari Kemerdekaan")
    with pytest.raises(ClosedDayExists):
        actions.add_closed_day(date=D(2026, 8, 17), actor=librarian)
    actions.add_closed_day(date=D(2026, 8, 17), branch=branch, actor=librarian)  # a branch's own entry is separate
    with pytest.raises(PermissionDenied):
        actions.add_closed_day(date=D(2026, 12, 25), actor=desk)
    actions.delete_closed_day(day=day, actor=librarian)
    assert ClosedDay.objects.count() == 1


def test_rule_actions_refuse_unknown_fields(librarian):
    with pytest.raises(ValidationFailed) as error:
        actions.create_loan_rule(actor=librarian, loan_days=7, colour="red")
    assert error.value.field == "colour" and "colour" in str(error.value)


def test_a_hold_changes_pickup_branch_and_date_and_keeps_its_place(
    lend, item, patron, make_patron, branch, other_branch, record, desk, patron_user
):
    from pustaka.core.models import AuditEvent

    lend(item, make_patron("P0005"))
    mine = actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=patron_user, now=NOW)
    theirs = actions.place_hold(patron=make_patron("P0006"), record=record, pickup_branch=branch, actor=desk, now=LATER)
    later = (NOW + datetime.timedelta(days=60)).date()
    changed = actions.change_hold(hold=mine, actor=patron_user, pickup_branch=other_branch, expires_on=later, now=NOW)
    assert (changed.pickup_branch, changed.expires_on, changed.placed_at) == (other_branch, later, mine.placed_at)
    assert queries.queue_position(changed) == 1
    assert AuditEvent.objects.get(verb="circulation.hold.change").after["pickup_branch_id"] == other_branch.pk
    with pytest.raises(NotYourAccount):
        actions.change_hold(hold=theirs, actor=patron_user, pickup_branch=other_branch, now=NOW)
    with pytest.raises(ValidationFailed) as error:
        actions.change_hold(hold=mine, actor=desk, expires_on=(NOW - datetime.timedelta(days=1)).date(), now=NOW)
    assert error.value.field == "expires_on"


def test_a_hold_on_the_hold_shelf_keeps_its_pickup_branch(
    lend, item, patron, make_patron, branch, other_branch, record, desk
):
    lend(item, make_patron("P0005"))
    hold = actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=desk, now=NOW)
    actions.checkin(item=item, branch=branch, actor=desk, now=LATER)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.READY
    with pytest.raises(HoldAlreadyOnShelf):
        actions.change_hold(hold=hold, actor=desk, pickup_branch=other_branch, now=LATER)
    hold.refresh_from_db()
    assert hold.pickup_branch == branch

"""Why a patron may not borrow: manual blocks, an expired membership, overdue items and fines."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pustaka.circulation.errors import PatronNotFound
from pustaka.circulation.models import FeeEntry, Loan
from pustaka.patrons import actions, queries
from pustaka.patrons.choices import BlockReason


def reasons(patron, **kwargs):
    return [reason for reason, _text in queries.blocks(patron, **kwargs)]


def lend(patron, item, *, days_overdue):
    """A loan made directly (test set-up) that is ``days_overdue`` days late (negative: not yet due)."""
    now = timezone.now()
    return Loan.objects.create(
        item=item,
        patron=patron,
        branch=item.branch,
        checked_out_at=now - datetime.timedelta(days=20),
        due_at=now - datetime.timedelta(days=days_overdue),
    )


def test_a_patron_in_good_standing_has_no_blocks(patron):
    assert queries.blocks(patron) == []


def test_a_manual_block_is_listed_with_its_note_until_lifted(librarian, patron):
    actions.block_patron(patron=patron, actor=librarian, reason="Alamat tidak valid")
    assert queries.blocks(patron) == [(BlockReason.MANUAL, "Alamat tidak valid")]
    actions.unblock_patron(patron=patron, actor=librarian, reason="Alamat diperbarui")
    assert queries.blocks(patron) == []


def test_an_expired_membership_blocks_from_the_day_after_expiry(make_patron):
    patron = make_patron("E0001", expires_on=datetime.date(2026, 6, 30))
    assert reasons(patron, today=datetime.date(2026, 6, 30)) == []
    found = queries.blocks(patron, today=datetime.date(2026, 7, 1))
    assert [r for r, _ in found] == [BlockReason.EXPIRED]
    assert "2026" in found[0][1]


def test_overdue_items_block_at_the_categorys_limit(patron, make_item):
    category = patron.category
    category.max_overdues = 2
    category.save()
    lend(patron, make_item("B000001"), days_overdue=3)
    lend(patron, make_item("B000002"), days_overdue=-5)  # not due yet
    assert reasons(patron) == []
    lend(patron, make_item("B000003"), days_overdue=1)
    found = queries.blocks(patron)
    assert [r for r, _ in found] == [BlockReason.OVERDUES]
    assert "2 items overdue" in found[0][1]


def test_a_returned_late_loan_does_not_count(patron, make_item):
    patron.category.max_overdues = 1
    patron.category.save()
    loan = lend(patron, make_item("B000001"), days_overdue=3)
    loan.returned_at = timezone.now()
    loan.save()
    assert reasons(patron) == []


def test_zero_max_overdues_turns_that_rule_off(patron, make_item):
    patron.category.max_overdues = 0
    patron.category.save()
    lend(patron, make_item("B000001"), days_overdue=3)
    assert reasons(patron) == []


def test_fines_over_the_limit_block_and_payments_count(patron):
    patron.category.max_fines = Decimal("10000")
    patron.category.save()
    FeeEntry.objects.create(patron=patron, kind="overdue", amount=Decimal("8000"))
    FeeEntry.objects.create(patron=patron, kind="lost", amount=Decimal("5000"))
    found = queries.blocks(patron)
    assert [r for r, _ in found] == [BlockReason.FINES]
    assert found[0][1] == "Owes Rp 13,000 (limit Rp 10,000)."
    FeeEntry.objects.create(patron=patron, kind="payment", amount=Decimal("3000"))
    assert reasons(patron) == []  # 10,000 owed is not over a limit of 10,000


def test_every_reason_at_once_in_a_fixed_order(librarian, make_patron, make_item):
    patron = make_patron("X0001", expires_on=timezone.localdate() - datetime.timedelta(days=1))
    patron.category.max_overdues = 1
    patron.category.max_fines = Decimal("0")
    patron.category.save()
    actions.block_patron(patron=patron, actor=librarian, reason="manual")
    lend(patron, make_item("B000001"), days_overdue=2)
    FeeEntry.objects.create(patron=patron, kind="overdue", amount=Decimal("2000"))
    assert reasons(patron) == [BlockReason.MANUAL, BlockReason.EXPIRED, BlockReason.OVERDUES, BlockReason.FINES]


def test_blocks_take_a_fixed_number_of_queries(patron, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        queries.blocks(patron)


def test_get_by_card_ignores_spaces_and_case(patron):
    assert queries.get_by_card(" p 0001 ") == patron
    assert queries.get_by_card("P0001") == patron
    for card in ["P0002", "", "\x00", "x" * 40]:
        with pytest.raises(PatronNotFound):
            queries.get_by_card(card)


def test_patrons_for_follows_the_home_branch_except_for_administrators(
    administrator, circulation, north_circulation, it_manager, patron_user, make_patron, other_branch
):
    here = make_patron("M0001")
    there = make_patron("N0001", home_branch=other_branch)
    assert set(queries.patrons_for(administrator)) == {here, there}
    assert list(queries.patrons_for(circulation)) == [here]
    assert list(queries.patrons_for(north_circulation)) == [there]
    assert list(queries.patrons_for(it_manager)) == [here]  # may view, at its home branch
    assert list(queries.patrons_for(patron_user)) == []
    circulation.home_branch = None
    circulation.save()
    assert list(queries.patrons_for(circulation)) == []

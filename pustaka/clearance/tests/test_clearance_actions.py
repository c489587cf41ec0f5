"""Issuing clearance letters: refused (every blocker listed) while anything is owed; numbered from a
yearly sequence that never gives a number twice; a letter that blocks loans stops checkout."""

import datetime

import pytest
from django.utils import timezone

from pustaka.circulation.models import FeeEntry
from pustaka.clearance import actions, errors, queries
from pustaka.clearance.models import ClearanceLetter, ClearanceSequence
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent


def test_a_patron_who_owes_nothing_gets_a_numbered_letter_and_it_is_audited(circulation, patron):
    letter = actions.issue_clearance(actor=circulation, patron=patron, purpose="graduation", purpose_note="S1 Sejarah")
    year = timezone.localdate().year
    assert letter.number == f"001/BP/{year}"
    assert letter.patron_name == "Siti Rahmawati" and letter.status == "issued" and letter.is_valid
    assert letter.valid_until == timezone.localdate() + datetime.timedelta(days=90)
    assert len(letter.code) == 12
    event = AuditEvent.objects.get(verb="clearance.letter.issue")
    assert event.after["number"] == letter.number and event.actor == circulation


def test_every_blocker_is_listed_and_nothing_is_written(circulation, patron, owing):
    with pytest.raises(errors.ClearanceBlocked) as caught:
        actions.issue_clearance(actor=circulation, patron=patron)
    text = str(caught.value)
    assert "1 item is still on loan." in text
    assert "Unpaid charges of Rp 5,000." in text
    assert "1 hold is still waiting" in text
    assert [b.kind for b in caught.value.blockers] == ["loans", "charges", "holds"]
    assert caught.value.as_dict()["blockers"][0]["count"] == 1
    assert not ClearanceLetter.objects.exists()
    assert not ClearanceSequence.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="clearance.").exists()


@pytest.mark.parametrize("left", ["loans", "charges", "holds"])
def test_each_blocker_alone_refuses_the_letter(circulation, patron, owing, left):
    from pustaka.circulation.models import Hold

    if left != "loans":
        owing["loan"].returned_at = timezone.now()
        owing["loan"].save(update_fields=["returned_at"])
    if left != "charges":
        FeeEntry.objects.create(patron=patron, kind="payment", amount=5000, settles=owing["fee"])
    if left != "holds":
        Hold.objects.filter(pk=owing["hold"].pk).update(status="cancelled", closed_at=timezone.now())
    with pytest.raises(errors.ClearanceBlocked) as caught:
        actions.issue_clearance(actor=circulation, patron=patron)
    assert [b.kind for b in caught.value.blockers] == [left]


def test_numbers_follow_the_year_and_a_revoked_letter_keeps_its_number(circulation, librarian, patron, make_patron):
    first = actions.issue_clearance(actor=circulation, patron=patron)
    second = actions.issue_clearance(actor=circulation, patron=make_patron("P0002"))
    actions.revoke_clearance(actor=librarian, letter=first, reason="Salah nama")
    third = actions.issue_clearance(actor=circulation, patron=patron)
    year = timezone.localdate().year
    assert [first.number, second.number, third.number] == [f"00{n}/BP/{year}" for n in (1, 2, 3)]
    first.refresh_from_db()
    assert first.status == "revoked" and not first.is_valid


def test_the_library_chooses_the_number_pattern(librarian, circulation, patron):
    actions.update_clearance_settings(
        actor=librarian,
        number_pattern="BP-{branch}/{seq:04}/{roman_month}/{year}",
        validity_days="",
        signatory_name="Dra. Sri Wahyuni",
        signatory_title="Kepala Perpustakaan",
    )
    letter = actions.issue_clearance(actor=circulation, patron=patron)
    today = timezone.localdate()
    roman = actions.ROMAN[today.month - 1]
    assert letter.number == f"BP-MAIN/0001/{roman}/{today.year}"
    assert letter.valid_until is None


@pytest.mark.parametrize(
    ("pattern", "words"),
    [("{seq:03}/BP", "needs {seq} and {year}"), ("{seq}/{year}/{patron.name}", "not one of these"), ("", "empty")],
)
def test_a_pattern_that_could_repeat_a_number_is_refused(librarian, pattern, words):
    with pytest.raises(errors.InvalidNumberPattern) as caught:
        actions.update_clearance_settings(actor=librarian, number_pattern=pattern)
    assert caught.value.field == "number_pattern" and words in str(caught.value)


def test_the_sequence_is_taken_under_a_lock_and_restarts_each_year(db):
    assert actions._next_sequence(2026) == 1
    assert actions._next_sequence(2026) == 2
    assert actions._next_sequence(2027) == 1
    assert ClearanceSequence.objects.get(year=2026).last == 2


def test_a_number_is_never_given_twice_even_if_the_sequence_is_set_back(circulation, patron, make_patron):
    actions.issue_clearance(actor=circulation, patron=patron)
    ClearanceSequence.objects.update(last=0)  # a restored backup, a hand edit
    with pytest.raises(errors.InvalidClearance) as caught:
        actions.issue_clearance(actor=circulation, patron=make_patron("P0002"))
    assert "already taken" in str(caught.value)
    assert ClearanceLetter.objects.count() == 1


def test_a_letter_that_blocks_loans_stops_checkout(librarian, patron, make_item, branch):
    from pustaka.circulation.actions import checkout
    from pustaka.patrons.queries import blocks

    letter = actions.issue_clearance(actor=librarian, patron=patron, blocks_loans=True)
    assert letter.block is not None and letter.block.lifted_at is None
    assert letter.number in letter.block.note
    assert [reason for reason, _text in blocks(patron)] == ["manual"]
    from pustaka.circulation.errors import PatronBlocked
    from pustaka.circulation.models import Loan

    with pytest.raises(PatronBlocked):
        checkout(item=make_item("B000002"), patron=patron, branch=branch, actor=librarian)
    assert not Loan.objects.exists()
    assert AuditEvent.objects.filter(verb="patrons.patron.block").exists()


def test_blocking_loans_needs_the_block_permission(circulation, patron):
    with pytest.raises(PermissionDenied):
        actions.issue_clearance(actor=circulation, patron=patron, blocks_loans=True)
    assert not ClearanceLetter.objects.exists()


def test_staff_of_another_branch_may_not_issue(make_staff, patron, other_branch):
    clerk = make_staff("circulation", "clerk-north")
    clerk.home_branch = other_branch
    clerk.save()
    with pytest.raises(PermissionDenied):
        actions.issue_clearance(actor=clerk, patron=patron)
    assert not ClearanceLetter.objects.exists()


def test_a_patron_asks_for_their_own_letter_and_it_blocks_loans_by_the_librarys_rule(patron, patron_user):
    letter = actions.request_own_clearance(actor=patron_user, purpose="transfer")
    assert letter.patron == patron and letter.requested_by_patron and letter.blocks_loans
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"clearance.letter.issue", "clearance.letter.request", "patrons.patron.block"} <= verbs


def test_a_patron_who_owes_is_told_everything_that_blocks(patron, patron_user, owing):
    with pytest.raises(errors.ClearanceBlocked) as caught:
        actions.request_own_clearance(actor=patron_user)
    assert len(caught.value.blockers) == 3
    assert not ClearanceLetter.objects.exists()


def test_staff_cannot_use_the_patrons_own_request(circulation):
    with pytest.raises(PermissionDenied):
        actions.request_own_clearance(actor=circulation)


def test_a_revoked_letter_cannot_be_revoked_again(circulation, librarian, patron):
    letter = actions.issue_clearance(actor=circulation, patron=patron)
    actions.revoke_clearance(actor=librarian, letter=letter, reason="Keliru")
    with pytest.raises(errors.LetterAlreadyRevoked):
        actions.revoke_clearance(actor=librarian, letter=letter, reason="Lagi")
    with pytest.raises(PermissionDenied):
        actions.revoke_clearance(actor=circulation, letter=letter, reason="x")


def test_the_blockers_are_read_in_three_queries(patron, owing, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert len(queries.blockers(patron)) == 3


@pytest.mark.django_db(transaction=True)
def test_two_desks_issuing_at_the_same_instant_get_two_numbers(make_staff, make_patron):
    """Each desk's transaction takes the year's number under a lock: no number twice, none lost."""
    import threading

    from django.db import connection

    clerk = make_staff("circulation", "desk-a")
    patrons = [make_patron(f"P30{n:02d}") for n in range(6)]
    start = threading.Barrier(len(patrons))
    numbers, failures = [], []

    def desk(patron):
        try:
            start.wait()
            numbers.append(actions.issue_clearance(actor=clerk, patron=patron).sequence)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(p,)) for p in patrons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]
    assert ClearanceSequence.objects.get().last == 6

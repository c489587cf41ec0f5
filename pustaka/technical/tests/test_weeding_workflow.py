"""Weeding by criteria: proposal in SQL with reasons, class ranges as librarians compare them,
decisions kept on re-runs, bulk decisions, approved ones onto a pull list; refusals; pages."""

import datetime

import pytest
from django.utils import timezone

from pustaka.catalog.models import Record
from pustaka.core.errors import PermissionDenied
from pustaka.technical import actions
from pustaka.technical.errors.pulling import InvalidWeedingCriteria, NothingToPull
from pustaka.technical.models import WeedingCandidate
from pustaka.technical.queries.pulling import reason_text

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 1)


def _record(title, year, class_number):
    return Record.objects.create(title=title, year=year, class_number=class_number, call_number=f"{class_number} X")


@pytest.fixture
def collection(make_item):
    """Old, unused books in 500s and 900s; a recent one; a well-used one; one never lent (acquired 2010)."""
    old_at = timezone.make_aware(datetime.datetime(2012, 1, 1))
    return {
        "old": make_item("OLD", record=_record("Fisika lama", 1980, "530.1"), last_loan_at=old_at, loan_count=2),
        "old99": make_item("OLD99", record=_record("Biologi", 1985, "599.9"), last_loan_at=old_at, loan_count=1),
        "hist": make_item("HIST", record=_record("Sejarah", 1970, "959.8"), last_loan_at=old_at),
        "new": make_item("NEW", record=_record("Fisika baru", 2020, "530.1"), last_loan_at=old_at),
        "used": make_item("USED", record=_record("Kimia", 1975, "540"), last_loan_at=old_at, loan_count=50),
        "never": make_item(
            "NEVER", record=_record("Geologi", 1990, "550"), acquired_on=datetime.date(2010, 1, 1), loan_count=0
        ),
        "gone": make_item("GONE", record=_record("Hilang", 1960, "560"), status="withdrawn"),
    }


@pytest.fixture
def criteria(librarian, branch):
    return actions.create_weeding_criteria(
        name="Sains tua",
        branch=branch,
        actor=librarian,
        class_from="500",
        class_to="599",
        min_years_since_publication=20,
        min_years_since_last_loan=5,
        max_loan_count=10,
    )


def _proposed(criteria):
    return set(criteria.candidates.values_list("item__barcode", flat=True))


def test_proposal_finds_old_unused_items_in_the_class_range_with_reasons(criteria, librarian, collection):
    result = actions.propose_weeding_candidates(criteria=criteria, actor=librarian, today=TODAY)

    assert _proposed(criteria) == {"OLD", "OLD99", "NEVER"}
    assert result == {"matched": 3, "proposed": 3, "kept": 0}
    old = criteria.candidates.get(item__barcode="OLD")
    assert [reason_text(r) for r in old.reasons] == [
        "Published in 1980 (45 years ago)",
        "Not lent since 2012-01-01",
        "Lent 2 times",
    ]
    never = criteria.candidates.get(item__barcode="NEVER")
    assert reason_text(never.reasons[1]) == "Never lent; in the library since 2010-01-01"


def test_class_numbers_compare_as_librarians_compare_them(librarian, branch, make_item):
    make_item("C99", record=_record("a", 1900, "99"), acquired_on=datetime.date(2000, 1, 1))
    make_item("C100", record=_record("b", 1900, "100.5"), acquired_on=datetime.date(2000, 1, 1))
    make_item("C1000", record=_record("c", 1900, "1000"), acquired_on=datetime.date(2000, 1, 1))
    criteria = actions.create_weeding_criteria(
        name="Seratusan",
        branch=branch,
        actor=librarian,
        class_from="100",
        class_to="200",
        min_years_since_publication=1,
    )
    actions.propose_weeding_candidates(criteria=criteria, actor=librarian, today=TODAY)
    assert _proposed(criteria) == {"C100"}  # as text, "1000" and "99" would fall between "100" and "200"


def test_copies_held_and_condition_narrow_the_proposal(librarian, branch, make_item):
    record = _record("Banyak", 1970, "500")
    make_item("K1", record=record, condition="worn")
    make_item("K2", record=record, condition="good")
    make_item("K3", record=record, condition="worn", status="withdrawn")
    criteria = actions.create_weeding_criteria(
        name="Rusak dan ganda", branch=branch, actor=librarian, conditions=["worn"], min_copies_held=2
    )
    actions.propose_weeding_candidates(criteria=criteria, actor=librarian, today=TODAY)
    assert _proposed(criteria) == {"K1"}
    reasons = criteria.candidates.get().reasons
    assert [reason_text(r) for r in reasons] == ["Condition: Worn", "2 copies held"]


def test_rerunning_a_proposal_keeps_earlier_decisions(criteria, librarian, collection):
    actions.propose_weeding_candidates(criteria=criteria, actor=librarian, today=TODAY)
    old = criteria.candidates.get(item__barcode="OLD")
    never = criteria.candidates.get(item__barcode="NEVER")
    actions.decide_weeding_candidates(candidates=[old], decision="approved", actor=librarian)
    actions.decide_weeding_candidates(candidates=[never], decision="rejected", actor=librarian)

    result = actions.propose_weeding_candidates(criteria=criteria, actor=librarian, today=TODAY)

    assert result == {"matched": 3, "proposed": 1, "kept": 2}
    assert dict(criteria.candidates.values_list("item__barcode", "decision")) == {
        "OLD": "approved",
        "NEVER": "rejected",
        "OLD99": "proposed",
    }


def test_approved_candidates_go_on_a_weeding_pull_list_with_one_action(criteria, librarian, collection):
    actions.propose_weeding_candidates(criteria=criteria, actor=librarian, today=TODAY)
    actions.decide_weeding_candidates(candidates=list(criteria.candidates.all()), decision="approved", actor=librarian)

    pull_list = actions.pull_approved_candidates(criteria=criteria, actor=librarian)

    assert pull_list.reason == "weed"
    assert set(pull_list.entries.values_list("item__barcode", flat=True)) == {"OLD", "OLD99", "NEVER"}
    assert not criteria.candidates.filter(pull_list__isnull=True).exists()
    with pytest.raises(NothingToPull):
        actions.pull_approved_candidates(criteria=criteria, actor=librarian)


def test_technician_cannot_approve_weeding_or_define_criteria(criteria, librarian, technician, branch, collection):
    actions.propose_weeding_candidates(criteria=criteria, actor=librarian, today=TODAY)
    with pytest.raises(PermissionDenied):
        actions.decide_weeding_candidates(
            candidates=list(criteria.candidates.all()), decision="approved", actor=technician
        )
    with pytest.raises(PermissionDenied):
        actions.create_weeding_criteria(name="x", branch=branch, actor=technician, max_loan_count=1)
    with pytest.raises(PermissionDenied):
        actions.propose_weeding_candidates(criteria=criteria, actor=technician)
    assert not criteria.candidates.exclude(decision="proposed").exists()


def test_criteria_without_any_rule_are_refused(librarian, branch):
    with pytest.raises(InvalidWeedingCriteria):
        actions.create_weeding_criteria(name="Semua", branch=branch, actor=librarian)


# --- Pages ---------------------------------------------------------------------------------------


def test_librarian_weeds_through_the_pages(client, librarian, branch, collection):
    client.force_login(librarian)
    response = client.post(
        "/staff/technical/weeding/",
        {
            "name": "Sains",
            "branch": branch.pk,
            "class_from": "500",
            "class_to": "599",
            "min_years_since_publication": "20",
        },
        follow=True,
    )
    criteria = response.context["criteria"]
    response = client.post(f"/staff/technical/weeding/{criteria.pk}/propose/", follow=True)
    page = response.content.decode()
    assert "Published in 1980" in page and "OLD99" in page and "HIST" not in page

    ids = list(criteria.candidates.values_list("pk", flat=True))
    client.post(f"/staff/technical/weeding/{criteria.pk}/decide/", {"candidate": ids, "decision": "approved"})
    assert set(criteria.candidates.values_list("decision", flat=True)) == {"approved"}
    response = client.post(f"/staff/technical/weeding/{criteria.pk}/pull/", follow=True)
    assert response.context["pull_list"].entries.count() == len(ids)


def test_technician_sees_candidates_but_the_decide_page_refuses(client, technician, criteria, librarian, collection):
    actions.propose_weeding_candidates(criteria=criteria, actor=librarian, today=TODAY)
    client.force_login(technician)
    page = client.get(f"/staff/technical/weeding/{criteria.pk}/").content.decode()
    assert "Approve the ticked" not in page
    ids = list(criteria.candidates.values_list("pk", flat=True))
    response = client.post(
        f"/staff/technical/weeding/{criteria.pk}/decide/", {"candidate": ids, "decision": "approved"}, follow=True
    )
    assert "You do not have permission" in response.content.decode()
    assert not WeedingCandidate.objects.filter(decision="approved").exists()


@pytest.mark.parametrize("who", ["patron_user", "circulation"])
def test_weeding_pages_are_refused_without_the_permission(client, who, request, criteria):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/staff/technical/weeding/{criteria.pk}/").status_code == 403


def test_the_candidate_page_does_not_grow_queries_with_candidates(
    client, librarian, branch, make_item, django_assert_max_num_queries
):
    for n in range(30):
        make_item(f"W{n:02}", record=_record(f"T{n}", 1950, "500"))
    criteria = actions.create_weeding_criteria(
        name="Tua", branch=branch, actor=librarian, min_years_since_publication=10
    )
    actions.propose_weeding_candidates(criteria=criteria, actor=librarian, today=TODAY)
    client.force_login(librarian)
    with django_assert_max_num_queries(12):
        assert client.get(f"/staff/technical/weeding/{criteria.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/staff/technical/weeding/").status_code == 200

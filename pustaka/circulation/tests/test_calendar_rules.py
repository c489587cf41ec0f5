"""The calendar (open days, due dates, open days between) and the loan-rule matrix."""

import datetime

import pytest

from pustaka.circulation import calendar
from pustaka.circulation.models import ClosedDay, LoanRule
from pustaka.circulation.rules import explain_rule, find_rule

from .conftest import TZ, at

D = datetime.date


def test_weekly_hours_and_closed_days(branch, other_branch):
    assert calendar.is_open(branch, D(2026, 8, 3))  # Monday
    assert calendar.is_open(branch, D(2026, 8, 8))  # Saturday
    assert not calendar.is_open(branch, D(2026, 8, 9))  # Sunday
    ClosedDay.objects.create(branch=branch, date=D(2026, 8, 4), reason="Stocktake")
    ClosedDay.objects.create(branch=None, date=D(2026, 8, 17), reason="Hari Kemerdekaan")
    assert not calendar.is_open(branch, D(2026, 8, 4))
    assert calendar.is_open(other_branch, D(2026, 8, 4))  # closed at MAIN only
    assert not calendar.is_open(branch, D(2026, 8, 17))
    assert not calendar.is_open(other_branch, D(2026, 8, 17))  # a national holiday closes every branch


def test_branch_without_hours_is_open_every_day(db):
    from pustaka.core.models import Branch

    nowhere = Branch.objects.create(code="POP", name="Pop-up")
    assert calendar.is_open(nowhere, D(2026, 8, 9))
    due = calendar.due_at(nowhere, at(2026, 8, 3), 6)
    assert due.astimezone(TZ) == at(2026, 8, 9, 23, 59)


def test_due_date_never_on_a_closed_day(branch):
    # 14 days from Monday 3 August is Monday 17 August, Independence Day: due the next open day.
    ClosedDay.objects.create(branch=None, date=D(2026, 8, 17))
    due = calendar.due_at(branch, at(2026, 8, 3), 14)
    assert due.astimezone(TZ) == at(2026, 8, 18, 16, 0)
    # 6 days from Monday is Sunday (closed each week): due Monday at closing time.
    assert calendar.due_at(branch, at(2026, 8, 3), 6).astimezone(TZ) == at(2026, 8, 10, 16, 0)
    # Saturday closes at noon.
    assert calendar.due_at(branch, at(2026, 8, 3), 5).astimezone(TZ) == at(2026, 8, 8, 12, 0)


def test_next_open_day_skips_sundays_and_holidays(branch):
    ClosedDay.objects.create(branch=branch, date=D(2026, 8, 10))
    assert calendar.next_open_day(branch, D(2026, 8, 9)) == D(2026, 8, 11)
    assert calendar.next_open_day(branch, D(2026, 8, 11)) == D(2026, 8, 11)


def test_open_days_between_leaves_out_holidays(branch):
    ClosedDay.objects.create(branch=None, date=D(2026, 8, 17))
    # After Fri 14 Aug up to Wed 19 Aug: Sat 15, (Sun 16 closed), (Mon 17 holiday), Tue 18, Wed 19.
    assert calendar.open_days_between(branch, D(2026, 8, 14), D(2026, 8, 19)) == 3
    assert calendar.open_days_between(branch, D(2026, 8, 19), D(2026, 8, 14)) == 0
    assert calendar.open_days_between(branch, at(2026, 8, 14, 16), at(2026, 8, 14, 18)) == 0


# --- The loan-rule matrix -----------------------------------------------------------------------


@pytest.fixture
def matrix(db, branch, other_branch, item_type, patron_category):
    from pustaka.holdings.models import ItemType
    from pustaka.patrons.models import PatronCategory

    student = PatronCategory.objects.create(code="STUDENT", name="Student")
    av = ItemType.objects.create(code="AV", name="Audio-visual")
    rules = {
        "default": LoanRule.objects.create(loan_days=14),
        "student": LoanRule.objects.create(patron_category=student, loan_days=21),
        "av": LoanRule.objects.create(item_type=av, loan_days=7),
        "north": LoanRule.objects.create(branch=other_branch, loan_days=10),
        "student_av": LoanRule.objects.create(patron_category=student, item_type=av, loan_days=5),
        "student_av_north": LoanRule.objects.create(
            patron_category=student, item_type=av, branch=other_branch, loan_days=3
        ),
    }
    return {"student": student, "public": patron_category, "av": av, "book": item_type, "rules": rules}


def test_most_specific_rule_wins(matrix, branch, other_branch):
    m, r = matrix, matrix["rules"]
    assert find_rule(category=m["public"], item_type=m["book"], branch=branch) == r["default"]
    assert find_rule(category=m["student"], item_type=m["book"], branch=branch) == r["student"]
    assert find_rule(category=m["student"], item_type=m["av"], branch=branch) == r["student_av"]
    assert find_rule(category=m["student"], item_type=m["av"], branch=other_branch) == r["student_av_north"]
    # Ids work as well as objects.
    assert find_rule(category=m["student"].pk, item_type=m["av"].pk, branch=other_branch.pk) == r["student_av_north"]


def test_ties_prefer_branch_then_item_type_then_category(matrix, branch, other_branch):
    m, r = matrix, matrix["rules"]
    # Public × AV × NORTH matches "av" (item type) and "north" (branch), one field each: the branch wins.
    assert find_rule(category=m["public"], item_type=m["av"], branch=other_branch) == r["north"]
    # Student × AV at MAIN without the two-field rule: "student" vs "av" → the item type wins.
    r["student_av"].delete()
    assert find_rule(category=m["student"], item_type=m["av"], branch=branch) == r["av"]


def test_no_rule_gives_unsaved_defaults(db, branch, item_type, patron_category):
    rule = find_rule(category=patron_category, item_type=item_type, branch=branch)
    assert rule.pk is None and rule.loan_days == 14


def test_explain_rule_says_which_applies_and_why(matrix, other_branch):
    m = matrix
    candidates = explain_rule(category=m["student"], item_type=m["av"], branch=other_branch)
    assert candidates[0].chosen and candidates[0].rule == m["rules"]["student_av_north"]
    assert [c.chosen for c in candidates].count(True) == 1
    assert all(c.matches for c in candidates)  # at NORTH every rule of this matrix matches a student's DVD
    assert any("more specific" in reason for reason in candidates[1].reasons)
    public = explain_rule(category=m["public"], item_type=m["book"], branch=other_branch)
    not_matching = [c for c in public if not c.matches]
    assert {c.rule.pk for c in not_matching} == {
        m["rules"][k].pk for k in ("student", "av", "student_av", "student_av_north")
    }
    assert any("does not match" in reason for reason in not_matching[0].reasons)


def test_explain_rule_without_rules_shows_the_defaults(db, branch, item_type, patron_category):
    candidates = explain_rule(category=patron_category, item_type=item_type, branch=branch)
    assert len(candidates) == 1 and candidates[0].chosen and candidates[0].rule.pk is None

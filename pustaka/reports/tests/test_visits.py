"""Visits from the visitor book, in the visits report and the members and national figures."""

import datetime

import pytest

from pustaka.reports import queries
from pustaka.reports.periods import Period
from pustaka.reports.queries import Filters

from .conftest import at

HALF = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), "month")


@pytest.fixture
def visits(library, branch, other_branch, patron_category):
    from pustaka.patrons.models import Patron
    from pustaka.visitors.models import Visit, VisitPurpose

    reading = VisitPurpose.objects.create(code="READ", name_id="Membaca", name_en="Reading")
    lending = VisitPurpose.objects.create(code="LEND", name_id="Meminjam", name_en="Borrowing")
    p1 = Patron.objects.get(card_number="P1")
    p2 = Patron.objects.get(card_number="P2")

    def visit(when, where, purpose, **fields):
        return Visit.objects.create(visited_at=at(when), branch=where, purpose=purpose, **fields)

    visit("2026-03-02 09:15", branch, lending, patron=p1, category="member", patron_category=patron_category)
    visit("2026-03-02 10:40", branch, reading, patron=p2, category="member", patron_category=library["student"])
    visit("2026-03-02 10:05", branch, reading, name="SDN 3 Menteng", category="school_student", count=25)
    visit("2026-04-11 13:30", other_branch, reading, name="Rina", category="public")
    visit("2025-12-31 23:50", branch, reading, name="Tahun lalu", category="public")  # before the period


def test_visits_per_day_hour_branch_purpose_and_category(visits):
    def groups(by):
        table = queries.visits(Filters(HALF, by=by))
        return {r["group"]: r["people"] for r in table.rows if r["people"]}, table.totals

    days, totals = groups("day")
    assert (totals["visits"], totals["people"]) == (4, 28)  # a school group of 25 is one entry
    assert list(days.values()) == [27, 1]
    hours, _ = groups("hour")
    assert hours == {"09:00": 1, "10:00": 26, "13:00": 1}
    branches, _ = groups("branch")
    assert branches == {"Perpustakaan Pusat (MAIN)": 27, "Cabang Utara (NORTH)": 1}
    purposes, _ = groups("purpose")
    assert purposes == {"Reading": 27, "Borrowing": 1}
    categories, _ = groups("category")
    assert categories == {"School student": 25, "Member": 2, "General public": 1}


def test_member_visits_join_the_members_report_and_the_national_figures(visits):
    rows = {r["category"]: r["visits"] for r in queries.members(Filters(HALF)).rows}
    assert rows == {"Public": 1, "Pelajar": 1}
    values = {r["code"]: r["value"] for r in queries.national(Filters(HALF)).rows}
    assert (values["3.1"], values["3.2"], values["3.3"]) == (28, 2, 26)


def test_more_than_a_year_of_visits_by_day_is_shown_by_month(visits):
    two_years = Period(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31), "month")
    table = queries.visits(Filters(two_years, by="day"))
    assert len(table.rows) == 24
    rows = {r["key"]: r["people"] for r in table.rows}
    assert (rows["2025-12"], rows["2026-03"], rows["2026-04"]) == (1, 27, 1)

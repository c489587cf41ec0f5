"""Each report's figures on the known library of conftest.py (exact numbers)."""

import datetime

from django.utils import timezone

from pustaka.reports import queries
from pustaka.reports.periods import Period
from pustaka.reports.queries import Filters

HALF = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), "month")


def by_key(table, key="key"):
    return {row[key]: row for row in table.rows}


def test_circulation_counts_loans_returns_renewals_holds_and_overdue_per_month(library):
    table = queries.circulation(Filters(HALF))
    rows = by_key(table)
    assert list(rows) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert {k: (r["loans"], r["renewals"], r["returns"], r["holds"], r["overdue"]) for k, r in rows.items()} == {
        "2026-01": (0, 0, 0, 0, 0),
        "2026-02": (0, 0, 0, 0, 0),
        "2026-03": (2, 1, 1, 0, 1),  # L2, lent in March, came back late
        "2026-04": (2, 2, 2, 1, 1),  # L3 is still out past its due date
        "2026-05": (1, 0, 0, 0, 0),  # lent at 23:30 local time on 31 May: May, not June
        "2026-06": (0, 0, 1, 0, 0),
    }
    assert (table.totals["loans"], table.totals["returns"], table.totals["overdue"]) == (5, 4, 2)


def test_circulation_by_day_and_by_year_and_filtered(library, branch):
    days = queries.circulation(Filters(Period(datetime.date(2026, 5, 31), datetime.date(2026, 6, 1), "day")))
    assert [(r["key"], r["loans"], r["returns"]) for r in days.rows] == [("2026-05-31", 1, 0), ("2026-06-01", 0, 1)]
    year = queries.circulation(Filters(Period(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31), "year")))
    assert [(r["key"], r["loans"]) for r in year.rows] == [("2025", 0), ("2026", 5)]
    main = queries.circulation(Filters(HALF, branch=branch))
    assert main.totals["loans"] == 4
    students = queries.circulation(Filters(HALF, category=library["student"]))
    assert (students.totals["loans"], students.totals["holds"]) == (3, 0)
    magazines = queries.circulation(Filters(HALF, item_type=library["magazine"]))
    assert magazines.totals["loans"] == 1


def test_loans_by_branch_category_item_type_class_and_language(library):
    def groups(by):
        return {r["group"]: r["loans"] for r in queries.loans_by(Filters(HALF, by=by)).rows}

    assert groups("branch") == {"Perpustakaan Pusat (MAIN)": 4, "Cabang Utara (NORTH)": 1}
    assert groups("category") == {"Public": 2, "Pelajar": 3}
    assert groups("item_type") == {"Buku": 4, "Majalah": 1}
    assert groups("class") == {"000 Computer science, information and general works": 1, "800 Literature": 4}
    assert groups("language") == {"Indonesian (ind)": 4, "English (eng)": 1}
    branch = queries.loans_by(Filters(HALF, by="branch"))
    main = branch.rows[0]
    assert (main["borrowers"], main["titles"], main["renewals"], main["share"]) == (2, 1, 3, 80.0)


def test_most_borrowed_titles(library):
    table = queries.top_titles(Filters(HALF, limit=10))
    assert [(r["rank"], r["title"], r["loans"], r["borrowers"]) for r in table.rows] == [
        (1, "Laskar Pelangi", 4, 2),
        (2, "Python untuk Pemula", 1, 1),
    ]
    assert table.rows[0]["author"] == "Andrea Hirata"
    assert len(queries.top_titles(Filters(HALF, limit=1)).rows) == 1


def test_the_overdue_list_names_the_patron_and_how_to_reach_them(library):
    table = queries.overdue(Filters(HALF))
    assert table.total_rows == 1
    (row,) = table.rows
    assert (row["patron"], row["card"], row["phone"], row["barcode"], row["branch"]) == (
        "Budi Anggota P2", "P2", "0813-2222", "I3", "NORTH",
    )  # fmt: skip
    assert row["due"] == datetime.date(2026, 4, 19)
    assert row["days"] == (timezone.localdate() - datetime.date(2026, 4, 19)).days


def test_collection_by_class_branch_and_year_without_withdrawn_copies(library):
    def groups(by):
        table = queries.collection(Filters(HALF, by=by))
        return {r["group"]: (r["titles"], r["copies"]) for r in table.rows}, table.totals

    classes, totals = groups("class")
    assert classes == {
        "000 Computer science, information and general works": (1, 2),
        "800 Literature": (1, 2),
        "Other or unclassified": (1, 1),  # R 030: a reference prefix, not a DDC digit
    }
    assert (totals["titles"], totals["copies"]) == (3, 5)  # I4 is withdrawn
    branches, _ = groups("branch")
    assert branches == {"Perpustakaan Pusat (MAIN)": (3, 4), "Cabang Utara (NORTH)": (1, 1)}
    years, _ = groups("year")
    assert years == {"2024": (1, 1), "2025": (1, 1), "2026": (2, 3)}


def test_additions_and_withdrawals_per_month(library):
    table = queries.collection_changes(Filters(HALF))
    rows = {r["key"]: (r["added"], r["withdrawn"], r["net"]) for r in table.rows}
    assert rows["2026-01"] == (1, 0, 1)
    assert rows["2026-02"] == (1, 0, 1)
    assert rows["2026-03"] == (0, 1, -1)  # I4 withdrawn through the weeding workflow
    assert rows["2026-05"] == (1, 0, 1)
    assert (table.totals["added"], table.totals["withdrawn"]) == (3, 1)


def test_withdrawals_follow_the_branch_filter(library, other_branch):
    table = queries.collection_changes(Filters(HALF, branch=other_branch))
    assert (table.totals["added"], table.totals["withdrawn"]) == (0, 0)


def test_copies_never_borrowed_oldest_first(library):
    table = queries.never_borrowed(Filters(HALF))
    assert [r["barcode"] for r in table.rows] == ["I5", "I6"]
    assert table.total_rows == 2
    earlier = queries.never_borrowed(Filters(Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))))
    assert [r["barcode"] for r in earlier.rows] == ["I5"]  # I6 was acquired later


def test_members_per_category(library):
    table = queries.members(Filters(HALF))
    rows = {r["category"]: r for r in table.rows}
    pick = ("members", "active", "new", "expired", "borrowers")
    assert {name: tuple(r[k] for k in pick) for name, r in rows.items()} == {
        "Public": (2, 1, 0, 1, 1),
        "Pelajar": (1, 1, 1, 0, 1),  # P4 joined after the period
    }
    assert table.totals["members"] == 3


def test_the_yearly_national_figures(library):
    table = queries.national(Filters(Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))))
    values = {r["code"]: r["value"] for r in table.rows}
    assert values["1.1"] == 3 and values["1.2"] == 5  # titles and copies in the collection
    assert values["1.3"] == 3 and values["1.5"] == 1  # added and withdrawn in 2026
    assert values["2.1"] == 4 and values["2.3"] == 2  # registered members, new in 2026 (P2, P4)
    assert values["4.1"] == 5 and values["4.2"] == 3 and values["4.3"] == 4 and values["4.4"] == 1
    assert values["4.5"] == 1.0  # five loans, five copies
    assert values["5.1"] == 1  # the librarian who withdrew I4
    assert values["6.1"] == 0


def test_period_keys_fill_empty_months():
    p = Period(datetime.date(2025, 11, 20), datetime.date(2026, 2, 3), "month")
    assert p.periods() == ["2025-11", "2025-12", "2026-01", "2026-02"]

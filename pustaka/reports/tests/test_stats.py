"""The report summaries: what the actions count (desk, API and SIP2 alike) and what a rebuild counts
give exactly the figures of counting every loan and visit."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from pustaka.circulation import actions as circulation
from pustaka.circulation.models import Loan
from pustaka.circulation.tests.test_every_path import BLANK, DESK, NOW, Paths, _staff_at
from pustaka.core.errors import PermissionDenied, PustakaError
from pustaka.core.models import AuditEvent
from pustaka.reports import specs, stats
from pustaka.reports.actions import rebuild_report_stats
from pustaka.reports.models import DailyLoanStat, DailyVisitStat
from pustaka.reports.periods import Period
from pustaka.reports.queries import Filters

from .conftest import at

pytestmark = pytest.mark.library_language("en")


@pytest.fixture
def rule(db):
    from pustaka.circulation.models import LoanRule

    return LoanRule.objects.create(loan_days=14, renewals=5, max_items=5, fine_per_day=1000, hold_shelf_days=5)


@pytest.fixture
def reader(make_patron):
    """MAIN member R0001 (PIN 1234)."""
    patron = make_patron("R0001", first_name="Rina", last_name="Wati", language="en")
    patron.set_pin("1234")
    patron.save(update_fields=["pin"])
    return patron


@pytest.fixture
def main(make_staff, branch, client, librarian, rule):
    """A MAIN librarian at the desk, on the API and behind a SIP2 machine."""
    return Paths(_staff_at(make_staff, branch, "librarian", "main-librarian"), branch, client, librarian)


def _raw(monkeypatch, function, filters):
    with monkeypatch.context() as m:
        m.setattr(stats, "loans_counted", lambda: False)
        m.setattr(stats, "visits_counted", lambda: False)
        return function(filters)


def assert_same_as_raw(monkeypatch, filters_list, slugs=None):
    """Every report (or those in ``slugs``), for each filter, equals the count of the raw tables."""
    for spec in specs.REPORTS:
        if slugs and spec.slug not in slugs:
            continue
        for filters in filters_list:
            for by in [key for key, _label in spec.dimensions] or [""]:
                f = Filters(**{**filters.__dict__, "by": by})
                summary, raw = spec.function(f), _raw(monkeypatch, spec.function, f)
                assert summary.rows == raw.rows, (spec.slug, by, f)
                assert summary.totals == raw.totals, (spec.slug, by, f)


def _periods(today=None):
    today = today or timezone.localdate()
    return [
        Period(today - datetime.timedelta(days=40), today, "day"),
        Period(today - datetime.timedelta(days=400), today, "month"),
        Period(today.replace(day=1), today, "year"),
    ]


@pytest.fixture
def visits(library, branch, other_branch, patron_category):
    from pustaka.patrons.models import Patron
    from pustaka.visitors.models import Visit, VisitPurpose

    reading = VisitPurpose.objects.create(code="READ", name_id="Membaca", name_en="Reading")
    lending = VisitPurpose.objects.create(code="LEND", name_id="Meminjam", name_en="Borrowing")
    p1 = Patron.objects.get(card_number="P1")
    Visit.objects.create(visited_at=at("2026-03-02 09:15"), branch=branch, purpose=reading, patron=p1,
                         category="member", patron_category=patron_category)  # fmt: skip
    Visit.objects.create(visited_at=at("2026-03-02 23:40"), branch=other_branch, purpose=lending, count=12,
                         category="school_student", name="SMP 3")  # fmt: skip
    Visit.objects.create(visited_at=at("2026-04-30 13:05"), branch=branch, purpose=reading, name="Tamu")


def test_after_a_rebuild_every_report_reads_the_summaries_with_the_same_figures(
    library, visits, monkeypatch, branch, other_branch
):
    assert not stats.loans_counted()  # the loans were written directly: the reports count the raw tables
    assert not stats.visits_counted()

    counts = rebuild_report_stats(actor=None)

    assert stats.loans_counted() and stats.visits_counted()
    assert counts["loan_rows"] == DailyLoanStat.objects.count() > 0
    march = DailyLoanStat.objects.filter(span="month", dimension="", day=datetime.date(2026, 3, 1))
    assert sum(r.loans for r in march) == 2 and sum(r.renewals for r in march) == 1
    assert sum(r.returns for r in march) == 1  # L1 back on 10 March; L2 came back in April, late
    april = DailyLoanStat.objects.filter(span="month", dimension="", day=datetime.date(2026, 4, 1))
    assert sum(r.returns for r in april) == 2 and sum(r.late for r in march) == 1
    # L5 was lent at 23:30 on 31 May, local time: a May loan, a June return
    may = DailyLoanStat.objects.get(span="day", dimension="", day=datetime.date(2026, 5, 31))
    assert (may.loans, may.returns) == (1, 0)
    hours = DailyVisitStat.objects.filter(dimension="hour", day=datetime.date(2026, 3, 2))
    assert sorted((v.group_key, v.people) for v in hours) == [("09", 1), ("23", 12)]

    periods = [Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "month"),
               Period(datetime.date(2026, 3, 10), datetime.date(2026, 6, 1), "day"),
               Period(datetime.date(2025, 12, 20), datetime.date(2026, 4, 15), "month"),
               Period(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31), "year")]  # fmt: skip
    filters = [Filters(p) for p in periods]
    filters += [Filters(periods[0], branch=branch), Filters(periods[2], branch=other_branch),
                Filters(periods[0], category=library["student"]),
                Filters(periods[0], item_type=library["magazine"])]  # fmt: skip
    assert_same_as_raw(monkeypatch, filters)


def test_loans_returns_and_renewals_on_the_desk_the_api_and_sip2_are_counted_alike(
    main, reader, make_item, monkeypatch
):
    for n in (1, 2, 3):
        make_item(f"B00000{n}")
    main.client.post(DESK + "patron/", {"card": "R0001"})
    main.client.post(DESK + "checkout/", {"barcode": "B000001"})
    assert main.api.post("/circulation/checkout", {"barcode": "B000002", "card_number": "R0001"}).status_code == 201
    sip = main.sip(f"11NN{NOW}{BLANK}AO{main.institution}|AAR0001|ABB000003|AC|AD1234|")
    assert sip.startswith("121"), sip
    assert Loan.objects.filter(returned_at__isnull=True).count() == 3
    assert stats.loans_counted()
    today = DailyLoanStat.objects.get(span="day", dimension="", day=timezone.localdate())
    assert (today.loans, today.renewals, today.returns) == (3, 0, 0)
    assert_same_as_raw(monkeypatch, [Filters(p) for p in _periods()], slugs={"circulation", "national", "loans-by"})

    desk_loan = Loan.objects.get(item__barcode="B000001")
    api_loan = Loan.objects.get(item__barcode="B000002")
    main.client.post(DESK + "renew/", {"loan": desk_loan.pk})
    assert main.api.post(f"/loans/{api_loan.pk}/renew", {}).status_code == 200
    assert main.sip(f"29NN{NOW}{BLANK}AO{main.institution}|AAR0001|AD1234|ABB000003|").startswith("301")
    assert sum(Loan.objects.values_list("renewals", flat=True)) == 3
    today.refresh_from_db()
    assert today.renewals == 3

    main.client.post("/staff/circulation/checkin/", {"barcode": "B000001"})
    assert main.api.post("/circulation/checkin", {"barcode": "B000002"}).status_code == 200
    assert main.sip(f"09N{NOW}{NOW}AP{main.institution}|AO{main.institution}|ABB000003|").startswith("10")
    assert not Loan.objects.filter(returned_at__isnull=True).exists()
    today.refresh_from_db()
    assert (today.loans, today.renewals, today.returns, today.late) == (3, 3, 3, 0)
    assert stats.loans_counted()
    assert_same_as_raw(monkeypatch, [Filters(p) for p in _periods()], slugs={"circulation", "national", "loans-by"})


def test_late_returns_and_loans_still_out_past_due_are_overdue_in_both_counts(
    reader, make_item, librarian, branch, rule, monkeypatch
):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    late = circulation.checkout(item=make_item("B000001"), patron=reader, branch=branch, actor=librarian, now=long_ago)
    circulation.checkout(item=make_item("B000002"), patron=reader, branch=branch, actor=librarian, now=long_ago)
    circulation.checkin(item=late.item, branch=branch, actor=librarian)

    lent_day = DailyLoanStat.objects.get(span="day", dimension="", day=timezone.localtime(long_ago).date())
    assert (lent_day.loans, lent_day.late) == (2, 1)  # the second is still out: counted live
    table = specs.BY_SLUG["circulation"].function(Filters(_periods()[1]))
    assert table.totals["overdue"] == 2 and table.totals["returns"] == 1
    assert_same_as_raw(monkeypatch, [Filters(p) for p in _periods()], slugs={"circulation"})


def test_a_refused_checkout_counts_nothing(reader, make_item, librarian, branch, rule):
    item = make_item("B000001", status="in_repair")
    with pytest.raises(PustakaError):
        circulation.checkout(item=item, patron=reader, branch=branch, actor=librarian)
    assert not DailyLoanStat.objects.exists()


def test_visits_from_the_api_and_a_batch_are_counted_alike(make_staff, reader, branch, other_branch, monkeypatch):
    from pustaka.core.tests.api_client import ApiClient
    from pustaka.visitors import actions as visitors
    from pustaka.visitors.models import VisitPurpose

    VisitPurpose.objects.create(code="read", name_id="Membaca", name_en="Reading")
    staff = make_staff("circulation")
    api = ApiClient.as_user(staff)
    answer = api.post("/visits", {"branch": "MAIN", "purpose": "read", "name": "Tamu", "count": 3})
    assert answer.status_code == 201, answer.content
    yesterday = timezone.now() - datetime.timedelta(days=1)
    visitors.record_visits(actor=staff, rows=[
        {"branch": "NORTH", "purpose": "read", "name": "Rombongan", "count": 20, "category": "school_student",
         "at": yesterday},
        {"branch": "MAIN", "purpose": "read", "name": "Tamu", "at": yesterday},
        {"branch": "MAIN", "purpose": "read", "card": "R0001", "at": yesterday},
    ])  # fmt: skip

    assert stats.visits_counted()
    people = DailyVisitStat.objects.filter(dimension="category")
    assert sum(v.people for v in people) == 25 and sum(v.entries for v in people) == 4
    member = DailyVisitStat.objects.get(dimension="member_category")
    assert (member.group_key, member.people) == (str(reader.category_id), 1)
    assert_same_as_raw(monkeypatch, [Filters(p) for p in _periods()], slugs={"visits", "members", "national"})
    assert_same_as_raw(monkeypatch, [Filters(_periods()[0], branch=other_branch)], slugs={"visits"})


def test_only_administrators_rebuild_the_summaries_and_the_rebuild_is_audited(library, librarian, make_staff):
    with pytest.raises(PermissionDenied):
        rebuild_report_stats(actor=librarian)
    assert not DailyLoanStat.objects.exists()
    assert not AuditEvent.objects.filter(verb="reports.stats.rebuild").exists()

    out = StringIO()
    call_command("rebuild_report_stats", stdout=out)
    assert "loan summary rows" in out.getvalue()
    assert stats.loans_counted()
    rebuild_report_stats(actor=make_staff("administrator"))
    assert AuditEvent.objects.filter(verb="reports.stats.rebuild").count() == 2

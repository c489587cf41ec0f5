"""The demo library's visitor book and clearance letters: a year of visits at both branches, with the
purposes, members and school groups every visitor report shows; graduates' numbered letters."""

import datetime

import pytest
from django.utils import timezone

from pustaka.clearance.models import ClearanceLetter
from pustaka.core.models import AuditEvent
from pustaka.visitors import queries
from pustaka.visitors.models import Visit, VisitPurpose

from .test_demo import demo_output  # noqa: F401  (the demo, loaded once for this module)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_output, db):  # noqa: F811
    return demo_output


def test_the_demo_has_the_indonesian_purposes_of_visits(demo):
    names = list(VisitPurpose.objects.values_list("name_id", flat=True))
    assert names[:5] == [
        "Membaca",
        "Meminjam/mengembalikan",
        "Mengerjakan tugas",
        "Internet",
        "Kunjungan rombongan sekolah",
    ]
    assert VisitPurpose.objects.get(code="membaca").name_en == "Reading"


def test_the_demo_has_a_year_of_visits_at_both_branches(demo):
    today = timezone.localdate()
    year = queries.visits(today - datetime.timedelta(days=366), today)
    totals = queries.totals(year)
    assert totals["visits"] > 8000 and totals["people"] > totals["visits"]  # school groups count many
    assert {row["branch__code"] for row in queries.by_branch(year)} == {"MAIN", "NORTH"}
    months = queries.by_month(year)
    assert len(months) >= 12
    hours = {row["hour"] for row in queries.by_hour(year)}
    assert hours <= set(range(8, 16))  # within the opening hours
    assert not Visit.objects.filter(visited_at__week_day=1).exists()  # closed on Sunday
    categories = {row["category"] for row in queries.by_category(year)}
    assert {"member", "school_student", "university_student", "public"} <= categories
    groups = Visit.objects.filter(purpose__code="rombongan")
    assert groups.exists() and all(20 <= n <= 40 for n in groups.values_list("count", flat=True))


def test_the_visits_were_recorded_through_the_batch_action(demo):
    event = AuditEvent.objects.get(verb="visitors.visit.record_batch")
    assert event.after["visits"] == Visit.objects.count()
    assert not Visit.objects.filter(patron__card_number="D0001", visited_at__gte=timezone.now()).exists()


def test_the_demo_has_numbered_clearance_letters_of_graduates(demo):
    letters = list(ClearanceLetter.objects.order_by("year", "sequence"))
    assert len(letters) == 5
    by_year = {}
    for letter in letters:
        by_year.setdefault(letter.year, []).append(letter.sequence)
        assert letter.number == f"{letter.sequence:03d}/BP/{letter.year}"
    assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in by_year.values())
    assert sum(1 for letter in letters if letter.status == "revoked") == 1
    graduate = next(letter for letter in letters if letter.patron.card_number == "D0031")
    assert graduate.blocks_loans and graduate.block is not None and graduate.block.lifted_at is None
    assert not ClearanceLetter.objects.filter(patron__card_number="D0001").exists()

"""Recording visits through the actions and counting them: per day, hour, branch, purpose, category."""

import datetime

import pytest
from django.utils import timezone

from pustaka.core.errors import PermissionDenied, PustakaError
from pustaka.core.models import AuditEvent
from pustaka.visitors import actions, errors, queries
from pustaka.visitors.models import Visit


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_a_member_scanning_their_card_is_counted_with_their_category(circulation, branch, reading, patron):
    visit = actions.record_visit(actor=circulation, branch=branch, purpose=reading, card=" p0001 ")
    assert visit.patron == patron
    assert visit.category == "member"
    assert visit.patron_category_id == patron.category_id
    assert visit.count == 1 and visit.recorded_by == circulation


def test_a_visit_writes_no_audit_event_but_says_who_recorded_it(circulation, branch, reading):
    before = AuditEvent.objects.count()
    visit = actions.record_visit(actor=circulation, branch=branch, purpose=reading, name="Ayu Lestari")
    assert AuditEvent.objects.count() == before
    assert visit.recorded_by == circulation and visit.source == "desk"


def test_a_school_group_is_one_visit_of_many_people(circulation, branch, reading):
    visit = actions.record_visit(
        actor=circulation,
        branch=branch,
        purpose=reading,
        name="Rombongan SD Negeri 3",
        institution="SD Negeri 3",
        category="school_student",
        count="1.000",
    )
    assert visit.count == 1000
    assert queries.totals(queries.visits()) == {"people": 1000, "visits": 1}


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"card": "NOPE"}, "card", "No member has the card “NOPE”"),
        ({"name": ""}, "name", "please write your name"),
        ({"name": "Ayu", "count": 0}, "count", "from 1 to 10,000"),
        ({"name": "Ayu", "count": "dua"}, "count", "not a whole number"),
        ({"name": "Ayu", "category": "member"}, "category", "not one of the choices"),
        ({"name": "Ayu", "purpose": "lama"}, "purpose", "no longer offered"),
        ({"name": "Ayu", "purpose": "sightseeing"}, "purpose", "no visit purpose “sightseeing”"),
        ({"name": "x" * 151}, "name", "at most 150 characters"),
    ],
)
def test_a_bad_visit_is_refused_naming_the_field_and_nothing_is_written(
    circulation, branch, purposes, fields, field, words
):
    fields = {"purpose": purposes["reading"], **fields}
    with pytest.raises(PustakaError) as caught:
        actions.record_visit(actor=circulation, branch=branch, **fields)
    assert caught.value.field == field
    assert words in str(caught.value)
    assert not Visit.objects.exists()


def test_someone_without_the_permission_records_nothing(it_manager, branch, reading):
    with pytest.raises(PermissionDenied):
        actions.record_visit(actor=it_manager, branch=branch, purpose=reading, name="Ayu")
    assert not Visit.objects.exists()


def test_the_counts_per_day_hour_branch_purpose_and_category(
    circulation, branch, other_branch, purposes, patron, make_patron
):
    reading, internet = purposes["reading"], purposes["internet"]
    day = datetime.date(2026, 3, 2)  # a Monday
    next_day = day + datetime.timedelta(days=1)
    rows = [
        {"branch": branch, "purpose": reading, "patron": patron, "at": at(day, 9, 5)},
        {"branch": branch, "purpose": reading, "name": "Ayu", "category": "public", "at": at(day, 9, 40)},
        {"branch": branch, "purpose": internet, "name": "Budi", "category": "researcher", "at": at(day, 13)},
        {
            "branch": other_branch,
            "purpose": reading,
            "name": "Rombongan TK Pertiwi",
            "category": "school_student",
            "count": 25,
            "at": at(next_day, 10),
        },
        # outside the period: the day before and the day after
        {"branch": branch, "purpose": reading, "name": "Awal", "at": at(day - datetime.timedelta(days=1), 23, 59)},
        {"branch": branch, "purpose": reading, "name": "Akhir", "at": at(next_day + datetime.timedelta(days=1), 0)},
    ]
    assert actions.record_visits(actor=circulation, rows=rows) == 6
    period = queries.visits(day, next_day)

    assert queries.totals(period) == {"people": 28, "visits": 4}
    assert [(r["day"], r["people"], r["visits"]) for r in queries.by_day(period)] == [(day, 3, 3), (next_day, 25, 1)]
    assert [(r["hour"], r["people"]) for r in queries.by_hour(period)] == [(9, 2), (10, 25), (13, 1)]
    assert [(r["weekday"], r["people"]) for r in queries.by_weekday(period)] == [(1, 3), (2, 25)]
    assert [(r["branch__code"], r["people"], r["visits"]) for r in queries.by_branch(period)] == [
        ("MAIN", 3, 3),
        ("NORTH", 25, 1),
    ]
    assert [(r["purpose"].code, r["people"]) for r in queries.by_purpose(period)] == [("membaca", 27), ("internet", 1)]
    categories = {(r["category"], r["patron_category__code"]): r["people"] for r in queries.by_category(period)}
    assert categories == {
        ("member", "PUBLIC"): 1,
        ("public", None): 1,
        ("researcher", None): 1,
        ("school_student", None): 25,
    }
    assert queries.totals(queries.visits(day, next_day, branch=other_branch)) == {"people": 25, "visits": 1}
    assert queries.totals(queries.visits(day, day, purpose=internet)) == {"people": 1, "visits": 1}


def test_each_count_is_one_query(circulation, branch, reading, django_assert_num_queries):
    actions.record_visits(
        actor=circulation,
        rows=[{"branch": branch, "purpose": reading, "name": f"Tamu {n}", "at": timezone.now()} for n in range(30)],
    )
    rows = queries.visits(timezone.localdate(), timezone.localdate())
    for count in (queries.by_day, queries.by_hour, queries.by_branch, queries.by_category, queries.totals):
        with django_assert_num_queries(1):
            count(rows)
    with django_assert_num_queries(2):
        assert queries.by_purpose(rows)[0]["people"] == 30


def test_a_batch_is_one_audit_event_and_a_bad_row_refuses_the_whole_batch(circulation, branch, reading):
    good = {"branch": branch, "purpose": reading, "name": "Ayu"}
    with pytest.raises(errors.InvalidVisit) as caught:
        actions.record_visits(actor=circulation, rows=[good, {**good, "count": -3}])
    assert "Row 2" in str(caught.value)
    assert not Visit.objects.exists()
    before = AuditEvent.objects.count()
    assert actions.record_visits(actor=circulation, rows=[good, {**good, "branch": "main", "purpose": "membaca"}]) == 2
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert event.verb == "visitors.visit.record_batch" and event.after["visits"] == 2


def test_librarians_keep_the_purposes_and_a_duplicate_code_is_refused(librarian, circulation, purposes):
    purpose = actions.create_purpose(actor=librarian, code="diskusi", name_id="Diskusi", name_en="Discussion")
    assert AuditEvent.objects.filter(verb="visitors.purpose.create", object_id=str(purpose.pk)).exists()
    with pytest.raises(errors.DuplicatePurpose):
        actions.create_purpose(actor=librarian, code="diskusi", name_id="Diskusi lagi")
    with pytest.raises(errors.InvalidPurpose) as caught:
        actions.create_purpose(actor=librarian, code="Bad Code!", name_id="X")
    assert caught.value.field == "code"
    with pytest.raises(PermissionDenied):
        actions.create_purpose(actor=circulation, code="lain", name_id="Lain")
    actions.update_purpose(actor=librarian, purpose=purpose, is_active=False)
    assert list(queries.active_purposes().values_list("code", flat=True)) == ["membaca", "internet"]


def test_a_purpose_is_named_in_the_readers_language(reading):
    from django.utils import translation

    with translation.override("id"):
        assert reading.name == "Membaca"
    with translation.override("en"):
        assert reading.name == "Reading"


def test_a_closed_kiosk_records_nothing(circulation, branch, reading):
    kiosk, _token = actions.open_kiosk(actor=circulation, branch=branch)
    actions.close_kiosk(actor=circulation, kiosk=kiosk)
    with pytest.raises(errors.KioskClosed):
        actions.record_visit(actor=circulation, kiosk=kiosk, branch=branch, purpose=reading, name="Ayu")
    assert not Visit.objects.exists()
    events = AuditEvent.objects.filter(verb__startswith="visitors.kiosk.", object_id=str(kiosk.pk)).order_by("id")
    verbs = list(events.values_list("verb", flat=True))
    assert verbs == ["visitors.kiosk.open", "visitors.kiosk.close"]

"""Accession numbers: the pattern, a sequence per year, never a number twice (even after a deletion,
a pattern change, or several desks at once), and what a new copy says about its acquisition."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from pustaka.accessions import actions, pattern
from pustaka.accessions.errors import PatternNotValid, UnknownSource
from pustaka.accessions.models import Accession, AccessionCounter, RegisterSettings
from pustaka.core.errors import PermissionDenied, PustakaError
from pustaka.core.models import AuditEvent
from pustaka.holdings import actions as holdings
from pustaka.holdings.models import Item


def _copy(record, branch, item_type, barcode, actor=None, **fields):
    return holdings.create_item(
        record=record, barcode=barcode, branch=branch, item_type=item_type, actor=actor, **fields
    )


def test_a_new_copy_gets_the_next_number_of_its_year_with_its_source(record, branch, item_type, librarian):
    first = _copy(record, branch, item_type, "A1", librarian, acquired_on=datetime.date(2025, 3, 1))
    gift = _copy(
        record,
        branch,
        item_type,
        "A2",
        librarian,
        acquired_on=datetime.date(2025, 7, 9),
        acquisition_source="gift",
        supplier="Ibu Sri Wahyuni",
        price=Decimal("0"),
    )
    next_year = _copy(record, branch, item_type, "A3", librarian, acquired_on=datetime.date(2026, 1, 2))

    assert first.accession.number == "00001/B/2025"
    assert gift.accession.number == "00002/H/2025"
    assert gift.accession.supplier == "Ibu Sri Wahyuni"
    assert next_year.accession.number == "00001/B/2026"  # the sequence starts again each year
    event = AuditEvent.objects.get(verb="holdings.item.create", object_id=str(gift.pk))
    assert event.after["accession"] == "00002/H/2025"
    assert event.after["acquisition_source"] == "gift"


def test_a_copy_without_a_date_is_numbered_in_this_year(record, branch, item_type):
    copy = _copy(record, branch, item_type, "A1")
    year = datetime.date.today().year
    assert copy.accession.number == f"00001/B/{year}"
    assert copy.accession.acquired_on == datetime.date.today()


def test_a_deleted_copy_keeps_its_line_and_its_number_is_never_given_again(record, branch, item_type, librarian):
    when = datetime.date(2025, 5, 5)
    doomed = _copy(record, branch, item_type, "A1", librarian, acquired_on=when, status="received")
    holdings.delete_item(item=doomed, actor=librarian)
    after = _copy(record, branch, item_type, "A2", librarian, acquired_on=when)

    assert after.accession.number == "00002/B/2025"
    line = Accession.objects.get(number="00001/B/2025")
    assert line.item_id is None and line.barcode == "A1" and line.title == record.title


def test_a_changed_pattern_passes_over_numbers_already_given(record, branch, item_type, librarian):
    when = datetime.date(2025, 5, 5)
    _copy(record, branch, item_type, "A1", librarian, acquired_on=when)
    actions.set_pattern(actor=librarian, pattern="{branch}-{seq}")  # runs on over the years
    Accession.objects.create(
        number="MAIN-1", counter_year=1, sequence=999, year=2020, barcode="OLD", title="x", acquired_on=when
    )  # typed in by hand long ago
    copy = _copy(record, branch, item_type, "A2", librarian, acquired_on=when)
    other_year = _copy(record, branch, item_type, "A3", librarian, acquired_on=datetime.date(2026, 1, 1))

    assert copy.accession.number == "MAIN-2"
    assert other_year.accession.number == "MAIN-3"
    assert AccessionCounter.objects.get(year=0).last == 3


def test_a_refused_copy_takes_no_number(record, branch, item_type, librarian, make_item):
    make_item("A1")
    with pytest.raises(PustakaError):
        _copy(record, branch, item_type, "A1", librarian)
    with pytest.raises(UnknownSource):
        _copy(record, branch, item_type, "A2", librarian, acquisition_source="stolen")
    assert not Accession.objects.exists()
    assert not Item.objects.filter(barcode="A2").exists()
    assert not AccessionCounter.objects.filter(last__gt=0).exists()


@pytest.mark.parametrize(
    "text, number",
    [
        ("{seq:05}/{source}/{year}", "00042/H/2026"),
        ("{seq}", "42"),
        ("INV-{yy}-{seq:03}", "INV-26-042"),
        ("{branch}.{type}.{seq:06}", "NORTH.MAG.000042"),
    ],
)
def test_a_pattern_writes_each_placeholder(text, number):
    assert pattern.parse(text).render(seq=42, year=2026, source="H", branch="NORTH", item_type="MAG") == number


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "it is empty."),
        ("{year}/{source}", "it needs {seq} exactly once."),
        ("{seq}/{seq}", "it needs {seq} exactly once."),
        ("{seq}/{isbn}", "{isbn} is not a placeholder."),
        ("{seq}/{year:04}", "only {seq} takes a width, from {seq:01} to {seq:09}."),
        ("{seq}/{year", "a brace does not belong to a placeholder."),
        ("{seq} B", "an accession number has no spaces."),
        ("{seq}" + "x" * 60, "it is longer than 60 characters."),
    ],
)
def test_a_pattern_that_cannot_number_is_refused_saying_why(text, reason, librarian):
    with pytest.raises(PatternNotValid) as refused:
        actions.set_pattern(actor=librarian, pattern=text)
    assert str(refused.value) == f"The accession number pattern is not valid: {reason}"
    assert refused.value.field == "pattern"
    assert RegisterSettings.current().pattern == pattern.DEFAULT_PATTERN


def test_only_who_may_set_the_pattern_sets_it(technician, senior_technician, librarian):
    for actor in (technician, senior_technician):
        with pytest.raises(PermissionDenied):
            actions.set_pattern(actor=actor, pattern="{seq}")
    actions.set_pattern(actor=librarian, pattern="{seq:04}/{year}")
    assert RegisterSettings.current().pattern == "{seq:04}/{year}"
    assert AuditEvent.objects.filter(verb="accessions.pattern.set").count() == 1


def test_a_copy_made_on_the_librarys_behalf_is_numbered_too(record, branch, item_type):
    """Serial check-in creates the copy on the library's behalf: it is numbered all the same."""
    copy = _copy(record, branch, item_type, "S1", None)
    assert copy.accession.number.startswith("00001/B/")
    assert copy.accession.created_by is None


def test_correcting_the_acquisition_keeps_the_number(record, branch, item_type, librarian, technician):
    copy = _copy(record, branch, item_type, "A1", librarian, acquired_on=datetime.date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        actions.update_acquisition(accession=copy.accession, actor=technician, source="gift")
    actions.update_acquisition(
        accession=copy.accession, actor=librarian, source="gift", supplier="Yayasan Buku", price=Decimal("50000")
    )
    line = Accession.objects.get(item=copy)
    assert (line.number, line.source, line.supplier, line.price) == ("00001/B/2025", "gift", "Yayasan Buku", 50000)
    event = AuditEvent.objects.get(verb="accessions.acquisition.update")
    assert event.before == {"source": "purchase", "supplier": "", "price": None}


@pytest.mark.django_db(transaction=True)
def test_several_desks_adding_copies_at_once_get_different_numbers(record, branch, item_type, librarian):
    desks = 6
    barrier = threading.Barrier(desks)
    numbers: list[str] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def desk(n):
        try:
            barrier.wait()
            copy = _copy(record, branch, item_type, f"C{n}", librarian, acquired_on=datetime.date(2025, 2, 2))
            with lock:
                numbers.append(copy.accession.number)
        except Exception as error:  # noqa: BLE001 - the assertion below shows it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(numbers) == [f"{n:05d}/B/2025" for n in range(1, desks + 1)]
    assert AccessionCounter.objects.get(year=2025).last == desks

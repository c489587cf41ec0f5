"""Licence and software-seat actions: validation, permissions, audit, seats lent and returned like items."""

import datetime

import pytest
from django.utils import timezone

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.digital.actions.licences import assign_licence, create_licence, update_licence
from pustaka.digital.actions.resources import add_seats
from pustaka.digital.actions.seats import lend_seat, return_seat
from pustaka.digital.errors_access import (
    InvalidIpRange,
    InvalidLicence,
    LicenceDatesReversed,
    NoSeatFree,
    NotSoftware,
    SeatAlreadyHeld,
    SeatNotLent,
    SeatRefused,
    UnknownPatronCategory,
)
from pustaka.digital.models import Licence, SoftwareSeat

from .fixtures_access import *  # noqa: F403


def test_it_manager_creates_a_licence_with_categories_and_ranges(it_manager, student_category):
    licence = create_licence(
        actor=it_manager,
        name=" Lisensi Mahasiswa ",
        vendor="ProQuest",
        patron_categories=["STUDENT"],
        ip_ranges="10.0.0.0/8, 192.168.1.7/16",
        concurrent_users=3,
        download_allowed=False,
    )
    assert licence.name == "Lisensi Mahasiswa"
    assert licence.ip_ranges == "10.0.0.0/8\n192.168.0.0/16"
    assert list(licence.patron_categories.all()) == [student_category]
    event = AuditEvent.objects.get(verb="digital.licence.create")
    assert event.after["patron_categories"] == ["STUDENT"]


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"name": ""}, InvalidLicence, "name"),
        ({"ip_ranges": "10.0.0.0/8\nkantor"}, InvalidIpRange, "ip_ranges"),
        ({"ip_ranges": "10.0.0.0/33"}, InvalidIpRange, "ip_ranges"),
        (
            {"starts_on": datetime.date(2026, 5, 1), "ends_on": datetime.date(2026, 4, 1)},
            LicenceDatesReversed,
            "ends_on",
        ),
        ({"concurrent_users": 0}, InvalidLicence, "concurrent_users"),
        ({"embargo_months": 5000}, InvalidLicence, "embargo_months"),
        ({"patron_categories": ["NOPE"]}, UnknownPatronCategory, "patron_categories"),
    ],
)
def test_bad_licences_are_refused_and_nothing_is_saved(it_manager, fields, error, field):
    fields = {"name": "Lisensi", **fields}
    with pytest.raises(error) as caught:
        create_licence(actor=it_manager, **fields)
    assert caught.value.field == field
    assert str(caught.value)
    assert not Licence.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="digital.licence").exists()


@pytest.mark.parametrize("role", ["librarian", "circulation", "technician", "senior_technician"])
def test_only_it_managers_and_administrators_write_licences(make_staff, role, licence):
    actor = make_staff(role)
    with pytest.raises(PermissionDenied):
        create_licence(actor=actor, name="X")
    with pytest.raises(PermissionDenied):
        update_licence(licence=licence, actor=actor, name="Y")


def test_a_patron_login_cannot_write_licences(patron_user, licence):
    with pytest.raises(PermissionDenied):
        update_licence(licence=licence, actor=patron_user, concurrent_users=1)


def test_update_audits_only_what_changed(it_manager, licence, student_category):
    update_licence(licence=licence, actor=it_manager, concurrent_users=5, patron_categories=[student_category.pk])
    licence.refresh_from_db()
    assert licence.concurrent_users == 5 and list(licence.patron_categories.all()) == [student_category]
    event = AuditEvent.objects.get(verb="digital.licence.update")
    assert event.before == {"concurrent_users": None, "patron_categories": []}
    assert event.after == {"concurrent_users": 5, "patron_categories": ["STUDENT"]}


def test_assign_licence(it_manager, make_resource, licence, technician):
    resource = make_resource(None)
    with pytest.raises(PermissionDenied):
        assign_licence(resource=resource, licence=licence, actor=technician)
    assign_licence(resource=resource, licence=licence, actor=it_manager)
    resource.refresh_from_db()
    assert resource.licence == licence


# Software seats ---------------------------------------------------------------------------------


@pytest.fixture
def software(make_resource, make_licence):
    return make_resource(make_licence("SPSS kampus", seats=2), kind="software", version="29", platform="Windows")


def test_seats_are_lent_and_returned_like_items(software, it_manager, circulation, reader):
    add_seats(resource=software, keys=["AAAA-1111", "BBBB-2222"], actor=it_manager)
    first, second, third = (reader(c).patron for c in ("S1", "S2", "S3"))
    now = timezone.now()
    seat = lend_seat(resource=software, patron=first, actor=circulation, days=7, now=now)
    assert seat.licence_key == "AAAA-1111" and seat.patron == first and seat.due_at == now + datetime.timedelta(days=7)
    with pytest.raises(SeatAlreadyHeld):
        lend_seat(resource=software, patron=first, actor=circulation)
    lend_seat(resource=software, patron=second, actor=circulation)
    with pytest.raises(NoSeatFree) as caught:
        lend_seat(resource=software, patron=third, actor=circulation)
    assert "2 in all" in str(caught.value)
    return_seat(seat=seat, actor=circulation)
    with pytest.raises(SeatNotLent):
        return_seat(seat=seat, actor=circulation)
    assert lend_seat(resource=software, patron=third, actor=circulation).pk == seat.pk
    verbs = list(
        AuditEvent.objects.filter(verb__in=["digital.seat.lend", "digital.seat.return"]).values_list("verb", flat=True)
    )
    assert sorted(verbs) == sorted([*["digital.seat.lend"] * 3, "digital.seat.return"])


def test_the_licence_decides_who_may_have_a_seat(software, it_manager, circulation, reader, student_category):
    add_seats(resource=software, keys=["A"], actor=it_manager)
    software.licence.patron_categories.set([student_category])
    with pytest.raises(SeatRefused) as caught:
        lend_seat(resource=software, patron=reader("P9").patron, actor=circulation)
    assert "patron category" in str(caught.value)
    expired = reader("P8", category=student_category, expires_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(SeatRefused):
        lend_seat(resource=software, patron=expired.patron, actor=circulation)
    assert not SoftwareSeat.objects.filter(patron__isnull=False).exists()


def test_patrons_cannot_lend_themselves_seats(software, it_manager, reader):
    add_seats(resource=software, keys=["A"], actor=it_manager)
    user = reader("P1")
    with pytest.raises(PermissionDenied):
        lend_seat(resource=software, patron=user.patron, actor=user)


def test_only_software_has_seats_to_lend(resource, circulation, reader):
    with pytest.raises(NotSoftware):
        lend_seat(resource=resource, patron=reader("P1").patron, actor=circulation)

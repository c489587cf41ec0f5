"""Programs: creating programs and sessions, registering (with every refusal), the waiting list,
cancelling, attendance and reminders."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from pustaka.circulation.errors import NotYourAccount, PatronNotFound
from pustaka.circulation.models import Notice
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.programs import actions
from pustaka.programs.choices import RegistrationMode, RegistrationStatus
from pustaka.programs.errors import (
    AgeOutOfRange,
    AgeUnknown,
    AlreadyRegistered,
    AlreadyWaiting,
    InvalidProgram,
    NotRegisteredForProgram,
    PatronInactive,
    RegistrationClosed,
    RegistrationNotActive,
    StaffOnlyRegistration,
    WaitingNotRegistered,
)
from pustaka.programs.models import Attendance, Program, Registration

from .conftest import years_ago

pytestmark = pytest.mark.django_db


# --- programs and sessions ----------------------------------------------------------------------


def test_senior_technician_creates_a_program_with_a_session(senior_technician, branch, tomorrow):
    program = actions.create_program(
        actor=senior_technician,
        title="Kelas Komputer Dasar",
        branch=branch,
        capacity=12,
        kind="computer_class",
        min_age=15,
        leader=senior_technician,
    )
    session = actions.add_session(
        program=program,
        actor=senior_technician,
        date=tomorrow,
        start_time=datetime.time(13),
        end_time=datetime.time(15),
    )
    assert session.branch == branch and session.leader == senior_technician
    assert AuditEvent.objects.filter(verb="programs.program.create", object_id=str(program.pk)).exists()
    assert AuditEvent.objects.filter(verb="programs.session.create").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "many"}, "capacity"),
        ({"min_age": 10, "max_age": 5}, "max_age"),
        ({"min_age": 300}, "min_age"),
        ({"kind": "party"}, "kind"),
        ({"registration_mode": "anyone"}, "registration_mode"),
    ],
)
def test_a_program_with_bad_details_is_refused_naming_the_field(librarian, branch, fields, field):
    data = {"title": "Dongeng", "branch": branch, "capacity": 5} | fields
    with pytest.raises(InvalidProgram) as error:
        actions.create_program(actor=librarian, **data)
    assert error.value.field == field
    assert not Program.objects.exists()


def test_a_patron_cannot_be_a_program_leader(librarian, branch, patron_user):
    with pytest.raises(InvalidProgram) as error:
        actions.create_program(actor=librarian, title="X", branch=branch, capacity=3, leader=patron_user)
    assert error.value.field == "leader"


def test_a_session_must_end_after_it_starts(librarian, program, tomorrow):
    with pytest.raises(InvalidProgram) as error:
        actions.add_session(
            program=program, actor=librarian, date=tomorrow, start_time=datetime.time(10), end_time=datetime.time(9)
        )
    assert error.value.field == "end_time"
    assert not program.sessions.exists()


def test_circulation_staff_may_not_create_programs(circulation, branch):
    with pytest.raises(PermissionDenied):
        actions.create_program(actor=circulation, title="X", branch=branch, capacity=3)


# --- registering --------------------------------------------------------------------------------


def test_staff_register_a_patron_and_the_place_is_taken(circulation, program, patron):
    registration = actions.register(program=program, patron=patron, actor=circulation)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.registered_by == circulation
    assert AuditEvent.objects.filter(verb="programs.registration.create").count() == 1


def test_when_the_program_is_full_the_patron_goes_on_the_waiting_list(
    circulation, make_program, make_patron, make_registration
):
    program = make_program(capacity=1)
    make_registration(program, make_patron("P0100"))
    registration = actions.register(program=program, patron=make_patron("P0101"), actor=circulation)
    assert registration.status == RegistrationStatus.WAITING


def test_registration_closed_is_refused(circulation, make_program, patron):
    program = make_program(registration_open=False)
    with pytest.raises(RegistrationClosed):
        actions.register(program=program, patron=patron, actor=circulation)
    assert not Registration.objects.exists()


@pytest.mark.parametrize("age", [3, 9])
def test_a_patron_outside_the_age_range_is_refused(circulation, make_program, make_patron, session, age):
    program = make_program(title="Dongeng", min_age=4, max_age=8)
    child = make_patron("C0001", date_of_birth=years_ago(age))
    with pytest.raises(AgeOutOfRange) as error:
        actions.register(program=program, patron=child, actor=circulation)
    assert f"is {age} years old" in str(error.value) and "4–8 years" in str(error.value)
    assert not Registration.objects.exists()


def test_the_age_is_checked_on_the_first_session_day(circulation, make_program, make_patron, make_session):
    program = make_program(min_age=4, max_age=8)
    make_session(program, date=timezone.localdate() + datetime.timedelta(days=10))
    child = make_patron("C0001", date_of_birth=years_ago(4, days=-5))  # turns 4 in five days
    assert actions.register(program=program, patron=child, actor=circulation).status == "registered"


def test_an_unknown_date_of_birth_is_refused_when_the_program_has_an_age_range(circulation, make_program, patron):
    program = make_program(min_age=4, max_age=8)
    with pytest.raises(AgeUnknown):
        actions.register(program=program, patron=patron, actor=circulation)


def test_registering_twice_is_refused(circulation, make_program, patron, make_patron, make_registration):
    program = make_program(capacity=1)
    actions.register(program=program, patron=patron, actor=circulation)
    with pytest.raises(AlreadyRegistered):
        actions.register(program=program, patron=patron, actor=circulation)
    other = make_patron("P0200")
    actions.register(program=program, patron=other, actor=circulation)
    with pytest.raises(AlreadyWaiting):
        actions.register(program=program, patron=other, actor=circulation)
    assert Registration.objects.count() == 2


def test_an_inactive_patron_is_refused(circulation, program, make_patron):
    with pytest.raises(PatronInactive):
        actions.register(program=program, patron=make_patron("P0300", is_active=False), actor=circulation)


def test_a_patron_registers_themselves(program, patron, patron_user):
    registration = actions.register(program=program, patron=patron, actor=patron_user)
    assert registration.status == "registered" and registration.registered_by == patron_user


def test_a_guardian_registers_their_child(make_program, patron, patron_user, make_patron, session):
    program = make_program(min_age=4, max_age=8)
    child = make_patron("C0002", guardian=patron, date_of_birth=years_ago(6))
    assert actions.register(program=program, patron=child, actor=patron_user).patron == child


def test_a_patron_cannot_register_someone_else(program, patron_user, make_patron):
    with pytest.raises(NotYourAccount):
        actions.register(program=program, patron=make_patron("P0400"), actor=patron_user)


def test_a_patron_cannot_register_for_a_staff_only_program(make_program, patron, patron_user, circulation):
    program = make_program(registration_mode=RegistrationMode.STAFF_ONLY)
    with pytest.raises(StaffOnlyRegistration):
        actions.register(program=program, patron=patron, actor=patron_user)
    assert actions.register(program=program, patron=patron, actor=circulation).status == "registered"


def test_staff_without_the_registration_permission_are_refused(it_manager, program, patron):
    with pytest.raises(PermissionDenied):
        actions.register(program=program, patron=patron, actor=it_manager)


# --- cancelling and the waiting list ------------------------------------------------------------


def test_cancelling_a_place_promotes_the_first_on_the_waiting_list_and_emails_them(
    circulation, make_program, make_patron, make_registration, session, django_capture_on_commit_callbacks
):
    program = make_program(capacity=1)
    taken = make_registration(program, make_patron("P0001", email="a@example.org"), minutes_ago=30)
    second = make_registration(program, make_patron("P0003", email="c@example.org"), "waiting", minutes_ago=10)
    first = make_registration(program, make_patron("P0002", email="b@example.org"), "waiting", minutes_ago=20)
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_registration(registration=taken, actor=circulation)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "registered" and first.promoted_at is not None
    assert second.status == "waiting"
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
    assert "Dongeng Anak" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(verb="programs.registration.promote", object_id=str(first.pk)).exists()


def test_cancelling_a_waiting_place_promotes_nobody(circulation, make_program, make_patron, make_registration):
    program = make_program(capacity=1)
    make_registration(program, make_patron("P0001"))
    waiting = make_registration(program, make_patron("P0002"), "waiting", minutes_ago=5)
    later = make_registration(program, make_patron("P0003"), "waiting")
    actions.cancel_registration(registration=waiting, actor=circulation)
    later.refresh_from_db()
    assert later.status == "waiting"


def test_a_patron_cancels_their_own_registration_but_not_another(
    program, patron, patron_user, make_patron, make_registration
):
    own = make_registration(program, patron)
    other = make_registration(program, make_patron("P0500"))
    with pytest.raises(NotYourAccount):
        actions.cancel_registration(registration=other, actor=patron_user)
    assert actions.cancel_registration(registration=own, actor=patron_user).status == "cancelled"
    with pytest.raises(RegistrationNotActive):
        actions.cancel_registration(registration=own, actor=patron_user)


def test_more_places_move_people_up_in_order(librarian, make_program, make_patron, make_registration):
    program = make_program(capacity=1)
    make_registration(program, make_patron("P0001"), minutes_ago=9)
    a = make_registration(program, make_patron("P0002"), "waiting", minutes_ago=8)
    b = make_registration(program, make_patron("P0003"), "waiting", minutes_ago=7)
    c = make_registration(program, make_patron("P0004"), "waiting", minutes_ago=6)
    actions.update_program(program=program, actor=librarian, capacity=3)
    assert [r.status for r in Registration.objects.filter(pk__in=[a.pk, b.pk, c.pk]).order_by("queued_at")] == [
        "registered",
        "registered",
        "waiting",
    ]


def test_a_cancelled_patron_may_register_again(circulation, program, patron, make_registration):
    old = make_registration(program, patron)
    actions.cancel_registration(registration=old, actor=circulation)
    assert actions.register(program=program, patron=patron, actor=circulation).status == "registered"


# --- attendance ---------------------------------------------------------------------------------


def test_attendance_is_taken_from_the_ticked_registrations(
    circulation, program, session, make_patron, make_registration
):
    a = make_registration(program, make_patron("P0001"))
    b = make_registration(program, make_patron("P0002"))
    assert actions.set_attendance(session=session, present=[a.pk, b.pk], actor=circulation) == (2, 0)
    assert actions.set_attendance(session=session, present=[b.pk], actor=circulation) == (0, 1)
    assert list(Attendance.objects.values_list("registration_id", flat=True)) == [b.pk]


def test_attendance_refuses_a_registration_of_another_program(
    circulation, make_program, session, make_patron, make_registration
):
    stranger = make_registration(make_program("Other"), make_patron("P0009"))
    with pytest.raises(InvalidProgram) as error:
        actions.set_attendance(session=session, present=[stranger.pk], actor=circulation)
    assert error.value.field == "present"
    assert not Attendance.objects.exists()


def test_scanning_a_card_marks_the_patron_present_once(circulation, program, session, patron, make_registration):
    make_registration(program, patron)
    actions.mark_present(session=session, card=" p0001 ", actor=circulation)
    actions.mark_present(session=session, card="P0001", actor=circulation)
    assert Attendance.objects.count() == 1


def test_scanning_refuses_unknown_cards_unregistered_and_waiting_patrons(
    circulation, program, session, make_patron, make_registration
):
    make_patron("P0007")
    make_registration(program, make_patron("P0008"), "waiting")
    with pytest.raises(PatronNotFound):
        actions.mark_present(session=session, card="NOPE", actor=circulation)
    with pytest.raises(NotRegisteredForProgram):
        actions.mark_present(session=session, card="P0007", actor=circulation)
    with pytest.raises(WaitingNotRegistered):
        actions.mark_present(session=session, card="P0008", actor=circulation)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["it_manager", "patron_user"])
def test_attendance_is_only_taken_by_roles_allowed_to(request, who, program, session, patron, make_registration):
    registration = make_registration(program, patron)
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        actions.set_attendance(session=session, present=[registration.pk], actor=actor)
    with pytest.raises(PermissionDenied):
        actions.mark_present(session=session, card="P0001", actor=actor)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("role", ["circulation", "technician", "senior_technician", "librarian", "administrator"])
def test_desk_roles_may_take_attendance(make_staff, role, program, session, patron, make_registration):
    registration = make_registration(program, patron)
    actions.set_attendance(session=session, present=[registration.pk], actor=make_staff(role))
    assert Attendance.objects.count() == 1


# --- reminders ----------------------------------------------------------------------------------


def test_reminders_go_to_tomorrows_registered_patrons_once(
    program, session, make_patron, make_registration, make_session, django_capture_on_commit_callbacks
):
    make_registration(program, make_patron("P0001", email="a@example.org"))
    make_registration(program, make_patron("P0002", email="b@example.org"), "waiting")
    make_registration(program, make_patron("P0003", email="c@example.org"), "cancelled")
    make_session(program, date=timezone.localdate() + datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_reminders() == 0
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert "besok" in mail.outbox[0].subject  # in the patron's language, Indonesian unless they chose
    notice = Notice.objects.get()
    assert notice.kind == "program_reminder" and notice.sent_at is not None


def test_a_child_reminder_goes_to_the_guardian(
    program, session, make_patron, make_registration, django_capture_on_commit_callbacks
):
    guardian = make_patron("P0001", email="parent@example.org")
    make_registration(program, make_patron("C0001", guardian=guardian))
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_reminders()
    assert mail.outbox[0].to == ["parent@example.org"]


def test_a_patron_no_channel_reaches_gets_no_reminder_and_one_by_whatsapp_gets_a_delivery(
    program, session, make_patron, make_registration, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.HOME, settings.NOTICE_GATEWAY = tmp_path, "file"
    make_registration(program, make_patron("P0001"))  # e-mail chosen, no address, no guardian
    make_registration(program, make_patron("P0002", phone="0812 3456 7890", notice_channels=["whatsapp"]))
    assert actions.send_reminders() == 1
    assert actions.send_reminders() == 0
    notice = Notice.objects.get()
    assert notice.patron.card_number == "P0002" and notice.sent_at is not None
    assert [(d.channel, d.state) for d in notice.deliveries.all()] == [("whatsapp", "sent")]
    assert not mail.outbox
    assert len((tmp_path / "notices" / "outbox.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_the_reminder_command_and_task_send_once(
    program, session, patron, make_registration, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from pustaka.programs.tasks import program_reminders

    make_registration(program, patron)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_program_reminders")
        program_reminders.call_local()
    assert Notice.objects.count() == 1
    assert len(mail.outbox) == 1

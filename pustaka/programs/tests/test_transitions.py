"""The registration and help-request tables (programs/transitions.py), exercised both ways: every listed
move is made by the action that owns it, every other move is refused and writes nothing."""

import pytest
from django.utils import translation

from pustaka.core.errors import PermissionDenied, TransitionNotAllowed
from pustaka.core.models import AuditEvent
from pustaka.core.permissions import has
from pustaka.core.transitions import machine_for
from pustaka.programs import actions
from pustaka.programs.choices import RegistrationStatus
from pustaka.programs.errors import RegistrationNotActive
from pustaka.programs.models import Registration
from pustaka.programs.transitions import REGISTRATIONS

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "it_manager", "librarian", "senior_technician", "technician", "circulation"]


def _name(rule) -> str:
    return f"{rule.source}->{rule.target}"


def _unlisted(machine) -> list[tuple[str, str]]:
    values = machine.choices.values
    return [(s, t) for s in values for t in values if machine.find(s, t) is None]


# --- registrations -------------------------------------------------------------------------------


def _cancel(registration, actor):
    return actions.cancel_registration(registration=registration, actor=actor)


def _promote_by_cancelling_the_place_holder(registration, actor, make_registration, make_patron):
    """The only way up from the waiting list: someone registered cancels and frees the place."""
    holder = make_registration(registration.program, make_patron("D7777"), minutes_ago=10)
    actions.cancel_registration(registration=holder, actor=actor)


REGISTRATION_ACTIONS = {
    "programs.registration.cancel": _cancel,
    "programs.registration.promote": _promote_by_cancelling_the_place_holder,
}


def test_every_registration_move_has_an_action_and_a_known_permission():
    assert set(REGISTRATIONS.verbs) == set(REGISTRATION_ACTIONS)
    assert machine_for(Registration()) is REGISTRATIONS
    assert set(REGISTRATIONS.final) == {RegistrationStatus.CANCELLED}


@pytest.mark.parametrize("rule", REGISTRATIONS.transitions, ids=_name)
def test_a_librarian_makes_every_registration_move_through_its_action(
    rule, make_program, make_registration, make_patron, librarian
):
    program = make_program(capacity=1)
    registration = make_registration(program, make_patron("D7001"), status=rule.source)
    do = REGISTRATION_ACTIONS[rule.verb]
    if rule.verb == "programs.registration.promote":
        do(registration, librarian, make_registration, make_patron)
    else:
        do(registration, librarian)

    registration.refresh_from_db()
    assert registration.status == rule.target
    event = AuditEvent.objects.get(verb=rule.verb, object_id=str(registration.pk))
    assert (event.before["status"], event.after["status"]) == (rule.source, rule.target)
    assert event.actor == librarian


@pytest.mark.parametrize("status", [RegistrationStatus.REGISTERED, RegistrationStatus.WAITING])
def test_a_patron_cancels_their_own_registration_without_a_staff_permission(
    status, program, make_registration, patron, patron_user
):
    registration = make_registration(program, patron, status=status)

    actions.cancel_registration(registration=registration, actor=patron_user)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert AuditEvent.objects.get(verb="programs.registration.cancel").actor == patron_user


@pytest.mark.parametrize("role", ROLES)
def test_cancelling_a_registration_needs_the_permission_the_table_names(
    role, request, program, make_registration, patron
):
    actor = request.getfixturevalue(role)
    registration = make_registration(program, patron)
    rule = REGISTRATIONS.find(RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED)

    if has(actor, rule.permission):
        actions.cancel_registration(registration=registration, actor=actor)
        assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED
    else:
        with pytest.raises(PermissionDenied):
            actions.cancel_registration(registration=registration, actor=actor)
        assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.REGISTERED
        assert not AuditEvent.objects.exists()


def test_a_cancelled_registration_cannot_be_cancelled_again_and_nothing_is_written(
    program, make_registration, patron, librarian
):
    registration = make_registration(program, patron, status=RegistrationStatus.CANCELLED)
    assert RegistrationStatus.CANCELLED not in REGISTRATIONS.sources("programs.registration.cancel")

    with pytest.raises(RegistrationNotActive):
        actions.cancel_registration(registration=registration, actor=librarian)

    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED
    assert not AuditEvent.objects.exists()


def test_a_freed_place_promotes_only_people_waiting(make_program, make_registration, make_patron, librarian):
    program = make_program(capacity=1)
    holder = make_registration(program, make_patron("D7002"), minutes_ago=9)
    cancelled = make_registration(program, make_patron("D7003"), status=RegistrationStatus.CANCELLED, minutes_ago=8)

    actions.cancel_registration(registration=holder, actor=librarian)

    assert Registration.objects.get(pk=cancelled.pk).status == RegistrationStatus.CANCELLED
    assert not AuditEvent.objects.filter(verb="programs.registration.promote").exists()


@pytest.mark.parametrize(("source", "target"), _unlisted(REGISTRATIONS), ids=lambda v: v)
def test_a_registration_move_missing_from_the_table_is_refused_even_for_an_administrator(
    source, target, program, make_registration, patron, administrator
):
    registration = make_registration(program, patron, status=source)

    with pytest.raises(TransitionNotAllowed):
        REGISTRATIONS.move(registration, to=target, actor=administrator)

    assert registration.status == source
    assert Registration.objects.get(pk=registration.pk).status == source


def test_a_refused_registration_move_names_both_states_in_words(program, make_registration, patron, administrator):
    registration = make_registration(program, patron, status=RegistrationStatus.CANCELLED)

    with translation.override("en"), pytest.raises(TransitionNotAllowed) as refused:
        REGISTRATIONS.move(registration, to=RegistrationStatus.REGISTERED, actor=administrator)
    assert str(refused.value) == f"Registration #{registration.pk} cannot go from “Cancelled” to “Registered”."

    with translation.override("id"):
        said = str(refused.value)  # the same refusal, shown to a reader of Indonesian
        assert said == f"Pendaftaran #{registration.pk} tidak dapat berubah dari “Dibatalkan” menjadi “Terdaftar”."

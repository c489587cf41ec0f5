"""Questions to the librarians move only along their table (reference/transitions.py), tested both
ways: every listed move through its action, every unlisted move refused with nothing written."""

import pytest

from pustaka.core.errors import PermissionDenied, TransitionNotAllowed
from pustaka.core.models import AuditEvent
from pustaka.core.permissions import has
from pustaka.core.transitions import machine_for
from pustaka.reference import actions
from pustaka.reference.choices import HelpStatus
from pustaka.reference.errors import HelpRequestClosed
from pustaka.reference.models import HelpAnswer, HelpRequest
from pustaka.reference.transitions import HELP_REQUESTS

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "it_manager", "librarian", "senior_technician", "technician", "circulation"]


def _name(rule) -> str:
    return f"{rule.source}->{rule.target}"


def _unlisted(machine) -> list[tuple[str, str]]:
    values = machine.choices.values
    return [(s, t) for s in values for t in values if machine.find(s, t) is None]


# --- help requests -------------------------------------------------------------------------------


def _answer(help_request, actor):
    return actions.answer_helprequest(help_request=help_request, body="Rak 005, lantai dua.", actor=actor)


def _close(help_request, actor):
    return actions.close_helprequest(help_request=help_request, actor=actor)


HELP_ACTIONS = {"programs.help.answer": _answer, "programs.help.close": _close}


def test_every_help_request_move_has_an_action():
    assert set(HELP_REQUESTS.verbs) == set(HELP_ACTIONS)
    assert machine_for(HelpRequest()) is HELP_REQUESTS
    assert HELP_REQUESTS.final == (HelpStatus.CLOSED,)


@pytest.mark.parametrize("rule", HELP_REQUESTS.transitions, ids=_name)
def test_a_librarian_makes_every_help_request_move_through_its_action(rule, help_request, librarian):
    HelpRequest.objects.filter(pk=help_request.pk).update(status=rule.source)
    help_request.refresh_from_db()

    HELP_ACTIONS[rule.verb](help_request, librarian)

    help_request.refresh_from_db()
    assert help_request.status == rule.target
    event = AuditEvent.objects.get(verb=rule.verb, object_id=str(help_request.pk))
    assert (event.before["status"], event.after["status"]) == (rule.source, rule.target)


@pytest.mark.parametrize("verb", list(HELP_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_answering_and_closing_need_the_permission_the_table_names(verb, role, request, help_request):
    actor = request.getfixturevalue(role)
    rule = next(t for t in HELP_REQUESTS.transitions if t.source == HelpStatus.OPEN and t.verb == verb)

    if has(actor, rule.permission):
        HELP_ACTIONS[verb](help_request, actor)
        assert HelpRequest.objects.get(pk=help_request.pk).status == rule.target
    else:
        with pytest.raises(PermissionDenied):
            HELP_ACTIONS[verb](help_request, actor)
        assert HelpRequest.objects.get(pk=help_request.pk).status == HelpStatus.OPEN
        assert not HelpAnswer.objects.exists()
        assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("verb", [*HELP_ACTIONS, "programs.help.assign"])
def test_a_closed_question_is_not_answered_closed_or_assigned_again_and_nothing_is_written(
    verb, help_request, librarian
):
    HelpRequest.objects.filter(pk=help_request.pk).update(status=HelpStatus.CLOSED)
    help_request.refresh_from_db()

    with pytest.raises(HelpRequestClosed):
        if verb == "programs.help.assign":
            actions.assign_helprequest(help_request=help_request, assignee=librarian, actor=librarian)
        else:
            HELP_ACTIONS[verb](help_request, librarian)

    help_request.refresh_from_db()
    assert (help_request.status, help_request.assigned_to) == (HelpStatus.CLOSED, None)
    assert not HelpAnswer.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("source", "target"), _unlisted(HELP_REQUESTS), ids=lambda v: v)
def test_a_help_request_move_missing_from_the_table_is_refused_even_for_an_administrator(
    source, target, help_request, administrator
):
    HelpRequest.objects.filter(pk=help_request.pk).update(status=source)
    help_request.refresh_from_db()

    with pytest.raises(TransitionNotAllowed):
        HELP_REQUESTS.move(help_request, to=target, actor=administrator)

    assert help_request.status == source

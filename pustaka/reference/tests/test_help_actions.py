"""Help requests ("tanya pustakawan"): asking, assigning, answering (e-mailed), closing, response time."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.reference import actions, queries
from pustaka.reference.errors import CannotAnswer, HelpRequestClosed, InvalidQuestion, TooManyQuestions
from pustaka.reference.models import HelpRequest

pytestmark = pytest.mark.django_db


def test_a_patron_asks_and_their_name_and_email_come_from_the_account(patron, patron_user, record):
    asked = actions.ask_question(question="Is this on the shelf?", actor=patron_user, record=record, topic="finding")
    assert asked.patron == patron and asked.name == "Siti Rahmawati" and asked.email == "siti@example.org"
    assert asked.status == "open" and asked.record == record
    assert AuditEvent.objects.filter(verb="programs.help.ask").exists()


def test_an_anonymous_visitor_asks_with_name_and_email():
    asked = actions.ask_question(
        question="How do I borrow e-books?", name="Budi", email="budi@example.org", ip="1.2.3.4"
    )
    assert asked.patron is None and asked.ip_hash and "1.2.3.4" not in asked.ip_hash


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"question": "  "}, "question"),
        ({"question": "x" * 2001}, "question"),
        ({"name": ""}, "name"),
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"topic": "gossip"}, "topic"),
    ],
)
def test_a_bad_anonymous_question_is_refused_naming_the_field(db, fields, field):
    data = {"question": "Where are the maps?", "name": "Budi", "email": "budi@example.org"} | fields
    with pytest.raises(InvalidQuestion) as error:
        actions.ask_question(**data)
    assert error.value.field == field
    assert not HelpRequest.objects.exists()


def test_one_address_may_ask_only_a_few_questions_an_hour(db, settings):
    settings.PUSTAKA_HELP_MAX_PER_HOUR = 2
    for n in range(2):
        actions.ask_question(question=f"Q{n}", name="Budi", email="b@example.org", ip="10.0.0.1")
    with pytest.raises(TooManyQuestions) as error:
        actions.ask_question(question="Q3", name="Budi", email="b@example.org", ip="10.0.0.1")
    assert error.value.status == 429
    actions.ask_question(question="Q4", name="Ani", email="a@example.org", ip="10.0.0.2")
    later = timezone.now() + datetime.timedelta(hours=1, minutes=1)
    actions.ask_question(question="Q5", name="Budi", email="b@example.org", ip="10.0.0.1", now=later)
    assert HelpRequest.objects.count() == 4


def test_answering_emails_the_asker_and_measures_the_response_time(
    help_request, circulation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = actions.answer_helprequest(
            help_request=help_request, body="Look at shelf 005 in the stacks.", actor=circulation
        )
    help_request.refresh_from_db()
    answer.refresh_from_db()
    assert help_request.status == "answered" and help_request.assigned_to == circulation
    assert datetime.timedelta(hours=2, minutes=59) < help_request.response_time < datetime.timedelta(hours=3, minutes=1)
    assert mail.outbox[0].to == ["siti@example.org"]
    assert "shelf 005" in mail.outbox[0].body and "books about Python" in mail.outbox[0].body
    assert answer.emailed_at is not None


def test_a_second_answer_keeps_the_first_response_time(help_request, circulation, librarian):
    actions.answer_helprequest(help_request=help_request, body="First", actor=circulation)
    help_request.refresh_from_db()
    first = help_request.first_answered_at
    actions.answer_helprequest(
        help_request=help_request, body="More", actor=librarian, now=timezone.now() + datetime.timedelta(hours=1)
    )
    help_request.refresh_from_db()
    assert help_request.first_answered_at == first and help_request.answers.count() == 2
    assert help_request.assigned_to == circulation


def test_assign_to_self_or_another_who_may_answer(help_request, circulation, librarian, senior_technician):
    actions.assign_helprequest(help_request=help_request, assignee=circulation, actor=circulation)
    actions.assign_helprequest(help_request=help_request, assignee=librarian, actor=circulation)
    help_request.refresh_from_db()
    assert help_request.assigned_to == librarian


def test_a_question_cannot_be_assigned_to_a_patron(help_request, circulation, patron_user):
    with pytest.raises(CannotAnswer) as error:
        actions.assign_helprequest(help_request=help_request, assignee=patron_user, actor=circulation)
    assert error.value.field == "assignee"


def test_a_closed_question_cannot_be_answered_or_assigned(help_request, circulation):
    actions.close_helprequest(help_request=help_request, actor=circulation)
    with pytest.raises(HelpRequestClosed):
        actions.answer_helprequest(help_request=help_request, body="Late", actor=circulation)
    with pytest.raises(HelpRequestClosed):
        actions.assign_helprequest(help_request=help_request, assignee=circulation, actor=circulation)
    with pytest.raises(HelpRequestClosed):
        actions.close_helprequest(help_request=help_request, actor=circulation)
    assert not help_request.answers.exists()


def test_an_empty_answer_is_refused(help_request, circulation):
    with pytest.raises(InvalidQuestion) as error:
        actions.answer_helprequest(help_request=help_request, body="  ", actor=circulation)
    assert error.value.field == "body"


@pytest.mark.parametrize("who", ["patron_user", "technician_without_answer"])
def test_only_roles_with_the_permission_answer(request, who, help_request, make_staff):
    from django.contrib.auth.models import Permission

    if who == "patron_user":
        actor = request.getfixturevalue("patron_user")
    else:
        actor = make_staff("technician")
        actor.user_permissions.clear()
        actor.groups.first().permissions.remove(Permission.objects.get(codename="answer_questions"))
        actor = type(actor).objects.get(pk=actor.pk)
    for call in (
        lambda: actions.answer_helprequest(help_request=help_request, body="x", actor=actor),
        lambda: actions.assign_helprequest(help_request=help_request, assignee=None, actor=actor),
        lambda: actions.close_helprequest(help_request=help_request, actor=actor),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_the_it_manager_may_answer(help_request, it_manager):
    actions.answer_helprequest(help_request=help_request, body="Try the e-book reader app.", actor=it_manager)


def test_the_queue_counts_and_monthly_response_times(patron, circulation, librarian):
    now = timezone.now().replace(day=15, hour=6)  # mid-month: the questions fall in one month

    def ask(hours_ago):
        return HelpRequest.objects.create(
            name="A", email="a@example.org", question="Q", asked_at=now - datetime.timedelta(hours=hours_ago)
        )

    one, two, three = ask(5), ask(4), ask(3)
    actions.answer_helprequest(help_request=one, body="a", actor=circulation, now=now - datetime.timedelta(hours=4))
    actions.answer_helprequest(help_request=two, body="b", actor=circulation, now=now - datetime.timedelta(hours=1))
    actions.assign_helprequest(help_request=three, assignee=librarian, actor=circulation)
    counts = queries.help_counts(librarian)
    assert (counts["open"], counts["mine"], counts["answered"], counts["closed"]) == (1, 1, 2, 0)
    assert counts["oldest_open"] == three.asked_at
    month = queries.response_times(now=now)[0]
    assert month.answered == 2
    assert month.mean == datetime.timedelta(hours=2) and month.median == datetime.timedelta(hours=2)

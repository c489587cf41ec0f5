"""Writes to questions to the librarians: ask, assign, answer, close (each declared with
:func:`pustaka.core.registry.action`, audited in its transaction).

The verbs keep their old ``programs.help.*`` names (questions lived in the programs app before), so
the history of questions asked then reads the same."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.mail import send_templated_mail
from pustaka.core.permissions import acting_user, has, is_staff_member
from pustaka.core.registry import action
from pustaka.patrons.queries import mail_address

from .choices import HelpStatus, HelpTopic
from .errors import CannotAnswer, HelpRequestClosed, InvalidQuestion, TooManyQuestions
from .models import HelpAnswer, HelpRequest
from .transitions import HELP_REQUESTS

#: Who may assign, answer and close questions.
ANSWER = "reference.answer_questions"

MAX_NAME = 150
MAX_QUESTION = 2000


MAX_ANSWER = 10_000


#: Questions one address may send per hour (``PUSTAKA_HELP_MAX_PER_HOUR`` in settings overrides it).
HELP_MAX_PER_HOUR = 5


def ip_hash(ip: str) -> str:
    """A keyed hash of the asker's address (the address itself is never stored)."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def _question_text(value, *, field: str, max_length: int, required: bool, message) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else ""
    if "\x00" in text or (required and not text):
        raise InvalidQuestion(message, field=field)
    if len(text) > max_length:
        raise InvalidQuestion(
            _("This is too long: at most %(max)s characters, please.") % {"max": max_length}, field=field
        )
    return text


@action("programs.help.ask", permission=None, label=_("Question asked"))
def ask_question(
    *,
    question: str,
    actor=None,
    name: str = "",
    email: str = "",
    topic: str = HelpTopic.FINDING,
    record=None,
    ip: str = "",
    now=None,
) -> HelpRequest:
    """Ask the librarians a question. A logged-in patron's name and e-mail come from their account;
    an anonymous visitor gives both. Questions are size-limited; one address may ask a few an hour.

    Permission checked inside: anyone may ask (visitors, patrons, staff); what refuses is the limit of
    questions one address may send in an hour (:class:`TooManyQuestions`)."""
    from pustaka.patrons.models import Patron

    now = now or timezone.now()
    patron = None
    if actor is not None and getattr(actor, "is_authenticated", False):
        patron = Patron.objects.filter(user=actor).first()
    if topic not in HelpTopic.values:
        raise InvalidQuestion(_("Choose what the question is about from the list."), field="topic")
    question = _question_text(
        question, field="question", max_length=MAX_QUESTION, required=True, message=_("Write your question.")
    )
    name = _question_text(
        name or (patron.full_name if patron else ""),
        field="name",
        max_length=MAX_NAME,
        required=True,
        message=_("Tell us your name."),
    )
    email = (email or (mail_address(patron) if patron else "")).strip()
    if email or patron is None:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise InvalidQuestion(_("Give an e-mail address we can send the answer to."), field="email") from None
    hashed = ip_hash(ip)
    if hashed:
        limit = getattr(settings, "PUSTAKA_HELP_MAX_PER_HOUR", HELP_MAX_PER_HOUR)
        recent = HelpRequest.objects.filter(ip_hash=hashed, asked_at__gte=now - datetime.timedelta(hours=1)).count()
        if recent >= limit:
            raise TooManyQuestions()
    help_request = HelpRequest.objects.create(
        patron=patron,
        name=name,
        email=email,
        topic=topic,
        question=question,
        record=record,
        language=(patron.language if patron else "") or translation.get_language() or settings.LANGUAGE_CODE,
        asked_at=now,
        ip_hash=hashed,
    )
    audit(
        acting_user(actor),
        "programs.help.ask",
        help_request,
        after={"patron": patron.card_number if patron else None, "topic": topic, "record": getattr(record, "pk", None)},
    )
    return help_request


def _locked_request(help_request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_for_update().get(pk=help_request.pk)


def _closed(help_request: HelpRequest) -> HelpRequestClosed:
    return HelpRequestClosed(help_request=help_request.pk)


@action("programs.help.assign", permission=ANSWER, label=_("Question assigned"))
def assign_helprequest(*, help_request: HelpRequest, assignee, actor) -> HelpRequest:
    """Give a question to a staff member (oneself or another who may answer questions)."""
    if assignee is not None and not (is_staff_member(assignee) and has(assignee, ANSWER)):
        raise CannotAnswer(user=assignee.get_username(), field="assignee")
    locked = _locked_request(help_request)
    if locked.status in HELP_REQUESTS.final:  # nothing moves out of a closed question, nor is it reassigned
        raise _closed(locked)
    before = locked.assigned_to_id
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to"])
    audit(
        actor,
        "programs.help.assign",
        locked,
        before={"assigned_to": before},
        after={"assigned_to": assignee.pk if assignee else None},
    )
    return locked


@action("programs.help.answer", permission=ANSWER, label=_("Question answered"))
def answer_helprequest(*, help_request: HelpRequest, body: str, actor, now=None) -> HelpAnswer:
    """Answer a question: the answer is e-mailed to the asker and shown in their account. The first
    answer fixes the response time; an unassigned question is assigned to whoever answers it."""
    now = now or timezone.now()
    text = body.strip() if isinstance(body, str) else ""
    if not text or "\x00" in text:
        raise InvalidQuestion(_("Write the answer."), field="body")
    if len(text) > MAX_ANSWER:
        raise InvalidQuestion(
            _("This is too long: at most %(max)s characters, please.") % {"max": MAX_ANSWER}, field="body"
        )
    locked = _locked_request(help_request)
    before = {"status": locked.status, "first_answered_at": locked.first_answered_at}
    rule = HELP_REQUESTS.move(locked, to=HelpStatus.ANSWERED, actor=actor, refused=lambda: _closed(locked))
    answer = HelpAnswer.objects.create(help_request=locked, body=text, answered_by=acting_user(actor), answered_at=now)
    if locked.first_answered_at is None:
        locked.first_answered_at = now
    if locked.assigned_to_id is None:
        locked.assigned_to = acting_user(actor)
    locked.save(update_fields=["status", "first_answered_at", "assigned_to"])
    audit(
        actor,
        rule.verb,
        locked,
        before=before,
        after={"status": locked.status, "first_answered_at": locked.first_answered_at, "answer": answer.pk},
    )
    transaction.on_commit(lambda: _send_answer(answer.pk))
    return answer


def _send_answer(answer_pk: int) -> None:
    answer = HelpAnswer.objects.select_related("help_request__patron__guardian", "help_request__record").get(
        pk=answer_pk
    )
    help_request = answer.help_request
    to = help_request.email or (mail_address(help_request.patron) if help_request.patron else "")
    error = send_templated_mail(
        to, "reference/email/answer", {"answer": answer, "help_request": help_request}, help_request.language
    )
    # The answer's delivery record (bookkeeping of the side effect, not a library change).
    HelpAnswer.objects.filter(pk=answer.pk).update(emailed_at=None if error else timezone.now(), email_error=error)


@action("programs.help.close", permission=ANSWER, label=_("Question closed"))
def close_helprequest(*, help_request: HelpRequest, actor, now=None) -> HelpRequest:
    """Close a question (answered, or not needing one); a closed question cannot be answered again."""
    locked = _locked_request(help_request)
    before = locked.status
    rule = HELP_REQUESTS.move(locked, to=HelpStatus.CLOSED, actor=actor, refused=lambda: _closed(locked))
    locked.closed_at = now or timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    audit(actor, rule.verb, locked, before={"status": before}, after={"status": locked.status})
    return locked

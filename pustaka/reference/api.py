"""API of questions to the librarians (``/api/v1/help-requests``): staff who may read questions list
and read them, staff who may answer assign, answer and close; anyone logged in may ask. Writes go
through :mod:`pustaka.reference.actions`."""

import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.catalog.models import Record
from pustaka.core.api import ERRORS, InSchema, Pagination, QuerySchema, api, get_or_error, staff_endpoint, user_endpoint
from pustaka.core.errors import ValidationFailed
from pustaka.core.lookups import find_staff
from pustaka.core.permissions import is_staff_member

from . import actions, queries
from .choices import HelpStatus, HelpTopic
from .errors import HelpRequestNotFound
from .models import HelpRequest

router = Router(tags=["help requests"])


class AnswerOut(Schema):
    id: int
    body: str
    answered_by: str | None
    answered_at: datetime.datetime
    emailed_at: datetime.datetime | None

    @staticmethod
    def resolve_answered_by(obj) -> str | None:
        return obj.answered_by.username if obj.answered_by else None


class HelpRequestOut(Schema):
    id: int
    name: str
    email: str
    card_number: str | None
    topic: str
    question: str
    record: int | None = Field(None, alias="record_id")
    status: str
    assigned_to: str | None
    asked_at: datetime.datetime
    first_answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    response_seconds: int | None

    @staticmethod
    def resolve_card_number(obj) -> str | None:
        return obj.patron.card_number if obj.patron else None

    @staticmethod
    def resolve_assigned_to(obj) -> str | None:
        return obj.assigned_to.username if obj.assigned_to else None

    @staticmethod
    def resolve_response_seconds(obj) -> int | None:
        return int(obj.response_time.total_seconds()) if obj.response_time else None


class HelpRequestDetailOut(HelpRequestOut):
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(obj) -> list:
        return list(obj.answers.select_related("answered_by"))


class HelpFilters(QuerySchema):
    status: HelpStatus | None = None
    mine: bool = Field(False, description="Only the open questions assigned to me.")


class HelpIn(InSchema):
    question: str = Field(..., min_length=1, max_length=actions.MAX_QUESTION)
    topic: HelpTopic = HelpTopic.FINDING
    name: str = Field("", max_length=actions.MAX_NAME)
    email: str = Field("", max_length=254)
    record: int | None = Field(None, ge=1, le=2**63 - 1)


class AssignIn(InSchema):
    assignee: str | None = Field(..., max_length=150, description="A staff username, or null to unassign.")


class AnswerIn(InSchema):
    answer: str = Field(..., min_length=1, max_length=actions.MAX_ANSWER)


def _help_request(pk: int) -> HelpRequest:
    return get_or_error(queries.help_requests(), HelpRequestNotFound, {"help_request": pk}, pk=pk)


def _staff(username: str | None, field: str):
    """The staff member with this user name, or a validation error on ``field`` (None for nobody)."""
    if username is None:
        return None
    user = find_staff(username)
    if user is None or not is_staff_member(user):
        raise ValidationFailed(_("No staff member has the username “%(username)s”."), field=field, username=username)
    return user


@router.get("/help-requests", response={200: list[HelpRequestOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("reference.view_helprequest")
def list_help_requests(request, filters: Query[HelpFilters]):
    """Staff with ``reference.view_helprequest``: questions, oldest open first."""
    if filters.mine:
        return queries.help_queue("mine", request.user)
    rows = queries.help_requests()
    if filters.status:
        rows = rows.filter(status=filters.status)
    return rows.order_by("status", "asked_at", "id")


@router.get("/help-requests/{help_request_id}", response={200: HelpRequestDetailOut, **ERRORS})
@staff_endpoint("reference.view_helprequest")
def get_help_request(request, help_request_id: int):
    """Staff with ``reference.view_helprequest``: a question with its answers."""
    return _help_request(help_request_id)


@router.post("/help-requests", response={201: HelpRequestOut, **ERRORS})
@user_endpoint()
def ask(request, payload: HelpIn):
    """Anyone logged in: ask the librarians (a patron's name and e-mail come from their account)."""

    record = None
    if payload.record is not None:
        record = Record.objects.filter(pk=payload.record).first()
        if record is None:
            raise ValidationFailed(_("There is no title #%(record)s."), field="record", record=payload.record)
    help_request = actions.ask_question(
        question=payload.question,
        topic=payload.topic,
        name=payload.name,
        email=payload.email,
        record=record,
        actor=request.user,
    )
    return Status(201, _help_request(help_request.pk))


@router.post("/help-requests/{help_request_id}/assign", response={200: HelpRequestOut, **ERRORS})
@staff_endpoint("reference.answer_questions")
def assign(request, help_request_id: int, payload: AssignIn):
    """Staff with ``reference.answer_questions``: give the question to a staff member (or nobody)."""
    help_request = _help_request(help_request_id)
    actions.assign_helprequest(
        help_request=help_request, assignee=_staff(payload.assignee, "assignee"), actor=request.user
    )
    return _help_request(help_request_id)


@router.post("/help-requests/{help_request_id}/answer", response={200: HelpRequestDetailOut, **ERRORS})
@staff_endpoint("reference.answer_questions")
def answer(request, help_request_id: int, payload: AnswerIn):
    """Staff with ``reference.answer_questions``: the answer is e-mailed to the asker."""
    try:
        actions.answer_helprequest(help_request=_help_request(help_request_id), body=payload.answer, actor=request.user)
    except ValidationFailed as error:
        error.field = "answer" if error.field == "body" else error.field
        raise
    return _help_request(help_request_id)


@router.post("/help-requests/{help_request_id}/close", response={200: HelpRequestOut, **ERRORS})
@staff_endpoint("reference.answer_questions")
def close(request, help_request_id: int):
    """Staff with ``reference.answer_questions``."""
    actions.close_helprequest(help_request=_help_request(help_request_id), actor=request.user)
    return _help_request(help_request_id)


api.add_router("/", router)

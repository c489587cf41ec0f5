"""API: programs and sessions (``/api/v1/programs``), registrations and attendance
(``/api/v1/registrations``). Questions to the librarians are :mod:`pustaka.reference.api`.

Programs: staff with ``programs.view_program`` read; ``add_program``/``change_program`` and
``add_programsession``/``change_programsession`` write. Registrations: staff with
``programs.view_registration`` see all; a patron sees only their own and their wards'; staff with
``add_registration`` register anyone, a patron registers themselves or a ward; attendance needs
``programs.take_attendance``. Writes go through
:mod:`pustaka.programs.actions`.
"""

import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core import lookups
from pustaka.core.api import (
    ERRORS,
    InSchema,
    Pagination,
    QuerySchema,
    api,
    get_or_error,
    patron_endpoint,
    staff_endpoint,
)
from pustaka.core.errors import NotFound, ValidationFailed
from pustaka.core.models import Branch
from pustaka.core.permissions import is_staff_member, require
from pustaka.patrons.models import Patron

from . import actions, queries
from .choices import ProgramKind, RegistrationMode, RegistrationStatus
from .errors import ProgramNotFound, RegistrationNotFound, SessionNotFound
from .models import Program, ProgramSession

router = Router(tags=["programs"])


# --- schemas ------------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    program: int = Field(..., alias="program_id")
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    room: str
    branch: str
    leader: str | None

    @staticmethod
    def resolve_branch(obj: ProgramSession) -> str:
        return obj.branch.code

    @staticmethod
    def resolve_leader(obj: ProgramSession) -> str | None:
        return obj.leader.username if obj.leader else None


class ProgramOut(Schema):
    """A program with its counts: places, registered, waiting, places left, next session date."""

    id: int
    title: str
    description: str
    kind: str
    branch: str
    min_age: int | None
    max_age: int | None
    capacity: int
    leader: str | None
    registration_open: bool
    registration_mode: str
    registered_count: int
    waiting_count: int
    places_left: int
    next_date: datetime.date | None
    session_count: int

    @staticmethod
    def resolve_branch(obj: Program) -> str:
        return obj.branch.code

    @staticmethod
    def resolve_leader(obj: Program) -> str | None:
        return obj.leader.username if obj.leader else None


class ProgramIn(InSchema):
    title: str = Field(..., max_length=200)
    branch: str = Field(..., max_length=16, description="Branch code, e.g. MAIN.")
    capacity: int = Field(..., ge=1, le=actions.MAX_CAPACITY)
    kind: ProgramKind = ProgramKind.OTHER
    description: str = Field("", max_length=5000)
    min_age: int | None = Field(None, ge=0, le=actions.MAX_AGE)
    max_age: int | None = Field(None, ge=0, le=actions.MAX_AGE)
    leader: str | None = Field(None, max_length=150, description="Username of a staff member.")
    registration_open: bool = True
    registration_mode: RegistrationMode = RegistrationMode.PUBLIC


class ProgramPatch(InSchema):
    title: str | None = Field(None, max_length=200)
    branch: str | None = Field(None, max_length=16)
    capacity: int | None = Field(None, ge=1, le=actions.MAX_CAPACITY)
    kind: ProgramKind | None = None
    description: str | None = Field(None, max_length=5000)
    min_age: int | None = Field(None, ge=0, le=actions.MAX_AGE)
    max_age: int | None = Field(None, ge=0, le=actions.MAX_AGE)
    leader: str | None = Field(None, max_length=150)
    registration_open: bool | None = None
    registration_mode: RegistrationMode | None = None


class SessionIn(InSchema):
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    room: str = Field("", max_length=100)
    branch: str | None = Field(None, max_length=16)
    leader: str | None = Field(None, max_length=150)


class SessionPatch(InSchema):
    date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    room: str | None = Field(None, max_length=100)
    branch: str | None = Field(None, max_length=16)
    leader: str | None = Field(None, max_length=150)


class RegistrationOut(Schema):
    id: int
    program: int = Field(..., alias="program_id")
    program_title: str
    card_number: str
    patron_name: str
    status: str
    position: int | None
    queued_at: datetime.datetime
    promoted_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None

    @staticmethod
    def resolve_program_title(obj) -> str:
        return obj.program.title

    @staticmethod
    def resolve_card_number(obj) -> str:
        return obj.patron.card_number

    @staticmethod
    def resolve_patron_name(obj) -> str:
        return obj.patron.full_name

    @staticmethod
    def resolve_position(obj) -> int | None:
        return getattr(obj, "position", None) if obj.status == RegistrationStatus.WAITING else None


class RegistrationFilters(QuerySchema):
    program: int | None = Field(None, ge=1, le=2**63 - 1)
    status: RegistrationStatus | None = None
    card: str = Field("", max_length=32)


class RegistrationIn(InSchema):
    program: int = Field(..., ge=1, le=2**63 - 1)
    card: str = Field(..., min_length=1, max_length=32, description="The patron's card number.")


class AttendanceIn(InSchema):
    present: list[int] = Field(..., max_length=10_000, description="Ids of the registrations present.")


class MarkIn(InSchema):
    session: int = Field(..., ge=1, le=2**63 - 1)


class RosterOut(Schema):
    registration: int
    card_number: str
    patron_name: str
    present: bool


# --- lookups ------------------------------------------------------------------------------------


def _branch(code: str, field: str = "branch") -> Branch:
    return lookups.get_branch(code, field=field)


def _staff(username: str | None, field: str = "leader"):
    if username is None:
        return None
    user = lookups.find_staff(username)
    if user is None or not is_staff_member(user):
        raise ValidationFailed(_("No staff member has the username “%(username)s”."), field=field, username=username)
    return user


def _program(pk: int) -> Program:
    return get_or_error(queries.programs(), ProgramNotFound, {"program": pk}, pk=pk)


def _session(pk: int) -> ProgramSession:
    return get_or_error(
        ProgramSession.objects.select_related("program", "branch", "leader"), SessionNotFound, {"session": pk}, pk=pk
    )


def _visible_registrations(request):
    """Staff with the view permission see every registration; anyone else only their own and their wards'."""
    rows = queries.registrations()
    if is_staff_member(request.user):
        require(request.user, "programs.view_registration")
        return rows
    patron = Patron.objects.filter(user=request.user).first()
    if patron is None:
        return rows.none()
    return rows.filter(patron__in=Patron.objects.filter(pk=patron.pk) | Patron.objects.filter(guardian=patron))


# --- programs -----------------------------------------------------------------------------------


@router.get("/programs", response={200: list[ProgramOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("programs.view_program")
def list_programs(request, upcoming: bool = False):
    """Staff with ``programs.view_program``: every program (or only those with a session to come)."""
    return queries.upcoming_programs() if upcoming else queries.programs().order_by("title", "id")


@router.get("/programs/{program_id}", response={200: ProgramOut, **ERRORS})
@staff_endpoint("programs.view_program")
def get_program(request, program_id: int):
    """Staff with ``programs.view_program``."""
    return _program(program_id)


@router.post("/programs", response={201: ProgramOut, **ERRORS})
@staff_endpoint("programs.manage_programs")
def create_program(request, payload: ProgramIn):
    """Staff with ``programs.manage_programs`` (``programs.program.create``)."""
    data = payload.model_dump()
    data["branch"] = _branch(data["branch"])
    data["leader"] = _staff(data["leader"])
    program = actions.create_program(actor=request.user, **data)
    return Status(201, _program(program.pk))


@router.patch("/programs/{program_id}", response={200: ProgramOut, **ERRORS})
@staff_endpoint("programs.manage_programs")
def update_program(request, program_id: int, payload: ProgramPatch):
    """Staff with ``programs.manage_programs``; more places move the waiting list up."""
    program = _program(program_id)
    changes = payload.model_dump(exclude_unset=True)
    for field in ("title", "branch", "capacity", "kind", "registration_open", "registration_mode", "description"):
        if field in changes and changes[field] is None:
            raise ValidationFailed(_("The field “%(field)s” is not valid.") % {"field": field}, field=field)
    if "branch" in changes:
        changes["branch"] = _branch(changes["branch"])
    if "leader" in changes:
        changes["leader"] = _staff(changes["leader"])
    actions.update_program(program=program, actor=request.user, **changes)
    return _program(program_id)


@router.get("/programs/{program_id}/sessions", response={200: list[SessionOut], **ERRORS})
@staff_endpoint("programs.view_programsession")
def list_sessions(request, program_id: int):
    """Staff with ``programs.view_programsession``: a program's sessions in date order."""
    program = _program(program_id)
    return list(program.sessions.select_related("branch", "leader"))


@router.post("/programs/{program_id}/sessions", response={201: SessionOut, **ERRORS})
@staff_endpoint("programs.manage_programs")
def add_session(request, program_id: int, payload: SessionIn):
    """Staff with ``programs.manage_programs`` (branch and leader default to the program's)."""
    program = _program(program_id)
    data = payload.model_dump()
    data["branch"] = _branch(data["branch"]) if data["branch"] else None
    data["leader"] = _staff(data["leader"])
    session = actions.add_session(program=program, actor=request.user, **data)
    return Status(201, _session(session.pk))


@router.patch("/sessions/{session_id}", response={200: SessionOut, **ERRORS})
@staff_endpoint("programs.manage_programs")
def update_session(request, session_id: int, payload: SessionPatch):
    """Staff with ``programs.manage_programs``: move a session or change its room or leader."""
    session = _session(session_id)
    changes = payload.model_dump(exclude_unset=True)
    for field in ("date", "start_time", "end_time", "branch", "room"):
        if field in changes and changes[field] is None:
            raise ValidationFailed(_("The field “%(field)s” is not valid.") % {"field": field}, field=field)
    if "branch" in changes:
        changes["branch"] = _branch(changes["branch"])
    if "leader" in changes:
        changes["leader"] = _staff(changes["leader"])
    actions.update_session(session=session, actor=request.user, **changes)
    return _session(session_id)


@router.get("/sessions/{session_id}/attendance", response={200: list[RosterOut], **ERRORS})
@staff_endpoint("programs.take_attendance")
def session_roster(request, session_id: int):
    """Staff with ``programs.take_attendance``: the registered patrons and who was present."""
    return [
        {
            "registration": r.pk,
            "card_number": r.patron.card_number,
            "patron_name": r.patron.full_name,
            "present": r.present,
        }
        for r in queries.roster(_session(session_id))
    ]


@router.put("/sessions/{session_id}/attendance", response={200: list[RosterOut], **ERRORS})
@staff_endpoint("programs.take_attendance")
def set_attendance(request, session_id: int, payload: AttendanceIn):
    """Staff with ``programs.take_attendance``: the registrations present (everyone else absent)."""
    session = _session(session_id)
    actions.set_attendance(session=session, present=payload.present, actor=request.user)
    return session_roster(request, session_id)


# --- registrations ------------------------------------------------------------------------------


@router.get("/registrations", response={200: list[RegistrationOut], **ERRORS})
@paginate(Pagination)
@patron_endpoint("programs.view_registration")
def list_registrations(request, filters: Query[RegistrationFilters]):
    """Staff with ``programs.view_registration``: every registration; a patron: only their own and
    their wards'. Filters: program, status, card."""
    rows = _visible_registrations(request)
    if filters.program:
        rows = rows.filter(program_id=filters.program)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.card:
        rows = rows.filter(patron__card_number__iexact=filters.card.strip())
    return rows.order_by("program_id", "status", "queued_at", "id")


def _registration(request, registration_id: int):
    """A registration the caller may see (:func:`_visible_registrations`), or 404."""
    return get_or_error(
        _visible_registrations(request), RegistrationNotFound, {"registration": registration_id}, pk=registration_id
    )


@router.get("/registrations/{registration_id}", response={200: RegistrationOut, **ERRORS})
@patron_endpoint("programs.view_registration")
def get_registration(request, registration_id: int):
    """Staff with ``programs.view_registration``, or the patron (or guardian) it belongs to."""
    return _registration(request, registration_id)


@router.post("/registrations", response={201: RegistrationOut, **ERRORS})
@patron_endpoint("programs.register_patrons")
def create_registration(request, payload: RegistrationIn):
    """Staff with ``programs.register_patrons`` register anyone; a patron registers themselves or a
    ward. Full → the waiting list (``status: waiting`` with its ``position``)."""
    program = get_or_error(Program.objects.all(), ProgramNotFound, {"program": payload.program}, pk=payload.program)
    try:
        patron = actions.find_patron_by_card(payload.card)
    except NotFound as error:
        error.field = "card"
        raise
    registration = actions.register(program=program, patron=patron, actor=request.user)
    return Status(201, queries.registrations().get(pk=registration.pk))


@router.post("/registrations/{registration_id}/cancel", response={200: RegistrationOut, **ERRORS})
@patron_endpoint("programs.register_patrons")
def cancel_registration(request, registration_id: int):
    """Staff with ``programs.register_patrons``, or the patron (or guardian): the first on the
    waiting list moves up."""
    registration = _registration(request, registration_id)
    actions.cancel_registration(registration=registration, actor=request.user)
    return queries.registrations().get(pk=registration_id)


@router.post("/registrations/{registration_id}/attendance", response={200: RegistrationOut, **ERRORS})
@staff_endpoint("programs.take_attendance")
def mark_attendance(request, registration_id: int, payload: MarkIn):
    """Staff with ``programs.take_attendance``: mark this registered patron present at a session."""
    registration = _registration(request, registration_id)
    session = get_or_error(
        ProgramSession.objects.select_related("program"),
        SessionNotFound,
        {"session": payload.session},
        pk=payload.session,
    )
    actions.mark_present(session=session, registration=registration, actor=request.user)
    return queries.registrations().get(pk=registration_id)


# --- help requests ------------------------------------------------------------------------------


api.add_router("/", router)

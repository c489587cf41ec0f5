"""Reads shared by the programs pages and the API: programs with their counts, rosters, statistics,
a patron's registrations with waiting-list positions, the help-request queue and response times."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import RegistrationStatus
from .models import Attendance, Program, ProgramSession, Registration


def _registrations_count(status: str) -> Coalesce:
    rows = (
        Registration.objects.filter(program=OuterRef("pk"), status=status)
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def programs(today: datetime.date | None = None) -> QuerySet:
    """Every program with ``registered_count``, ``waiting_count``, ``places_left``, ``next_date`` and
    ``session_count`` (one query)."""
    today = today or timezone.localdate()
    next_date = (
        ProgramSession.objects.filter(program=OuterRef("pk"), date__gte=today).order_by("date").values("date")[:1]
    )
    sessions = (
        ProgramSession.objects.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        Program.objects.select_related("branch", "leader")
        .annotate(
            registered_count=_registrations_count(RegistrationStatus.REGISTERED),
            waiting_count=_registrations_count(RegistrationStatus.WAITING),
            next_date=Subquery(next_date),
            session_count=Coalesce(Subquery(sessions, output_field=IntegerField()), Value(0)),
        )
        .annotate(places_left=F("capacity") - F("registered_count"))
    )


def upcoming_programs(today: datetime.date | None = None) -> QuerySet:
    """Programs with a session today or later, the soonest first (the public list)."""
    return programs(today).filter(next_date__isnull=False).order_by("next_date", "title", "id")


def upcoming_sessions(program: Program, today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return program.sessions.filter(date__gte=today).select_related("branch", "leader")


def waiting_position() -> Subquery:
    """For a waiting registration: how many wait before it, plus one (annotate on Registration)."""
    ahead = (
        Registration.objects.filter(program=OuterRef("program"), status=RegistrationStatus.WAITING)
        .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk")))
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1


def registrations() -> QuerySet:
    """Registrations with their program, patron and (for the waiting list) ``position``."""
    return Registration.objects.select_related("program__branch", "patron", "registered_by").annotate(
        position=waiting_position()
    )


def registrations_of(patrons) -> QuerySet:
    """The registrations of these patrons (a patron and their wards), soonest program first."""
    today = timezone.localdate()
    next_date = (
        ProgramSession.objects.filter(program=OuterRef("program"), date__gte=today).order_by("date").values("date")[:1]
    )
    return (
        registrations()
        .filter(patron__in=patrons)
        .annotate(next_date=Subquery(next_date))
        .order_by(F("next_date").asc(nulls_last=True), "-queued_at")
    )


def roster(session: ProgramSession) -> QuerySet:
    """The registered patrons of a session's program, each with ``present`` (attendance marked)."""
    marked = Attendance.objects.filter(session=session, registration=OuterRef("pk"))
    return (
        Registration.objects.filter(program_id=session.program_id, status=RegistrationStatus.REGISTERED)
        .select_related("patron")
        .annotate(present=Exists(marked))
        .order_by("patron__last_name", "patron__first_name", "patron__card_number")
    )


def waiting_list(program: Program) -> QuerySet:
    return (
        Registration.objects.filter(program=program, status=RegistrationStatus.WAITING)
        .select_related("patron")
        .order_by("queued_at", "id")
    )


@dataclass
class SessionStats:
    session: ProgramSession
    present: int
    registered: int
    is_past: bool

    @property
    def rate(self) -> float | None:
        return self.present / self.registered if self.registered and self.is_past else None


@dataclass
class ProgramStats:
    registered: int
    waiting: int
    cancelled: int
    sessions: list[SessionStats]

    @property
    def held(self) -> list[SessionStats]:
        return [s for s in self.sessions if s.is_past]

    @property
    def present(self) -> int:
        return sum(s.present for s in self.held)

    @property
    def rate(self) -> float | None:
        places = sum(s.registered for s in self.held)
        return self.present / places if places else None


def program_stats(program: Program, today: datetime.date | None = None) -> ProgramStats:
    """Registrations (registered, waiting, cancelled) and attendance per session and overall. The
    rate of a session held is the share of the registered patrons who came (two queries)."""
    today = today or timezone.localdate()
    counts = dict(Registration.objects.filter(program=program).order_by().values_list("status").annotate(n=Count("pk")))
    registered = counts.get(RegistrationStatus.REGISTERED, 0)
    sessions = program.sessions.select_related("branch").annotate(present=Count("attendances"))
    return ProgramStats(
        registered=registered,
        waiting=counts.get(RegistrationStatus.WAITING, 0),
        cancelled=counts.get(RegistrationStatus.CANCELLED, 0),
        sessions=[SessionStats(s, s.present, registered, s.date <= today) for s in sessions],
    )


# --- help requests ------------------------------------------------------------------------------

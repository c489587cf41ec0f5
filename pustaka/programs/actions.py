"""Programs and help: every write.

Programs: create and change a program and its sessions; register a patron (by staff, or by the
patron or their guardian in the catalogue), with a waiting list that moves up in order when a place
frees; cancel; take attendance; send each reminder once. Help requests: ask, assign, answer (emailed
to the asker), close.

Each action is declared with :func:`pustaka.core.registry.action` (its verb, permission and label
beside it): keyword-only, atomic, refused for an actor without the permission, audited in the same
transaction, e-mail only after the commit. Registering and cancelling are also the patron's own
(``self_service``): the body checks who may.
"""

import datetime
import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.mail import send_templated_mail
from pustaka.core.models import Branch
from pustaka.core.permissions import acting_user, has, is_staff_member, require
from pustaka.core.registry import action
from pustaka.core.validators import BAD_CHARACTERS, BLANK, TOO_LONG, clean_text
from pustaka.patrons.queries import mail_address

from .choices import ProgramKind, RegistrationMode, RegistrationStatus
from .errors import (
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
from .models import Attendance, Program, ProgramSession, Registration
from .transitions import REGISTRATIONS

logger = logging.getLogger(__name__)

MAX_AGE = 120
MAX_CAPACITY = 10_000
MAX_NAME = 150

PROGRAM_FIELDS = [
    "title",
    "description",
    "kind",
    "branch",
    "min_age",
    "max_age",
    "capacity",
    "leader",
    "registration_open",
    "registration_mode",
]
SESSION_FIELDS = ["date", "start_time", "end_time", "room", "branch", "leader"]


#: The verb a registration moved up from the waiting list writes (by whichever action freed the place).
PROMOTED = _("Moved up from the waiting list")


# --- helpers ------------------------------------------------------------------------------------


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


#: How the program pages word a text that is wrong.
TEXT_WORDS = {
    BAD_CHARACTERS: _("“%(label)s” contains characters that cannot be stored."),
    BLANK: _("“%(label)s” is required."),
    TOO_LONG: _("“%(label)s” may be at most %(max)s characters long."),
}


def _clean_text(value, *, field: str, max_length: int, required: bool = False, label=None) -> str:
    return clean_text(
        value,
        field=field,
        label=label,
        max_length=max_length,
        required=required,
        error=InvalidProgram,
        words=TEXT_WORDS,
    )


def _age_value(value, field: str):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= MAX_AGE or (isinstance(value, float) and value != number):
        raise InvalidProgram(_("Ages are whole numbers of years from 0 to %(max)s.") % {"max": MAX_AGE}, field=field)
    return number


def _check_leader(leader, field: str = "leader") -> None:
    if leader is not None and not is_staff_member(leader):
        raise InvalidProgram(_("The leader must be a member of staff."), field=field)


def _validate_program(data: dict) -> dict:
    data["title"] = _clean_text(data.get("title"), field="title", max_length=200, required=True, label=_("title"))
    data["description"] = _clean_text(data.get("description"), field="description", max_length=5000)
    if data.get("kind") not in ProgramKind.values:
        raise InvalidProgram(_("Choose the kind of program from the list."), field="kind")
    if data.get("registration_mode") not in RegistrationMode.values:
        raise InvalidProgram(_("Choose who registers from the list."), field="registration_mode")
    if not isinstance(data.get("branch"), Branch):
        raise InvalidProgram(_("Choose the branch."), field="branch")
    capacity = data.get("capacity")
    try:
        valid = not isinstance(capacity, bool) and int(capacity) == capacity and 1 <= int(capacity) <= MAX_CAPACITY
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise InvalidProgram(
            _("The number of places must be a whole number from 1 to %(max)s.") % {"max": MAX_CAPACITY},
            field="capacity",
        )
    data["capacity"] = int(capacity)
    data["min_age"] = _age_value(data.get("min_age"), "min_age")
    data["max_age"] = _age_value(data.get("max_age"), "max_age")
    if data["min_age"] is not None and data["max_age"] is not None and data["min_age"] > data["max_age"]:
        raise InvalidProgram(_("The maximum age cannot be below the minimum age."), field="max_age")
    _check_leader(data.get("leader"))
    data["registration_open"] = bool(data.get("registration_open"))
    return data


def _validate_session(data: dict) -> dict:
    for field, kind in (("date", datetime.date), ("start_time", datetime.time), ("end_time", datetime.time)):
        value = data.get(field)
        if not isinstance(value, kind) or isinstance(value, datetime.datetime):
            raise InvalidProgram(_("Give the session's date and its start and end times."), field=field)
    if data["end_time"] <= data["start_time"]:
        raise InvalidProgram(_("A session must end after it starts."), field="end_time")
    data["room"] = _clean_text(data.get("room"), field="room", max_length=100, label=_("room"))
    if not isinstance(data.get("branch"), Branch):
        raise InvalidProgram(_("Choose the branch."), field="branch")
    _check_leader(data.get("leader"))
    return data


# --- programs and sessions ----------------------------------------------------------------------


@action("programs.program.create", permission="programs.manage_programs", label=_("Program created"))
def create_program(
    *,
    actor,
    title: str,
    branch: Branch,
    capacity: int,
    kind: str = ProgramKind.OTHER,
    description: str = "",
    min_age: int | None = None,
    max_age: int | None = None,
    leader=None,
    registration_open: bool = True,
    registration_mode: str = RegistrationMode.PUBLIC,
) -> Program:
    """Create a program (a series); sessions are added with :func:`add_session`."""
    data = _validate_program(
        {
            "title": title,
            "branch": branch,
            "capacity": capacity,
            "kind": kind,
            "description": description,
            "min_age": min_age,
            "max_age": max_age,
            "leader": leader,
            "registration_open": registration_open,
            "registration_mode": registration_mode,
        }
    )
    program = Program.objects.create(created_by=acting_user(actor), **data)
    audit(actor, "programs.program.create", program, after=snapshot(program, PROGRAM_FIELDS))
    return program


@action(
    "programs.program.update",
    permission="programs.manage_programs",
    label=_("Program changed"),
    labels={"programs.registration.promote": PROMOTED},
)
def update_program(*, program: Program, actor, now=None, **changes) -> Program:
    """Change a program's details. More places move people up from the waiting list (in order)."""
    unknown = set(changes) - set(PROGRAM_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise InvalidProgram(_("“%(field)s” cannot be changed.") % {"field": field}, field=field)
    locked = Program.objects.select_for_update().get(pk=program.pk)
    before = snapshot(locked, PROGRAM_FIELDS)
    data = {field: getattr(locked, field) for field in PROGRAM_FIELDS} | changes
    data = _validate_program(data)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.save()
    old, new = diff(before, snapshot(locked, PROGRAM_FIELDS))
    if new:
        audit(actor, "programs.program.update", locked, before=old, after=new)
    _fill_places(locked, actor=actor, now=now)
    return locked


@action("programs.session.create", permission="programs.manage_programs", label=_("Session added"))
def add_session(
    *,
    program: Program,
    actor,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    room: str = "",
    branch: Branch | None = None,
    leader=None,
) -> ProgramSession:
    """Add a session (date, times, room) to a program; branch and leader default to the program's."""
    data = _validate_session(
        {
            "date": date,
            "start_time": start_time,
            "end_time": end_time,
            "room": room,
            "branch": branch or program.branch,
            "leader": leader if leader is not None else program.leader,
        }
    )
    session = ProgramSession.objects.create(program=program, **data)
    audit(actor, "programs.session.create", session, after=snapshot(session, SESSION_FIELDS))
    return session


@action("programs.session.update", permission="programs.manage_programs", label=_("Session changed"))
def update_session(*, session: ProgramSession, actor, **changes) -> ProgramSession:
    """Move a session (date, times), change its room, branch or leader."""
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise InvalidProgram(_("“%(field)s” cannot be changed.") % {"field": field}, field=field)
    locked = ProgramSession.objects.select_for_update().get(pk=session.pk)
    before = snapshot(locked, SESSION_FIELDS)
    data = _validate_session({field: getattr(locked, field) for field in SESSION_FIELDS} | changes)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.save()
    old, new = diff(before, snapshot(locked, SESSION_FIELDS))
    if new:
        audit(actor, "programs.session.update", locked, before=old, after=new)
    return locked


# --- registrations ------------------------------------------------------------------------------


def is_staff_registrar(actor) -> bool:
    """Staff who may register any patron (rather than a patron registering themselves)."""
    return actor is not None and is_staff_member(actor) and has(actor, "programs.register_patrons")


def may_act_for(actor, patron) -> bool:
    """A patron's own login, or their guardian's login, may act for them in the catalogue."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if patron.user_id is not None and patron.user_id == actor.pk:
        return True
    guardian = patron.guardian
    return guardian is not None and guardian.user_id is not None and guardian.user_id == actor.pk


def _age_reference_day(program: Program, today: datetime.date) -> datetime.date:
    upcoming = program.sessions.filter(date__gte=today).order_by("date").values_list("date", flat=True).first()
    return upcoming or today


def check_can_register(*, program: Program, patron, actor, today: datetime.date | None = None) -> None:
    """Raise the reason ``actor`` may not register ``patron`` for ``program`` (or return quietly)."""
    from pustaka.circulation.errors import NotYourAccount

    today = today or timezone.localdate()
    if not is_staff_registrar(actor):
        if not may_act_for(actor, patron):
            raise NotYourAccount()
        if program.registration_mode != RegistrationMode.PUBLIC:
            raise StaffOnlyRegistration(program=program.title)
    if not program.registration_open:
        raise RegistrationClosed(program=program.title)
    if not patron.is_active:
        raise PatronInactive(patron=patron.full_name)
    if program.min_age is not None or program.max_age is not None:
        if patron.date_of_birth is None:
            raise AgeUnknown(program=program.title, range=program.age_range, patron=patron.full_name)
        age = _age(patron.date_of_birth, _age_reference_day(program, today))
        if (program.min_age is not None and age < program.min_age) or (
            program.max_age is not None and age > program.max_age
        ):
            raise AgeOutOfRange(patron=patron.full_name, age=age, program=program.title, range=program.age_range)
    existing = (
        Registration.objects.filter(program=program, patron=patron, status__in=RegistrationStatus.active())
        .values_list("status", flat=True)
        .first()
    )
    if existing == RegistrationStatus.REGISTERED:
        raise AlreadyRegistered(patron=patron.full_name, program=program.title)
    if existing == RegistrationStatus.WAITING:
        raise AlreadyWaiting(patron=patron.full_name, program=program.title)


def _confirmed_count(program: Program) -> int:
    return Registration.objects.filter(program=program, status=RegistrationStatus.REGISTERED).count()


@action(
    "programs.registration.create",
    permission="programs.register_patrons",
    self_service=True,
    label=_("Registered for a program"),
)
def register(*, program: Program, patron, actor, now=None) -> Registration:
    """Register a patron for a program; when every place is taken they go on the waiting list.

    Staff with ``programs.register_patrons`` may register anyone (also for staff-only programs); a
    patron may register themselves or a child whose guardian they are, when registration is public.
    Refused: registration closed, age outside the range (or unknown), already registered or waiting.
    Permission checked inside: staff need ``programs.register_patrons``; a patron may register only
    themselves or their child.
    """
    now = now or timezone.now()
    if not is_staff_registrar(actor) and is_staff_member(actor):
        require(actor, register.permission)  # staff without the permission: 403, not "your account"
    locked = Program.objects.select_for_update().get(pk=program.pk)
    check_can_register(program=locked, patron=patron, actor=actor, today=timezone.localdate(now))
    full = _confirmed_count(locked) >= locked.capacity
    status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                program=locked, patron=patron, status=status, queued_at=now, registered_by=acting_user(actor)
            )
    except IntegrityError:  # the same patron registered at the same instant elsewhere
        raise AlreadyRegistered(patron=patron.full_name, program=locked.title) from None
    audit(
        actor,
        "programs.registration.create",
        registration,
        after={"program": locked.pk, "patron": patron.card_number, "status": status},
    )
    return registration


def _fill_places(program: Program, *, actor, now=None) -> list[Registration]:
    """Move people up from the waiting list, first come first served, while places are free."""
    free = program.capacity - _confirmed_count(program)
    if free <= 0:
        return []
    now = now or timezone.now()
    waiting = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(program=program, status=RegistrationStatus.WAITING)
        .select_related("patron__guardian")
        .order_by("queued_at", "id")[:free]
    )
    for registration in waiting:
        rule = REGISTRATIONS.move(registration, to=RegistrationStatus.REGISTERED, actor=actor)
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        audit(
            actor,
            rule.verb,
            registration,
            before={"status": RegistrationStatus.WAITING},
            after={"status": RegistrationStatus.REGISTERED, "patron": registration.patron.card_number},
        )
        transaction.on_commit(lambda pk=registration.pk: _send_promotion(pk))
    return waiting


def _send_promotion(registration_pk: int) -> None:
    registration = (
        Registration.objects.select_related("program__branch", "patron__guardian").filter(pk=registration_pk).first()
    )
    if registration is None:
        return
    patron = registration.patron
    sessions = list(registration.program.sessions.filter(date__gte=timezone.localdate())[:10])
    send_templated_mail(
        mail_address(patron),
        "programs/email/promoted",
        {"registration": registration, "program": registration.program, "patron": patron, "sessions": sessions},
        patron.language,
    )


@action(
    "programs.registration.cancel",
    permission="programs.register_patrons",
    self_service=True,
    label=_("Registration cancelled"),
    labels={"programs.registration.promote": PROMOTED},
)
def cancel_registration(*, registration: Registration, actor, now=None) -> Registration:
    """Cancel a registration (staff, the patron or their guardian). A freed place goes to the first
    person on the waiting list, who is told by e-mail.
    Permission checked inside: staff need ``programs.register_patrons``; a patron may cancel only
    their own registration or their child's."""
    from pustaka.circulation.errors import NotYourAccount

    now = now or timezone.now()
    locked_program = Program.objects.select_for_update().get(pk=registration.program_id)
    locked = (
        Registration.objects.select_for_update(of=("self",)).select_related("patron__guardian").get(pk=registration.pk)
    )
    if is_staff_member(actor):
        require(actor, cancel_registration.permission)
    elif not may_act_for(actor, locked.patron):
        raise NotYourAccount()
    before = locked.status
    rule = REGISTRATIONS.move(locked, to=RegistrationStatus.CANCELLED, actor=actor, refused=RegistrationNotActive)
    locked.cancelled_at = now
    locked.cancelled_by = acting_user(actor)
    locked.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    audit(
        actor,
        rule.verb,
        locked,
        before={"status": before},
        after={"status": locked.status, "patron": locked.patron.card_number},
    )
    if before == RegistrationStatus.REGISTERED:
        _fill_places(locked_program, actor=actor, now=now)
    return locked


# --- attendance ---------------------------------------------------------------------------------


def _registered(session: ProgramSession):
    return Registration.objects.filter(program_id=session.program_id, status=RegistrationStatus.REGISTERED)


@action("programs.attendance.take", permission="programs.take_attendance", label=_("Attendance taken"))
def set_attendance(*, session: ProgramSession, present: Iterable[int], actor) -> tuple[int, int]:
    """Record who was at a session: ``present`` are the ids of the registrations present; every other
    registered patron is absent. Returns (marked present, unmarked)."""
    try:
        wanted = {int(pk) for pk in present}
    except (TypeError, ValueError):
        raise InvalidProgram(_("Tick the patrons who are present."), field="present") from None
    registered = set(_registered(session).values_list("pk", flat=True))
    stray = wanted - registered
    if stray:
        raise InvalidProgram(
            _("Registration #%(registration)s is not a registered place of this program.")
            % {"registration": min(stray)},
            field="present",
        )
    marked = set(Attendance.objects.filter(session=session).values_list("registration_id", flat=True))
    to_add, to_remove = wanted - marked, marked - wanted
    Attendance.objects.bulk_create(
        [Attendance(session=session, registration_id=pk, marked_by=acting_user(actor)) for pk in sorted(to_add)]
    )
    if to_remove:
        Attendance.objects.filter(session=session, registration_id__in=to_remove).delete()
    if to_add or to_remove:
        audit(
            actor,
            "programs.attendance.take",
            session,
            before={"present": sorted(marked)},
            after={"present": sorted(wanted)},
        )
    return len(to_add), len(to_remove)


def find_patron_by_card(card: str):
    """The patron with this card number (spaces ignored, any case), or PatronNotFound."""
    try:
        from pustaka.patrons.queries import get_by_card
    except ImportError:  # pragma: no cover - the patrons app's reads arrive with its own issue
        get_by_card = None
    if get_by_card is not None:
        return get_by_card(card)
    from pustaka.circulation.errors import PatronNotFound
    from pustaka.patrons.models import Patron

    clean = "".join((card or "").split())
    patron = Patron.objects.filter(card_number__iexact=clean).first() if clean and "\x00" not in clean else None
    if patron is None:
        raise PatronNotFound(card=clean)
    return patron


@action("programs.attendance.mark", permission="programs.take_attendance", label=_("Attendance marked"))
def mark_present(*, session: ProgramSession, actor, card: str = "", registration: Registration | None = None):
    """Mark one registered patron present (by scanning their card, or by registration). Marking twice
    is harmless. Returns the registration."""
    if registration is None:
        patron = find_patron_by_card(card)
        registration = (
            Registration.objects.filter(
                program_id=session.program_id, patron=patron, status__in=RegistrationStatus.active()
            )
            .select_related("patron")
            .first()
        )
        if registration is None:
            raise NotRegisteredForProgram(patron=patron.full_name, program=session.program.title)
    if registration.program_id != session.program_id or registration.status == RegistrationStatus.CANCELLED:
        raise NotRegisteredForProgram(patron=registration.patron.full_name, program=session.program.title)
    if registration.status == RegistrationStatus.WAITING:
        raise WaitingNotRegistered(patron=registration.patron.full_name, program=session.program.title)
    attendance, created = Attendance.objects.get_or_create(
        session=session, registration=registration, defaults={"marked_by": acting_user(actor)}
    )
    if created:
        audit(actor, "programs.attendance.mark", session, after={"present": registration.patron.card_number})
    return registration


# --- reminders ----------------------------------------------------------------------------------


def reminder_key(session: ProgramSession, registration: Registration) -> str:
    """The notice key that makes each reminder go out once."""
    return f"program-reminder:{session.pk}:{registration.pk}"


def _reminder_recipient(patron):
    """Who a reminder reaches: the patron, or a child's guardian when the child has no e-mail or phone."""
    if patron.email or patron.phone or patron.guardian is None:
        return patron
    return patron.guardian


@action("programs.reminders.send", permission="programs.send_reminders", label=_("Reminders sent"), atomic=False)
def send_reminders(*, actor=None, today: datetime.date | None = None) -> int:
    """Remind every registered patron whose session is tomorrow, through the notice channels they chose
    (e-mail, WhatsApp, SMS: :func:`pustaka.circulation.notices.send_notice`, like due-soon and overdue
    notices). Each reminder is a ``Notice`` with a unique key and each WhatsApp/SMS message a logged
    delivery, so none goes out twice; a failed one is retried. Returns how many reminders went out.

    Not one transaction: call it outside one (the worker, the command); each notice commits on its own
    and the closing audit row in a transaction of its own."""
    from pustaka.circulation.choices import NoticeKind
    from pustaka.circulation.models import Notice
    from pustaka.circulation.notices import send_notice

    today = today or timezone.localdate()
    day = today + datetime.timedelta(days=1)
    sessions = list(ProgramSession.objects.filter(date=day).select_related("program", "branch"))
    if not sessions:
        return 0
    registrations = list(
        Registration.objects.filter(
            program_id__in={s.program_id for s in sessions}, status=RegistrationStatus.REGISTERED
        ).select_related("patron__guardian")
    )
    keys = [reminder_key(s, r) for s in sessions for r in registrations if r.program_id == s.program_id]
    done = set(Notice.objects.filter(key__in=keys, sent_at__isnull=False).values_list("key", flat=True))
    sent = 0
    for session in sessions:
        for registration in registrations:
            key = reminder_key(session, registration)
            if registration.program_id != session.program_id or key in done:
                continue
            recipient = _reminder_recipient(registration.patron)
            context = {"session": session, "program": session.program, "participant": registration.patron}
            notice = send_notice(
                patron=recipient, kind=NoticeKind.PROGRAM_REMINDER, key=key, context=context, actor=None
            )
            if notice is not None and (notice.sent_at is not None or notice.deliveries.exists()):
                sent += 1
    if sent:
        with transaction.atomic():
            audit(actor, "programs.reminders.send", None, after={"day": day.isoformat(), "count": sent})
    return sent


__all__ = [
    "add_session",
    "cancel_registration",
    "check_can_register",
    "create_program",
    "mark_present",
    "register",
    "send_reminders",
    "set_attendance",
    "update_program",
    "update_session",
]

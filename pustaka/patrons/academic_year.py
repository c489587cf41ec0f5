"""Classes, faculties and programmes, and the new academic year: move classes up, graduates leave.

The preview and the action read one plan (:func:`plan`), so the preview is what happens. The plan
carries a token (a digest of every change); the action refuses a token that no longer matches (a
class or a member changed since the preview). Each run keeps what it changed, so
:func:`undo_academic_year` restores it exactly within :data:`UNDO_DAYS` days.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.audit import build as build_audit
from pustaka.core.models import AuditEvent
from pustaka.core.permissions import acting_user
from pustaka.core.registry import action
from pustaka.core.validators import text_problem

from . import errors
from .choices import UnitKind
from .models import AcademicYearRun, InstitutionUnit, Patron

UNDO_DAYS = 7
UNIT_FIELDS = ["code", "name", "kind", "parent", "next_unit", "is_final", "is_active"]


# --- Classes, faculties and programmes ----------------------------------------------------------


def _clean_unit(values: dict, *, instance: InstitutionUnit | None) -> dict:
    code = str(values.get("code") or "").strip().upper()
    if not code or len(code) > 32 or any(ch.isspace() for ch in code):
        raise errors.UnitInvalid(field="code", reason=_("A code is 1 to 32 characters without spaces, e.g. VII-A."))
    name, problem = text_problem(values.get("name") or code, max_length=150)
    if problem:
        raise errors.UnitInvalid(field="name", reason=_("A name is at most 150 characters."))
    kind = values.get("kind") or UnitKind.CLASS
    if kind not in UnitKind.values:
        raise errors.UnitInvalid(field="kind", reason=_("Choose a class, a faculty or a study programme."))
    others = InstitutionUnit.objects.filter(code__iexact=code)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise errors.UnitInvalid(field="code", reason=_("Another unit has the code %(code)s.") % {"code": code})
    parent, next_unit = values.get("parent"), values.get("next_unit")
    is_final = bool(values.get("is_final"))
    if is_final and next_unit is not None:
        raise errors.UnitInvalid(field="next_unit", reason=_("A final year has no next class: its members graduate."))
    if instance is not None and instance.pk in {getattr(parent, "pk", None), getattr(next_unit, "pk", None)}:
        raise errors.UnitInvalid(field="next_unit", reason=_("A unit cannot move up to itself or be part of itself."))
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "parent": parent,
        "next_unit": next_unit,
        "is_final": is_final,
        "is_active": bool(values.get("is_active", True)),
    }


@action("patrons.unit.create", permission="patrons.manage_units", label=_("Class or programme added"))
def create_unit(
    *, actor, code: str, name: str = "", kind: str = UnitKind.CLASS, parent=None, next_unit=None, is_final=False
) -> InstitutionUnit:
    """Add a class (VII-A), a faculty or a study programme; ``next_unit`` is where its members move up to."""
    clean = _clean_unit(
        {"code": code, "name": name, "kind": kind, "parent": parent, "next_unit": next_unit, "is_final": is_final},
        instance=None,
    )
    unit = InstitutionUnit.objects.create(**clean)
    audit(actor, "patrons.unit.create", unit, after=snapshot(unit, UNIT_FIELDS))
    return unit


@action("patrons.unit.update", permission="patrons.manage_units", label=_("Class or programme changed"))
def update_unit(*, unit: InstitutionUnit, actor, **changes) -> InstitutionUnit:
    """Change a unit: its name, where it moves up to, whether it is a final year."""
    locked = InstitutionUnit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(locked, UNIT_FIELDS)
    current = {name: getattr(locked, name) for name in UNIT_FIELDS}
    clean = _clean_unit({**current, **changes}, instance=locked)
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.save()
    old, new = diff(before, snapshot(locked, UNIT_FIELDS))
    if new:
        audit(actor, "patrons.unit.update", locked, before=old, after=new)
    return locked


# --- The new academic year ------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One patron's change: the unit before and after, the membership end before and after."""

    patron_id: int
    card_number: str
    name: str
    unit_from: int
    unit_to: int
    expires_from: datetime.date
    expires_to: datetime.date

    @property
    def graduates(self) -> bool:
        return self.unit_from == self.unit_to


@dataclass
class Plan:
    """What the new academic year will do, grouped by unit for the preview."""

    leave_on: datetime.date
    moves: list[Change] = field(default_factory=list)
    graduates: list[Change] = field(default_factory=list)
    units: dict = field(default_factory=dict)  # id → InstitutionUnit

    @property
    def changes(self) -> list[Change]:
        return [*self.moves, *self.graduates]

    @property
    def token(self) -> str:
        digest = hashlib.sha256()
        digest.update(self.leave_on.isoformat().encode())
        for c in sorted(self.changes, key=lambda c: c.patron_id):
            digest.update(f"|{c.patron_id}:{c.unit_from}>{c.unit_to}:{c.expires_from}>{c.expires_to}".encode())
        return digest.hexdigest()[:20]

    def by_unit(self) -> list[dict]:
        """One row per unit that changes: from, to (None: graduates), how many, who."""
        rows: dict[int, dict] = {}
        for c in self.changes:
            row = rows.setdefault(
                c.unit_from,
                {
                    "unit": self.units[c.unit_from],
                    "to": None if c.graduates else self.units[c.unit_to],
                    "patrons": [],
                },
            )
            row["patrons"].append(c)
        return sorted(rows.values(), key=lambda r: r["unit"].code)


def plan(*, leave_on: datetime.date) -> Plan:
    """What starting the new academic year would change now (read only; two queries)."""
    units = {u.pk: u for u in InstitutionUnit.objects.all()}
    result = Plan(leave_on=leave_on, units=units)
    rows = (
        Patron.objects.filter(is_active=True, unit__isnull=False)
        .order_by("unit__code", "last_name", "first_name", "card_number")
        .values_list("pk", "card_number", "first_name", "last_name", "unit_id", "expires_on")
    )
    for pk, card, first, last, unit_id, expires in rows:
        unit = units[unit_id]
        name = f"{first} {last}".strip()
        if unit.is_final:
            if expires > leave_on:
                result.graduates.append(Change(pk, card, name, unit_id, unit_id, expires, leave_on))
        elif unit.next_unit_id:
            result.moves.append(Change(pk, card, name, unit_id, unit.next_unit_id, expires, expires))
    return result


def _apply(changes, *, actor, verb_for, forward: bool, now) -> int:
    """Write ``changes`` (forward: to the new values; back: to the old ones) for the patrons still as
    the other side left them; one audit event per patron. Returns how many were written."""
    wanted = {c["patron"]: c for c in changes}
    patrons = list(Patron.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    written, events = [], []
    for patron in patrons:
        c = wanted[patron.pk]
        unit_old, unit_new = c["unit"]
        exp_old, exp_new = (datetime.date.fromisoformat(d) for d in c["expires_on"])
        source, target = (unit_old, exp_old), (unit_new, exp_new)
        if not forward:
            source, target = target, source
        if (patron.unit_id, patron.expires_on) != source:
            continue  # changed by someone since: left as it is
        patron.unit_id, patron.expires_on = target
        patron.updated_at = now
        written.append(patron)
        events.append(
            build_audit(
                actor,
                verb_for(c),
                patron,
                before={"unit": source[0], "expires_on": source[1].isoformat()},
                after={"unit": target[0], "expires_on": target[1].isoformat()},
            )
        )
    Patron.objects.bulk_update(written, ["unit", "expires_on", "updated_at"], batch_size=500)
    AuditEvent.objects.bulk_create(events, batch_size=500)
    return len(written)


YEAR_LABELS = {
    "patrons.academic_year.move_up": _("Moved up a class"),
    "patrons.academic_year.graduate": _("Graduated"),
    "patrons.academic_year.restore": _("New academic year undone for the patron"),
}


@action(
    "patrons.academic_year.start",
    permission="patrons.start_academic_year",
    label=_("New academic year started"),
    labels={k: v for k, v in YEAR_LABELS.items() if k != "patrons.academic_year.restore"},
)
def start_academic_year(*, actor, label: str, leave_on: datetime.date, token: str) -> AcademicYearRun:
    """Move every member of a class with a next class up, and end the membership of the members of
    final years on ``leave_on``, as the preview with ``token`` showed; undoable for UNDO_DAYS days."""
    label, problem = text_problem(label, max_length=20)
    if problem or not label:
        raise errors.UnitInvalid(field="label", reason=_("Name the academic year, e.g. 2026/2027."))
    current = plan(leave_on=leave_on)
    if current.token != token:
        raise errors.AcademicYearPlanChanged(field="token")
    if not current.changes:
        raise errors.AcademicYearNothingToDo()
    now = timezone.now()
    changes = [
        {
            "patron": c.patron_id,
            "unit": [c.unit_from, c.unit_to],
            "expires_on": [c.expires_from.isoformat(), c.expires_to.isoformat()],
        }
        for c in current.changes
    ]
    written = _apply(
        changes,
        actor=actor,
        forward=True,
        now=now,
        verb_for=lambda c: (
            "patrons.academic_year.graduate" if c["unit"][0] == c["unit"][1] else "patrons.academic_year.move_up"
        ),
    )
    if written != len(changes):  # a desk changed a member between the plan and the lock
        raise errors.AcademicYearPlanChanged(field="token")
    run = AcademicYearRun.objects.create(
        label=label,
        ran_by=acting_user(actor),
        graduates_leave_on=leave_on,
        moved=len(current.moves),
        graduated=len(current.graduates),
        changes=changes,
        undo_until=now + datetime.timedelta(days=UNDO_DAYS),
    )
    audit(actor, "patrons.academic_year.start", run, after={"moved": run.moved, "graduated": run.graduated})
    return run


@action(
    "patrons.academic_year.undo",
    permission="patrons.start_academic_year",
    label=_("New academic year undone"),
    labels={"patrons.academic_year.restore": YEAR_LABELS["patrons.academic_year.restore"]},
)
def undo_academic_year(*, run: AcademicYearRun, actor) -> tuple[int, int]:
    """Put every patron the run changed back in their class and membership end, within UNDO_DAYS days.

    A patron changed by hand since keeps that change. Returns (restored, left as changed since)."""
    locked = AcademicYearRun.objects.select_for_update().get(pk=run.pk)
    if locked.undone_at is not None:
        raise errors.AlreadyUndone()
    now = timezone.now()
    if now > locked.undo_until:
        raise errors.UndoWindowClosed(
            date=timezone.localtime(locked.ran_at).date().isoformat(),
            until=timezone.localtime(locked.undo_until).date().isoformat(),
        )
    restored = _apply(
        locked.changes, actor=actor, forward=False, now=now, verb_for=lambda c: "patrons.academic_year.restore"
    )
    locked.undone_at, locked.undone_by = now, acting_user(actor)
    locked.save(update_fields=["undone_at", "undone_by"])
    skipped = len(locked.changes) - restored
    audit(actor, "patrons.academic_year.undo", locked, after={"restored": restored, "kept": skipped})
    run.undone_at = locked.undone_at
    return restored, skipped

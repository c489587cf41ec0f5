"""Every write to the visitor book: visits (one, or a batch), the purposes of visits, kiosk screens.

Auditing: opening and closing a kiosk, and each change to the purposes, write an AuditEvent. A visit
does not: it is itself a fact row saying who recorded it (``recorded_by``, ``kiosk``, ``source``)
and when, it is never changed afterwards, and a busy library counts hundreds a day: an audit row per
visit would double the writes and flood the history pages without telling anyone anything the
visit row does not already say. A batch of visits (a gate counter's day, the demo history) writes
one audit event naming how many rows it added.

A kiosk records as the member of staff who opened it (``actor=kiosk.opened_by``), so their permission
is checked on every visit: when they lose it, the screen stops recording.
"""

import datetime
import hashlib
import re
import secrets

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import PustakaError
from pustaka.core.models import Branch
from pustaka.core.numbers import NumberNotUnderstood, format_number, parse_count
from pustaka.core.registry import action
from pustaka.core.validators import clean_text
from pustaka.reports import stats as report_stats

from . import errors
from .choices import VisitorCategory, VisitSource
from .models import KioskSession, Visit, VisitPurpose

__all__ = [
    "close_kiosk",
    "create_purpose",
    "open_kiosk",
    "record_visit",
    "record_visits",
    "update_purpose",
]

CODE_RE = re.compile(r"^[a-z0-9_-]{1,32}$")
MAX_GROUP = 10_000
MAX_BATCH = 200_000


def token_hash(token: str) -> str:
    """What is stored of a kiosk token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def _branch(value) -> Branch:
    if isinstance(value, Branch):
        return value
    found = Branch.objects.filter(code=str(value or "").strip().upper()).first()
    if found is None:
        raise errors.InvalidVisit(_("There is no branch “%(branch)s”."), field="branch", branch=value)
    return found


def _purpose(value, *, offered: bool = True) -> VisitPurpose:
    if isinstance(value, VisitPurpose):
        purpose = value
    else:
        text = str(value or "").strip()
        if not text:
            raise errors.InvalidVisit(_("Purpose: choose why you came."), field="purpose")
        lookup = {"pk": int(text)} if text.isdigit() else {"code": text.lower()}
        purpose = VisitPurpose.objects.filter(**lookup).first()
        if purpose is None:
            raise errors.PurposeNotFound(field="purpose", purpose=text)
    if offered and not purpose.is_active:
        raise errors.PurposeNotOffered(field="purpose", purpose=purpose.name)
    return purpose


def _count(value) -> int:
    try:
        count = (value if isinstance(value, int) else parse_count(str(value).strip())) if value not in (None, "") else 1
    except (TypeError, ValueError, ArithmeticError, NumberNotUnderstood):
        raise errors.InvalidVisit(
            _("Number of people: “%(value)s” is not a whole number."), field="count", value=value
        ) from None
    if count < 1 or count > MAX_GROUP:
        raise errors.InvalidVisit(
            _("Number of people: give a number from 1 to %(max)s."),
            field="count",
            max=format_number(MAX_GROUP),
        )
    return count


def _text(value, label, field_name: str, limit: int) -> str:
    return clean_text(value, field=field_name, label=label, max_length=limit, squeeze=True, error=errors.InvalidVisit)


def _visit(*, branch, purpose, card, patron, name, institution, category, count, at, source, kiosk, actor) -> Visit:
    """A checked, unsaved visit (shared by :func:`record_visit` and :func:`record_visits`)."""
    from pustaka.patrons.lookups import find_patron

    branch = _branch(branch)
    purpose = _purpose(purpose)
    count = _count(count)
    if patron is None and str(card or "").strip():
        patron = find_patron(card)
        if patron is None:
            raise errors.UnknownCard(field="card", card=" ".join(str(card).split())[:32])
    visit = Visit(
        branch=branch,
        purpose=purpose,
        count=count,
        visited_at=at or timezone.now(),
        source=source,
        kiosk=kiosk,
        recorded_by=actor if actor is not None and actor.pk else None,
    )
    if patron is not None:
        visit.patron = patron
        visit.patron_category_id = patron.category_id
        visit.category = VisitorCategory.MEMBER
        return visit
    visit.name = _text(name, _("Name"), "name", 150)
    visit.institution = _text(institution, _("Institution"), "institution", 200)
    if not visit.name:
        raise errors.InvalidVisit(_("Name: please write your name (or your group's)."), field="name")
    category = str(category or VisitorCategory.PUBLIC)
    if category not in VisitorCategory.values or category == VisitorCategory.MEMBER:
        raise errors.InvalidVisit(
            _("Visitor category: “%(value)s” is not one of the choices."), field="category", value=category
        )
    visit.category = category
    return visit


@action("visitors.visit.record", permission="visitors.record_visit", label=_("Visit recorded"))
def record_visit(
    *,
    actor,
    branch,
    purpose,
    card: str = "",
    patron=None,
    name: str = "",
    institution: str = "",
    category: str = VisitorCategory.PUBLIC,
    count=1,
    at: datetime.datetime | None = None,
    source: str = VisitSource.DESK,
    kiosk: KioskSession | None = None,
) -> Visit:
    """Count one arrival at ``branch``: a member by ``card`` (or ``patron``), or a visitor who is not
    one by ``name`` (with ``institution`` and ``category``); ``count`` people (a group is one visit).

    From a kiosk, ``kiosk`` is the open screen and ``actor`` the staff member who opened it; a closed
    screen is refused. Not audited per visit (see the module docstring): the row is the record.
    """
    if kiosk is not None:
        kiosk = KioskSession.objects.select_for_update().filter(pk=kiosk.pk).first()
        if kiosk is None or not kiosk.is_open:
            raise errors.KioskClosed()
        branch = kiosk.branch
        source = VisitSource.KIOSK
    visit = _visit(
        branch=branch,
        purpose=purpose,
        card=card,
        patron=patron,
        name=name,
        institution=institution,
        category=category,
        count=count,
        at=at,
        source=source,
        kiosk=kiosk,
        actor=actor,
    )
    visit.save()
    report_stats.count_visits([visit])
    return visit


@action("visitors.visit.record_batch", permission="visitors.record_visit", label=_("Visits recorded in a batch"))
def record_visits(*, actor, rows: list[dict], source: str = VisitSource.IMPORT, batch_size: int = 2000) -> int:
    """Add many visits at once (a gate counter's figures, a year of demo history): every row is
    checked as :func:`record_visit` checks it, then they are written with ``bulk_create``; one audit
    event says how many. A bad row refuses the whole batch (its number is in the message)."""
    if len(rows) > MAX_BATCH:
        raise errors.InvalidVisit(_("At most %(max)s visits in one batch."), field="rows", max=MAX_BATCH)
    branches = {b.code: b for b in Branch.objects.all()}
    purposes = {p.code: p for p in VisitPurpose.objects.all()}
    visits = []
    for number, row in enumerate(rows, start=1):
        row = dict(row)
        if isinstance(row.get("branch"), str):
            row["branch"] = branches.get(row["branch"].upper(), row["branch"])
        if isinstance(row.get("purpose"), str):
            row["purpose"] = purposes.get(row["purpose"].lower(), row["purpose"])
        try:
            visits.append(
                _visit(
                    branch=row.get("branch"),
                    purpose=row.get("purpose"),
                    card=row.get("card", ""),
                    patron=row.get("patron"),
                    name=row.get("name", ""),
                    institution=row.get("institution", ""),
                    category=row.get("category", VisitorCategory.PUBLIC),
                    count=row.get("count", 1),
                    at=row.get("at"),
                    source=source,
                    kiosk=None,
                    actor=actor,
                )
            )
        except PustakaError as error:
            raise errors.InvalidVisit(
                _("Row %(row)s: %(reason)s"), field=error.field or "rows", row=number, reason=error.text
            ) from None
    Visit.objects.bulk_create(visits, batch_size=batch_size)
    report_stats.count_visits(visits)
    if visits:
        audit(
            actor,
            "visitors.visit.record_batch",
            None,
            after={"visits": len(visits), "people": sum(v.count for v in visits), "source": source},
        )
    return len(visits)


# --- Kiosk screens -----------------------------------------------------------------------------------


@action("visitors.kiosk.open", permission="visitors.open_kiosk", label=_("Visitor kiosk opened"))
def open_kiosk(*, actor, branch, label: str = "") -> tuple[KioskSession, str]:
    """Open a kiosk screen for ``branch``; returns the session and its secret token (shown once, kept
    only in the screen's signed cookie; the database keeps its hash)."""
    branch = _branch(branch)
    token = secrets.token_urlsafe(32)
    kiosk = KioskSession.objects.create(
        branch=branch, label=_text(label, _("Screen"), "label", 100), token_hash=token_hash(token), opened_by=actor
    )
    audit(actor, "visitors.kiosk.open", kiosk, after={"branch": branch.code, "label": kiosk.label})
    return kiosk, token


@action("visitors.kiosk.close", permission="visitors.open_kiosk", label=_("Visitor kiosk closed"))
def close_kiosk(*, actor, kiosk: KioskSession) -> KioskSession:
    """Close a kiosk screen: its cookie records nothing more. Closing a closed one changes nothing."""
    kiosk = KioskSession.objects.select_for_update().get(pk=kiosk.pk)
    if kiosk.closed_at is not None:
        return kiosk
    kiosk.closed_at = timezone.now()
    kiosk.closed_by = actor if actor is not None and actor.pk else None
    kiosk.save(update_fields=["closed_at", "closed_by"])
    visits = kiosk.visits.count()
    audit(actor, "visitors.kiosk.close", kiosk, after={"branch": kiosk.branch.code, "visits": visits})
    return kiosk


# --- Purposes ---------------------------------------------------------------------------------------


def _purpose_values(values: dict, instance: VisitPurpose | None) -> dict:
    clean = {}
    if "code" in values or instance is None:
        code = str(values.get("code") or "").strip().lower()
        if not CODE_RE.match(code):
            raise errors.InvalidPurpose(
                _("Code: 1 to 32 small letters, digits, - or _ (for example “membaca”)."), field="code"
            )
        clean["code"] = code
    if "name_id" in values or instance is None:
        clean["name_id"] = _text(values.get("name_id"), _("Name (Indonesian)"), "name_id", 100)
        if not clean["name_id"]:
            raise errors.InvalidPurpose(_("Name (Indonesian): this field is required."), field="name_id")
    if "name_en" in values:
        clean["name_en"] = _text(values.get("name_en"), _("Name (English)"), "name_en", 100)
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    if "sort_order" in values:
        try:
            clean["sort_order"] = int(values["sort_order"] or 0)
        except (TypeError, ValueError):
            raise errors.InvalidPurpose(_("Sort order: give a whole number."), field="sort_order") from None
        if clean["sort_order"] < 0 or clean["sort_order"] > 100_000:
            raise errors.InvalidPurpose(_("Sort order: give a number from 0 to 100000."), field="sort_order")
    return clean


def _save_purpose(purpose: VisitPurpose) -> None:
    if VisitPurpose.objects.filter(code=purpose.code).exclude(pk=purpose.pk).exists():
        raise errors.DuplicatePurpose(field="code", code=purpose.code)
    try:
        purpose.save()
    except IntegrityError:
        raise errors.DuplicatePurpose(field="code", code=purpose.code) from None


@action("visitors.purpose.create", permission="visitors.manage_purposes", label=_("Visit purpose added"))
def create_purpose(
    *, actor, code: str, name_id: str, name_en: str = "", is_active: bool = True, sort_order=0
) -> VisitPurpose:
    """Add a purpose of visit offered on the kiosk and the desk form."""
    clean = _purpose_values(
        {"code": code, "name_id": name_id, "name_en": name_en, "is_active": is_active, "sort_order": sort_order},
        None,
    )
    purpose = VisitPurpose(**clean)
    _save_purpose(purpose)
    audit(actor, "visitors.purpose.create", purpose, after=snapshot(purpose))
    return purpose


@action("visitors.purpose.update", permission="visitors.manage_purposes", label=_("Visit purpose changed"))
def update_purpose(*, actor, purpose: VisitPurpose, **changes) -> VisitPurpose:
    """Rename, reorder, stop or start offering a purpose (its past visits keep it)."""
    unknown = set(changes) - {"code", "name_id", "name_en", "is_active", "sort_order"}
    if unknown:
        raise TypeError(f"update_purpose does not change {sorted(unknown)}")
    purpose = VisitPurpose.objects.select_for_update().get(pk=purpose.pk)
    before = snapshot(purpose)
    for name, value in _purpose_values(changes, purpose).items():
        setattr(purpose, name, value)
    _save_purpose(purpose)
    old, new = diff(before, snapshot(purpose))
    if new:
        audit(actor, "visitors.purpose.update", purpose, before=old, after=new)
    return purpose

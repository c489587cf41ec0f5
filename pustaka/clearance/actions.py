"""Every write to clearance letters: issuing (by staff, or asked for by the patron in the catalogue),
revoking, and the library's rules for them.

A letter is issued only when :func:`pustaka.clearance.queries.blockers` finds nothing; otherwise the
refusal (:class:`~pustaka.clearance.errors.ClearanceBlocked`) lists every blocker and nothing is
written. The number comes from the year's :class:`~pustaka.clearance.models.ClearanceSequence`,
incremented with an UPDATE first (so the row, or on SQLite the database, is locked for the rest of
the transaction: two desks issuing at the same instant get two numbers), and the letter's number is
unique in the database. A letter that blocks loans does so through the patrons app's own
``block_patron`` action, so checkout, renewal and self-check refuse the patron like any block.
"""

import datetime
import re
import secrets
import string

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import Branch
from pustaka.core.permissions import has, is_staff_member
from pustaka.core.registry import action

from . import errors
from .choices import ClearancePurpose, ClearanceStatus
from .models import ClearanceLetter, ClearanceSequence, ClearanceSettings
from .queries import blockers
from .transitions import LETTERS

__all__ = ["issue_clearance", "request_own_clearance", "revoke_clearance", "update_clearance_settings"]

FIELD_RE = re.compile(r"\{(seq|year|month|roman_month|branch)(?::(0?\d{1,2})d?)?\}")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
CODE_ALPHABET = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"
MAX_VALIDITY = 3660


def format_number(pattern: str, *, seq: int, day: datetime.date, branch: str) -> str:
    """The letter number ``pattern`` gives (see :class:`ClearanceSettings.number_pattern`)."""
    values = {"seq": seq, "year": day.year, "month": day.month, "roman_month": ROMAN[day.month - 1], "branch": branch}

    def field(match):
        name, width = match.group(1), match.group(2)
        value = values[name]
        if width and isinstance(value, int):
            return f"{value:0{int(width)}d}"
        return str(value)

    return FIELD_RE.sub(field, pattern)


def check_pattern(pattern) -> str:
    """A usable number pattern: {seq} and {year} in it, no other braces, at most 60 characters."""
    pattern = str(pattern or "").strip()
    if not pattern:
        raise errors.InvalidNumberPattern(field="number_pattern", pattern=pattern, reason=_("it is empty"))
    if len(pattern) > 60:
        raise errors.InvalidNumberPattern(field="number_pattern", pattern=pattern[:60], reason=_("it is too long"))
    rest = FIELD_RE.sub("", pattern)
    if "{" in rest or "}" in rest:
        raise errors.InvalidNumberPattern(
            field="number_pattern", pattern=pattern, reason=_("it has a field in braces that is not one of these")
        )
    names = {m.group(1) for m in FIELD_RE.finditer(pattern)}
    if not {"seq", "year"} <= names:
        raise errors.InvalidNumberPattern(
            field="number_pattern", pattern=pattern, reason=_("it needs {seq} and {year}, so no number repeats")
        )
    return pattern


def _next_sequence(year: int) -> int:
    """The next number of ``year``, taken under a lock held until the transaction ends."""
    if not ClearanceSequence.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ClearanceSequence.objects.create(year=year, last=1)
                return 1
        except IntegrityError:  # another desk created the year's row first
            ClearanceSequence.objects.filter(year=year).update(last=F("last") + 1)
    return ClearanceSequence.objects.get(year=year).last


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def _issue(*, actor, patron, purpose, purpose_note, blocks_loans, branch, by_patron: bool, now=None) -> ClearanceLetter:
    from pustaka.patrons.actions import block_patron
    from pustaka.patrons.models import Patron

    if purpose not in ClearancePurpose.values:
        raise errors.InvalidClearance(
            _("Purpose: “%(value)s” is not one of the choices."), field="purpose", value=purpose
        )
    note = " ".join(str(purpose_note or "").split())
    if len(note) > 200:
        raise errors.InvalidClearance(_("Details: at most 200 characters."), field="purpose_note")
    patron = Patron.objects.select_for_update(of=("self",)).select_related("home_branch").get(pk=patron.pk)
    found = blockers(patron)
    if found:
        raise errors.ClearanceBlocked(found)
    rules = ClearanceSettings.current()
    branch = branch if isinstance(branch, Branch) else patron.home_branch
    now = now or timezone.now()
    today = timezone.localdate(now)
    sequence = _next_sequence(today.year)
    letter = ClearanceLetter(
        number=format_number(check_pattern(rules.number_pattern), seq=sequence, day=today, branch=branch.code),
        year=today.year,
        sequence=sequence,
        code=_code(),
        patron=patron,
        patron_name=patron.full_name,
        branch=branch,
        purpose=purpose,
        purpose_note=note,
        issued_at=now,
        issued_by=actor if actor is not None and actor.pk else None,
        requested_by_patron=by_patron,
        valid_until=today + datetime.timedelta(days=rules.validity_days) if rules.validity_days else None,
        blocks_loans=bool(blocks_loans),
    )
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        raise errors.InvalidClearance(
            _("The number %(number)s is already taken: change the number pattern so it includes {seq} and {year}."),
            field="number_pattern",
            number=letter.number,
        ) from None
    if letter.blocks_loans:
        reason = _("Clearance letter %(number)s issued: no further loans.") % {"number": letter.number}
        # Staff need the block permission; a patron's own request blocks on the library's rule (the system).
        letter.block = block_patron(patron=patron, actor=None if by_patron else actor, reason=str(reason))
        letter.save(update_fields=["block"])
    audit(
        actor,
        "clearance.letter.issue",
        letter,
        after={
            "number": letter.number,
            "patron": patron.card_number,
            "purpose": purpose,
            "blocks_loans": letter.blocks_loans,
            "valid_until": letter.valid_until,
            "requested_by_patron": by_patron,
        },
    )
    return letter


@action("clearance.letter.issue", permission="clearance.issue_clearance", label=_("Clearance letter issued"))
def issue_clearance(
    *,
    actor,
    patron,
    purpose: str = ClearancePurpose.GRADUATION,
    purpose_note: str = "",
    blocks_loans: bool = False,
    branch: Branch | None = None,
    now: datetime.datetime | None = None,
) -> ClearanceLetter:
    """Issue a numbered clearance letter to ``patron`` (refused, listing every blocker, while they have
    open loans, unpaid charges or pending holds). ``blocks_loans`` (graduating students) blocks
    further loans through ``patrons.block_patron``, which needs ``patrons.block`` too. ``branch`` is
    the issuing branch on the letterhead (default: the patron's home branch); ``now`` the time of
    issue (default: now; the demo's history passes earlier dates)."""
    from pustaka.patrons.errors import NotYourBranch
    from pustaka.patrons.queries import can_manage

    if blocks_loans and not has(actor, "patrons.block"):
        raise PermissionDenied(_("Blocking loans needs the permission to block patrons."))
    if not can_manage(actor, patron):
        raise NotYourBranch(patron=str(patron))
    return _issue(
        actor=actor,
        patron=patron,
        purpose=purpose,
        purpose_note=purpose_note,
        blocks_loans=blocks_loans,
        branch=branch,
        by_patron=False,
        now=now,
    )


@action(
    "clearance.letter.request",
    permission=None,
    label=_("Clearance letter asked for online"),
    labels={"clearance.letter.issue": _("Clearance letter issued")},
)
def request_own_clearance(
    *, actor, purpose: str = ClearancePurpose.GRADUATION, purpose_note: str = ""
) -> ClearanceLetter:
    """A patron asks for their own clearance letter in the catalogue: issued at once when nothing blocks
    it (otherwise refused with every blocker); it blocks further loans when the library's rule says so.

    Permission checked inside: the actor must be a logged-in patron (not staff) whose login is linked to
    a library card; the letter is always for that card."""
    from pustaka.patrons.models import Patron

    if actor is None or not actor.is_authenticated or is_staff_member(actor):
        raise PermissionDenied()
    patron = Patron.objects.filter(user=actor).first()
    if patron is None:
        raise errors.NoPatronRecord()
    letter = _issue(
        actor=actor,
        patron=patron,
        purpose=purpose,
        purpose_note=purpose_note,
        blocks_loans=ClearanceSettings.current().block_on_request,
        branch=None,
        by_patron=True,
    )
    audit(actor, "clearance.letter.request", letter, after={"number": letter.number})
    return letter


@action("clearance.letter.revoke", permission="clearance.revoke_clearance", label=_("Clearance letter revoked"))
def revoke_clearance(*, actor, letter: ClearanceLetter, reason: str) -> ClearanceLetter:
    """Revoke a letter issued in error: the verification page then says it is not valid. Its number is
    never given again. A loan block it set stays until staff lift it (the patron may still be leaving)."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise errors.InvalidClearance(_("Reason: say why the letter is revoked."), field="reason")
    if len(reason) > 300:
        raise errors.InvalidClearance(_("Reason: at most 300 characters."), field="reason")
    letter = ClearanceLetter.objects.select_for_update().get(pk=letter.pk)
    rule = LETTERS.move(
        letter, to=ClearanceStatus.REVOKED, actor=actor, refused=errors.LetterAlreadyRevoked(number=letter.number)
    )
    letter.revoked_at = timezone.now()
    letter.revoked_by = actor if actor is not None and actor.pk else None
    letter.revoke_reason = reason
    letter.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
    audit(
        actor,
        rule.verb,
        letter,
        before={"status": ClearanceStatus.ISSUED},
        after={"status": letter.status, "reason": reason},
    )
    return letter


@action(
    "clearance.settings.update",
    permission="clearance.configure_clearance",
    label=_("Clearance letter settings changed"),
)
def update_clearance_settings(
    *,
    actor,
    number_pattern: str,
    validity_days=None,
    signatory_name: str = "",
    signatory_title: str = "",
    block_on_request: bool = True,
) -> ClearanceSettings:
    """Change the number pattern, the validity, who signs, and whether a patron's own request blocks loans."""
    rules = ClearanceSettings.objects.select_for_update().first() or ClearanceSettings()
    before = snapshot(rules) if rules.pk else {}
    rules.number_pattern = check_pattern(number_pattern)
    if validity_days in ("", None):
        rules.validity_days = None
    else:
        try:
            rules.validity_days = int(validity_days)
        except (TypeError, ValueError):
            raise errors.InvalidClearance(_("Valid for (days): give a whole number."), field="validity_days") from None
        if not 1 <= rules.validity_days <= MAX_VALIDITY:
            raise errors.InvalidClearance(
                _("Valid for (days): give a number from 1 to %(max)s, or leave it empty."),
                field="validity_days",
                max=MAX_VALIDITY,
            )
    for name, value, limit in (("signatory_name", signatory_name, 150), ("signatory_title", signatory_title, 150)):
        value = " ".join(str(value or "").split())
        if len(value) > limit:
            raise errors.InvalidClearance(_("At most %(limit)s characters."), field=name, limit=limit)
        setattr(rules, name, value)
    rules.block_on_request = bool(block_on_request)
    rules.save()
    old, new = diff(before, snapshot(rules))
    if new:
        audit(actor, "clearance.settings.update", rules, before=old, after=new)
    return rules

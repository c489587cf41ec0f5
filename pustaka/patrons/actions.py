"""Every write to patrons: members, their PINs, logins, blocks and categories, and the CSV import.

Each action is keyword-only, runs in one transaction, checks the permission (and that a member of
staff who is not an administrator only changes patrons of their own home branch, see
:func:`pustaka.patrons.queries.patrons_for`), validates everything before it writes and records an
audit event. A PIN is stored hashed and never written to the audit trail.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.circulation.errors import NotYourAccount
from pustaka.core import lookups
from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import PustakaError, ValidationFailed
from pustaka.core.models import Branch, User
from pustaka.core.registry import action
from pustaka.core.validators import BAD_CHARACTERS, CENT, TOO_LONG, clean_amount, clean_text, is_code, normal_code

from . import errors, identity
from .models import Patron, PatronBlock, PatronCategory
from .queries import by_card, can_manage, normalise_card

__all__ = [
    "ImportResult",
    "block_patron",
    "change_own_pin",
    "create_category",
    "create_patron",
    "import_patrons_csv",
    "link_login",
    "renew_membership",
    "set_pin",
    "unblock_patron",
    "update_category",
    "update_own_details",
    "update_patron",
]

CARD_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")
PIN_RE = re.compile(r"^\d{4,8}$")
MAX_CSV_ROWS = 20_000
MAX_FINES = 10**10

# Field → (label, maximum length) of the patron's text fields.
TEXT_FIELDS = {
    "first_name": (_("First name"), 150),
    "last_name": (_("Last name"), 150),
    "phone": (_("Phone"), 50),
    "address": (_("Address"), 1000),
    "staff_note": (_("Staff note"), 5000),
}
# What update_patron may change (the PIN, the login and blocks have their own actions).
CHANGEABLE = {
    "card_number",
    "first_name",
    "last_name",
    "category",
    "home_branch",
    "email",
    "phone",
    "address",
    "date_of_birth",
    "expires_on",
    "guardian",
    "language",
    "keep_history",
    "staff_note",
    "is_active",
    "id_type",
    "id_number",
    "unit",
    "notice_channels",
}
AUDITED = [f for f in sorted(CHANGEABLE)] + ["user"]


# --- Cleaning values ----------------------------------------------------------------------------


#: A patron's text fields refuse with their own error types (and codes).
TEXT_REFUSALS = {BAD_CHARACTERS: errors.BadCharacters, TOO_LONG: errors.TextTooLong}


def _text(name: str, value) -> str:
    label, limit = TEXT_FIELDS[name]
    return clean_text(value, field=name, label=label, max_length=limit, error=TEXT_REFUSALS)


def _card(value) -> str:
    card = normalise_card(str(value or ""))
    if not CARD_RE.match(card):
        raise errors.InvalidCardNumber(field="card_number")
    return card


def _email(value) -> str:
    email = str(value or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except DjangoValidationError:
        raise errors.InvalidEmail(field="email", email=email[:100]) from None
    return email


def parse_date(value, field_name: str) -> datetime.date | None:
    """A date, or an ISO date text (``2027-06-30``); empty gives None; anything else InvalidDate."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise errors.InvalidDate(field=field_name, value=text[:40]) from None


def _category(value) -> PatronCategory:
    if isinstance(value, PatronCategory):
        return value
    code = str(value or "").strip().upper()
    if not code:
        raise errors.ValueRequired(field="category", label=_("Category"))
    found = PatronCategory.objects.filter(code=code).first()
    if found is None:
        raise errors.UnknownCategory(field="category", code=code[:20])
    return found


def _branch(value) -> Branch:
    if isinstance(value, Branch):
        return value
    code = str(value or "").strip().upper()
    if not code:
        raise errors.ValueRequired(field="home_branch", label=_("Home branch"))
    found = lookups.find_branch(code)
    if found is None:
        raise errors.UnknownBranch(field="home_branch", code=code[:20])
    return found


def _guardian(value) -> Patron | None:
    if value in (None, ""):
        return None
    if isinstance(value, Patron):
        return value
    card = normalise_card(str(value))
    found = by_card(card).select_related("category").first()
    if found is None:
        raise errors.GuardianNotFound(field="guardian", card=card[:40])
    return found


def _language(value) -> str:
    value = str(value or "").strip().lower() or settings.LANGUAGE_CODE
    if value not in {code for code, _label in settings.LANGUAGES}:
        raise errors.UnknownLanguage(field="language")
    return value


def _pin(pin, pin_again=None) -> str:
    pin = str(pin or "").strip()
    if not PIN_RE.match(pin):
        raise errors.InvalidPin(field="pin")
    if pin_again is not None and str(pin_again).strip() != pin:
        raise errors.PinsDoNotMatch(field="pin_again")
    return pin


def _reason(reason) -> str:
    reason = str(reason or "").strip()
    if not reason:
        raise errors.ReasonRequired(field="reason")
    if "\x00" in reason:
        raise errors.BadCharacters(field="reason", label=_("Reason"))
    if len(reason) > 300:
        raise errors.TextTooLong(field="reason", label=_("Reason"), limit=300)
    return reason


def _check_scope(actor, patron_or_branch, name: str) -> None:
    """Staff who are not administrators work only on patrons of their own home branch."""
    probe = patron_or_branch if isinstance(patron_or_branch, Patron) else Patron(home_branch=patron_or_branch)
    if not can_manage(actor, probe):
        raise errors.NotYourBranch(patron=name)


def _validate(values: dict, *, instance: Patron | None) -> dict:
    """Check a patron's complete set of values (new ones over ``instance``'s); returns them cleaned."""
    clean = {}
    clean["card_number"] = _card(values["card_number"])
    for name in TEXT_FIELDS:
        clean[name] = _text(name, values.get(name, ""))
    if not clean["last_name"]:
        raise errors.NameRequired(field="last_name")
    clean["category"] = _category(values.get("category"))
    clean["home_branch"] = _branch(values.get("home_branch"))
    clean["email"] = _email(values.get("email"))
    clean["language"] = _language(values.get("language"))
    clean["keep_history"] = bool(values.get("keep_history"))
    clean["is_active"] = bool(values.get("is_active", True))
    today = timezone.localdate()
    born = parse_date(values.get("date_of_birth"), "date_of_birth")
    expires = parse_date(values.get("expires_on"), "expires_on")
    if born is not None and born > today:
        raise errors.BirthInFuture(field="date_of_birth", date=born.isoformat())
    if expires is None:
        expires = today + datetime.timedelta(days=clean["category"].membership_days)
    if born is not None and expires < born:
        raise errors.ExpiryBeforeBirth(field="expires_on", expires=expires.isoformat(), born=born.isoformat())
    clean["date_of_birth"], clean["expires_on"] = born, expires
    guardian = _guardian(values.get("guardian"))
    if guardian is not None:
        if instance is not None and guardian.pk == instance.pk:
            raise errors.InvalidGuardian(
                field="guardian", guardian=guardian.card_number, reason=_("a patron cannot be their own guardian")
            )
        if guardian.category.is_child:
            raise errors.InvalidGuardian(
                field="guardian", guardian=guardian.card_number, reason=_("a child cannot be a guardian")
            )
        if not guardian.is_active:
            raise errors.InvalidGuardian(
                field="guardian", guardian=guardian.card_number, reason=_("their membership is not active")
            )
    if clean["category"].is_child and guardian is None:
        raise errors.GuardianRequired(field="guardian", category=clean["category"].name)
    clean["guardian"] = guardian
    clean["id_type"], clean["id_number"] = identity.clean_id(values.get("id_type"), values.get("id_number"))
    identity.check_id_unique(clean["id_type"], clean["id_number"], instance=instance)
    clean["unit"] = identity.find_unit(values.get("unit"))
    channels = values.get("notice_channels")
    if channels is None or channels == "":  # not chosen: e-mail when there is an address
        channels = ["email"] if clean["email"] else []
    clean["notice_channels"] = identity.clean_channels(
        channels, email=clean["email"], phone=clean["phone"], strict=values.get("_channels_chosen", True)
    )
    duplicate = by_card(clean["card_number"])
    if instance is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    other = duplicate.first()
    if other is not None:
        raise errors.DuplicateCard(field="card_number", card=clean["card_number"], patron=other.full_name)
    return clean


def _current_values(patron: Patron) -> dict:
    values = {name: getattr(patron, name) for name in CHANGEABLE}
    values["_channels_chosen"] = False  # kept channels whose contact was removed are dropped, not refused
    return values


def _save(patron: Patron, card: str) -> None:
    try:
        with transaction.atomic():
            patron.save()
    except IntegrityError:  # another desk took the card number at the same instant
        raise errors.DuplicateCard(field="card_number", card=card, patron="?") from None


def _audit_snapshot(patron: Patron) -> dict:
    data = snapshot(patron, AUDITED)
    data["has_pin"] = bool(patron.pin)
    return data


# --- Patrons ------------------------------------------------------------------------------------


def _create(actor, values: dict, pin: str = "") -> Patron:
    clean = _validate(values, instance=None)
    _check_scope(actor, clean["home_branch"], f"{clean['first_name']} {clean['last_name']}".strip())
    patron = Patron(**clean)
    if pin:
        patron.set_pin(_pin(pin))
    _save(patron, clean["card_number"])
    audit(actor, "patrons.patron.create", patron, after=_audit_snapshot(patron))
    return patron


def _update(actor, patron: Patron, changes: dict, pin: str = "") -> Patron:
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise ValidationFailed(field=sorted(unknown)[0])
    locked = Patron.objects.select_for_update(of=("self",)).get(pk=patron.pk)
    _check_scope(actor, locked, str(locked))
    before = _audit_snapshot(locked)
    chosen = {"_channels_chosen": True} if "notice_channels" in changes else {}
    clean = _validate({**_current_values(locked), **changes, **chosen}, instance=locked)
    _check_scope(actor, clean["home_branch"], str(locked))
    for name, value in clean.items():
        setattr(locked, name, value)
    if pin:
        locked.set_pin(_pin(pin))
    _save(locked, clean["card_number"])
    old, new = diff(before, _audit_snapshot(locked))
    if new:
        audit(actor, "patrons.patron.update", locked, before=old, after=new)
    return locked


@action("patrons.patron.create", permission="patrons.register", label=_("Patron registered"))
def create_patron(
    *,
    actor,
    card_number: str,
    last_name: str,
    category,
    home_branch,
    first_name: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    date_of_birth=None,
    expires_on=None,
    guardian=None,
    language: str = "",
    keep_history: bool = False,
    staff_note: str = "",
    pin: str = "",
    id_type: str = "",
    id_number: str = "",
    unit=None,
    notice_channels=None,
) -> Patron:
    """Enrol a new patron (anggota).

    ``category``/``home_branch`` are objects or codes, ``guardian`` a patron or a card number (needed
    in a children's category), dates are dates or ISO text; ``expires_on`` defaults to today plus the
    category's membership period. A duplicate card number, a bad email or date, or a child without a
    guardian are refused with nothing saved. ``id_type``/``id_number`` is a NIK, NISN, NIM or NIP
    (checked per type, see :mod:`pustaka.patrons.identity`), ``unit`` a class, faculty or programme (or
    its code); ``notice_channels`` defaults to e-mail when there is an address.
    """
    values = {
        "card_number": card_number,
        "last_name": last_name,
        "first_name": first_name,
        "category": category,
        "home_branch": home_branch,
        "email": email,
        "phone": phone,
        "address": address,
        "date_of_birth": date_of_birth,
        "expires_on": expires_on,
        "guardian": guardian,
        "language": language,
        "keep_history": keep_history,
        "staff_note": staff_note,
        "id_type": id_type,
        "id_number": id_number,
        "unit": unit,
        "notice_channels": notice_channels,
    }
    return _create(actor, values, pin)


@action("patrons.patron.update", permission="patrons.edit_patron", label=_("Patron details changed"))
def update_patron(*, patron: Patron, actor, **changes) -> Patron:
    """Change a patron's details (any of ``CHANGEABLE``); the same checks as when enrolling."""
    return _update(actor, patron, changes)


@action("patrons.patron.set_pin", permission="patrons.edit_patron", label=_("PIN set"))
def set_pin(*, patron: Patron, actor, pin: str, pin_again: str | None = None) -> Patron:
    """Staff set (or reset) a patron's self-check PIN: 4 to 8 digits, stored hashed."""
    _check_scope(actor, patron, str(patron))
    pin = _pin(pin, pin_again)
    locked = Patron.objects.select_for_update(of=("self",)).get(pk=patron.pk)
    locked.set_pin(pin)
    locked.save(update_fields=["pin", "updated_at"])
    audit(actor, "patrons.patron.set_pin", locked, after={"has_pin": True})
    patron.pin = locked.pin
    return locked


@action("patrons.patron.renew", permission="patrons.edit_patron", label=_("Membership renewed"))
def renew_membership(*, patron: Patron, actor, today: datetime.date | None = None) -> Patron:
    """Extend membership by the category's period, from today or from the current expiry if later."""
    _check_scope(actor, patron, str(patron))
    today = today or timezone.localdate()
    locked = Patron.objects.select_for_update(of=("self",)).select_related("category").get(pk=patron.pk)
    before = locked.expires_on
    locked.expires_on = max(today, before) + datetime.timedelta(days=locked.category.membership_days)
    locked.save(update_fields=["expires_on", "updated_at"])
    audit(
        actor,
        "patrons.patron.renew",
        locked,
        before={"expires_on": before.isoformat()},
        after={"expires_on": locked.expires_on.isoformat()},
    )
    patron.expires_on = locked.expires_on
    return locked


@action("patrons.patron.block", permission="patrons.block", label=_("Patron blocked"))
def block_patron(*, patron: Patron, actor, reason: str) -> PatronBlock:
    """Block a patron by hand (they may not borrow) until staff lift it; the reason is required."""
    _check_scope(actor, patron, str(patron))
    note = _reason(reason)
    Patron.objects.select_for_update(of=("self",)).filter(pk=patron.pk).first()
    block = PatronBlock.objects.create(patron=patron, note=note, created_by=actor if actor and actor.pk else None)
    audit(actor, "patrons.patron.block", patron, after={"block": block.pk, "reason": note})
    return block


@action("patrons.patron.unblock", permission="patrons.block", label=_("Block lifted"))
def unblock_patron(*, patron: Patron, actor, reason: str) -> int:
    """Lift every open manual block of a patron, saying why; returns how many were lifted."""
    _check_scope(actor, patron, str(patron))
    note = _reason(reason)
    Patron.objects.select_for_update(of=("self",)).filter(pk=patron.pk).first()
    open_blocks = list(PatronBlock.objects.filter(patron=patron, lifted_at__isnull=True))
    if not open_blocks:
        raise errors.NotBlocked(patron=str(patron))
    now = timezone.now()
    PatronBlock.objects.filter(pk__in=[b.pk for b in open_blocks]).update(
        lifted_at=now, lifted_by=actor if actor and actor.pk else None, lift_note=note
    )
    audit(
        actor,
        "patrons.patron.unblock",
        patron,
        before={"blocks": [b.note for b in open_blocks]},
        after={"reason": note, "lifted": len(open_blocks)},
    )
    return len(open_blocks)


@action("patrons.patron.link_login", permission="patrons.edit_patron", label=_("Catalogue login linked"))
def link_login(*, patron: Patron, actor, password: str) -> User:
    """Create the patron's catalogue (OPAC) login: the username is the card number, no staff role."""
    _check_scope(actor, patron, str(patron))
    locked = Patron.objects.select_for_update(of=("self",)).select_related("user").get(pk=patron.pk)
    if locked.user_id:
        raise errors.LoginExists(patron=str(locked), username=locked.user.username)
    username = locked.card_number
    if User.objects.filter(username__iexact=username).exists():
        raise errors.UsernameTaken(field="password", username=username)
    user = User(
        username=username,
        first_name=locked.first_name[:150],
        last_name=locked.last_name[:150],
        email=locked.email,
        language=locked.language,
    )
    try:
        validate_password(password or "", user)
    except DjangoValidationError as exc:
        raise errors.InvalidPassword(field="password", reason=" ".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    locked.user = user
    locked.save(update_fields=["user", "updated_at"])
    audit(actor, "patrons.patron.link_login", locked, after={"username": username})
    patron.user = user
    return user


# --- The patron's own account (OPAC) -------------------------------------------------------------


def _require_own(actor, patron: Patron) -> None:
    if actor is None or not actor.is_authenticated or actor.pk != patron.user_id:
        raise NotYourAccount()


@action("patrons.patron.update_own", permission=None, label=_("Details changed by the patron"))
def update_own_details(
    *,
    patron: Patron,
    actor,
    email: str,
    phone: str,
    address: str,
    language: str,
    keep_history: bool,
    notice_channels=None,
) -> Patron:
    """A patron changes their own contact details, language, reading-history choice and the channels
    notices come by (OPAC; ``None`` keeps the channels, dropping one whose contact was removed).

    Permission checked inside: only the patron's own login may (anyone else gets NotYourAccount)."""
    _require_own(actor, patron)
    locked = Patron.objects.select_for_update(of=("self",)).get(pk=patron.pk)
    before = _audit_snapshot(locked)
    locked.email = _email(email)
    locked.phone = _text("phone", phone)
    locked.address = _text("address", address)
    locked.language = _language(language)
    locked.keep_history = bool(keep_history)
    locked.notice_channels = identity.clean_channels(
        locked.notice_channels if notice_channels is None else notice_channels,
        email=locked.email,
        phone=locked.phone,
        strict=notice_channels is not None,
    )
    locked.save()
    if actor.language != locked.language:
        actor.language = locked.language
        actor.save(update_fields=["language"])
    old, new = diff(before, _audit_snapshot(locked))
    if new:
        audit(actor, "patrons.patron.update_own", locked, before=old, after=new)
    return locked


@action("patrons.patron.change_own_pin", permission=None, label=_("PIN changed by the patron"))
def change_own_pin(*, patron: Patron, actor, password: str, pin: str, pin_again: str) -> Patron:
    """A patron changes their own self-check PIN, confirming with their login password (OPAC).

    Permission checked inside: only the patron's own login may (anyone else gets NotYourAccount)."""
    _require_own(actor, patron)
    pin = _pin(pin, pin_again)
    if not actor.check_password(password or ""):
        raise errors.WrongPassword(field="password")
    locked = Patron.objects.select_for_update(of=("self",)).get(pk=patron.pk)
    locked.set_pin(pin)
    locked.save(update_fields=["pin", "updated_at"])
    audit(actor, "patrons.patron.change_own_pin", locked, after={"has_pin": True})
    return locked


# --- Categories --------------------------------------------------------------------------------


def _validate_category(values: dict, *, instance: PatronCategory | None) -> dict:
    code = normal_code(values.get("code"))
    if not is_code(code):
        raise errors.InvalidCategory(
            field="code", reason=_("the code is 1 to 16 capital letters, digits, dashes or underscores")
        )
    name = str(values.get("name") or "").strip()
    if not name or len(name) > 100 or "\x00" in name:
        raise errors.InvalidCategory(field="name", reason=_("the name is 1 to 100 characters"))
    clean = {"code": code, "name": name, "is_child": bool(values.get("is_child"))}
    for number in ("membership_days", "max_overdues"):
        try:
            clean[number] = int(values.get(number))
        except (TypeError, ValueError):
            clean[number] = -1
        if not 0 <= clean[number] <= 36500:
            raise errors.InvalidCategory(field=number, reason=_("periods and counts are whole numbers of zero or more"))
    clean["max_fines"] = clean_amount(
        values.get("max_fines"),
        field="max_fines",
        label=_("Block when fines owed exceed"),
        error=errors.InvalidCategory,
        at_least=0,
        at_most=MAX_FINES - CENT,
        reason=_("the fines limit is an amount of zero or more"),
    )
    duplicate = PatronCategory.objects.filter(code=code)
    if instance is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        raise errors.DuplicateCategory(field="code", code=code)
    return clean


@action("patrons.category.create", permission="patrons.manage_categories", label=_("Patron category created"))
def create_category(
    *,
    actor,
    code: str,
    name: str,
    is_child: bool = False,
    membership_days: int = 365,
    max_overdues: int = 5,
    max_fines=50000,
) -> PatronCategory:
    """Add a patron category (e.g. STUDENT, CHILD); ``max_overdues``/``max_fines`` set automatic blocks."""
    clean = _validate_category(
        {
            "code": code,
            "name": name,
            "is_child": is_child,
            "membership_days": membership_days,
            "max_overdues": max_overdues,
            "max_fines": max_fines,
        },
        instance=None,
    )
    category = PatronCategory.objects.create(**clean)
    audit(actor, "patrons.category.create", category, after=snapshot(category))
    return category


@action("patrons.category.update", permission="patrons.manage_categories", label=_("Patron category changed"))
def update_category(*, category: PatronCategory, actor, **changes) -> PatronCategory:
    """Change a patron category. Making it a children's category does not touch existing patrons."""
    allowed = {"code", "name", "is_child", "membership_days", "max_overdues", "max_fines"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(field=sorted(unknown)[0])
    locked = PatronCategory.objects.select_for_update().get(pk=category.pk)
    before = snapshot(locked)
    clean = _validate_category({**{k: getattr(locked, k) for k in allowed}, **changes}, instance=locked)
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.save()
    old, new = diff(before, snapshot(locked))
    if new:
        audit(actor, "patrons.category.update", locked, before=old, after=new)
    return locked


# --- CSV import --------------------------------------------------------------------------------

CSV_COLUMNS = [
    "card_number",
    "first_name",
    "last_name",
    "category",
    "home_branch",
    "email",
    "phone",
    "address",
    "date_of_birth",
    "expires_on",
    "pin",
    "guardian_card",
    "id_type",
    "id_number",
    "unit",
    "notice_channels",
]
CSV_REQUIRED = ["card_number", "last_name", "category", "home_branch"]


@dataclass
class RejectedRow:
    """One row of the file that changed nothing, and why (``error`` says itself in the active language)."""

    row: int
    card_number: str
    error: PustakaError

    @property
    def reason(self) -> str:
        return str(self.error)


@dataclass
class ImportResult:
    """What an import did: patrons created and updated, rows rejected (row 1 is the header)."""

    created: int = 0
    updated: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + len(self.rejected)


def _read_csv(source) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and the data rows (with their row numbers) of a CSV file in UTF-8.

    Commas, semicolons (what spreadsheets write in Indonesian settings) and tabs are accepted.
    """
    if isinstance(source, Path):
        source = source.read_bytes()
    if isinstance(source, bytes):
        if b"\x00" in source:
            raise errors.CsvUnreadable(field="file", reason=_("it is not a text file"))
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise errors.CsvUnreadable(field="file", reason=_("it is not in UTF-8; save it as “CSV UTF-8”")) from None
    text = source.lstrip("\ufeff")
    if "\x00" in text:
        raise errors.CsvUnreadable(field="file", reason=_("it is not a text file"))
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise errors.CsvUnreadable(field="file", reason=_("it is empty")) from None
    except csv.Error as exc:
        raise errors.CsvUnreadable(field="file", reason=str(exc)) from None
    columns = [name.strip().lower() for name in header]
    missing = [name for name in CSV_REQUIRED if name not in columns]
    if missing:
        raise errors.CsvMissingColumns(field="file", columns=", ".join(missing))
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_CSV_ROWS:
                raise errors.CsvTooManyRows(field="file", limit=MAX_CSV_ROWS)
            row = {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(columns)}
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise errors.CsvUnreadable(field="file", reason=str(exc)) from None
    return columns, rows


def _import_row(actor, row: dict, known: dict) -> bool:
    """Create or update the patron of one row; True when created. Raises the row's refusal.

    ``known`` keeps the categories and branches already looked up by code during this import.
    """
    card = normalise_card(row.get("card_number", ""))
    if not card:
        raise errors.ValueRequired(field="card_number", label=_("Card number"))
    values = {
        name: row[name]
        for name in (
            "first_name",
            "last_name",
            "category",
            "home_branch",
            "email",
            "phone",
            "address",
            "id_type",
            "id_number",
            "unit",
            "notice_channels",
        )
        if name in row
    }
    for name, find in (("category", _category), ("home_branch", _branch)):
        code = str(values.get(name) or "").strip().upper()
        if code:
            if (name, code) not in known:
                known[(name, code)] = find(code)  # an unknown code raises here, for this row only
            values[name] = known[(name, code)]
    for name in ("date_of_birth", "expires_on"):
        if row.get(name):
            values[name] = parse_date(row[name], name)
    if row.get("guardian_card"):
        values["guardian"] = row["guardian_card"]
    pin = row.get("pin", "")
    existing = by_card(card).first()
    if existing is None:
        _create(actor, {"card_number": card, **values}, pin)
        return True
    # An existing card: the row's non-empty cells replace the patron's values.
    changes = {name: value for name, value in values.items() if value not in ("", None)}
    _update(actor, existing, changes, pin)
    return False


@action("patrons.import", permission="patrons.import_patrons", label=_("Patrons imported from CSV"))
def import_patrons_csv(*, source, actor) -> ImportResult:
    """Import patrons from CSV text/bytes (or a file path): one row per patron.

    Columns: card_number, first_name, last_name, category (code), home_branch (code), email, phone,
    address, date_of_birth, expires_on (YYYY-MM-DD), pin and optionally guardian_card, id_type (nik,
    nisn, nim, nip), id_number, unit (class, faculty or programme code) and notice_channels
    (``email whatsapp sms``, any of them, space- or comma-separated). A known card
    number updates that patron (empty cells keep the current value); a new one enrols a patron. Each
    row is checked like :func:`create_patron`: a bad row changes nothing and is reported with its
    row number (the header is row 1) and the reason; the good rows are imported.
    """
    _columns, rows = _read_csv(source)
    result = ImportResult()
    known: dict = {}
    for number, row in rows:
        try:
            with transaction.atomic():
                created = _import_row(actor, row, known)
        except PustakaError as error:
            result.rejected.append(RejectedRow(number, row.get("card_number", "")[:32], error))
            continue
        if created:
            result.created += 1
        else:
            result.updated += 1
    audit(
        actor,
        "patrons.import",
        None,
        after={"created": result.created, "updated": result.updated, "rejected": len(result.rejected)},
    )
    return result


# Classes, faculties and programmes and the new academic year live in their own module; imported
# here so the action registry (which reads each app's ``actions``) finds them.
from .academic_year import (  # noqa: E402
    create_unit,
    start_academic_year,
    undo_academic_year,
    update_unit,
)

__all__ += ["create_unit", "start_academic_year", "undo_academic_year", "update_unit"]

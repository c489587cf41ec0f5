"""Writes to core objects: branches, locations, staff users and roles, API tokens, library settings."""

import re

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import audit, diff, snapshot
from .choices import CallNumberRule, Role
from .errors import Conflict, ValidationFailed
from .models import ApiToken, Branch, Library, Location, User
from .permissions import require
from .registry import action
from .validators import CODE_RE, is_code, normal_code

TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def clean_opening_hours(hours) -> dict:
    """``{"0": [["08:00", "16:00"]], ...}``; weekday 0 is Monday; a missing day is closed."""
    if not hours:
        return {}
    if not isinstance(hours, dict):
        raise ValidationFailed(_("Opening hours must map weekdays to periods."), field="opening_hours")
    clean = {}
    for day, periods in hours.items():
        if str(day) not in {str(d) for d in range(7)}:
            raise ValidationFailed(_("Weekdays are numbered 0 (Monday) to 6 (Sunday)."), field="opening_hours")
        day_periods = []
        for period in periods or []:
            if not (
                isinstance(period, list | tuple)
                and len(period) == 2
                and all(TIME_RE.match(str(p)) for p in period)
                and period[0] < period[1]
            ):
                raise ValidationFailed(
                    _("Each opening period is a start and an end time such as 08:00–16:00."), field="opening_hours"
                )
            day_periods.append([period[0], period[1]])
        if day_periods:
            clean[str(day)] = day_periods
    return clean


@action("core.branch.create", permission="core.manage_branches", label=_("Branch opened"))
def create_branch(
    *, actor, code: str, name: str, address: str = "", phone: str = "", email: str = "", opening_hours=None
) -> Branch:
    """Open a branch (service point)."""
    code = normal_code(code)
    if not is_code(code):
        raise ValidationFailed(
            _("A branch code is 1 to 16 capital letters, digits, dashes or underscores."), field="code"
        )
    if not (name or "").strip():
        raise ValidationFailed(_("A branch needs a name."), field="name")
    if Branch.objects.filter(code=code).exists():
        raise Conflict(_("A branch with the code %(code)s already exists."), field="code", code=code)
    branch = Branch.objects.create(
        code=code,
        name=name.strip(),
        address=address.strip(),
        phone=phone.strip(),
        email=email.strip(),
        opening_hours=clean_opening_hours(opening_hours),
    )
    audit(actor, "core.branch.create", branch, after=snapshot(branch))
    return branch


@action("core.branch.update", permission="core.manage_branches", label=_("Branch changed"))
def update_branch(*, branch: Branch, actor, **fields) -> Branch:
    """Change a branch's name, address, contact or opening hours."""
    allowed = {"name", "address", "phone", "email", "opening_hours", "is_active"}
    if set(fields) - allowed:
        raise ValidationFailed(
            _("Unknown field: %(name)s."), field=sorted(set(fields) - allowed)[0], name=sorted(set(fields) - allowed)[0]
        )
    before = snapshot(branch)
    if "opening_hours" in fields:
        fields["opening_hours"] = clean_opening_hours(fields["opening_hours"])
    for key, value in fields.items():
        setattr(branch, key, value.strip() if isinstance(value, str) else value)
    if not branch.name:
        raise ValidationFailed(_("A branch needs a name."), field="name")
    branch.save()
    old, new = diff(before, snapshot(branch))
    if new:
        audit(actor, "core.branch.update", branch, before=old, after=new)
    return branch


@action("core.location.create", permission="core.manage_locations", label=_("Location added"))
def create_location(
    *, actor, branch: Branch, code: str, name: str, is_public: bool = True, sort_order: int = 0
) -> Location:
    """Add a shelving location to a branch."""
    code = (code or "").strip().upper()
    if not CODE_RE.match(code[:16]) or len(code) > 32:
        raise ValidationFailed(_("A location code is capital letters, digits, dashes or underscores."), field="code")
    if not (name or "").strip():
        raise ValidationFailed(_("A location needs a name."), field="name")
    if Location.objects.filter(branch=branch, code=code).exists():
        raise Conflict(
            _("Branch %(branch)s already has a location %(code)s."), field="code", branch=branch.code, code=code
        )
    location = Location.objects.create(
        branch=branch, code=code, name=name.strip(), is_public=is_public, sort_order=sort_order
    )
    audit(actor, "core.location.create", location, after=snapshot(location))
    return location


@action("core.user.create", permission="core.manage_staff", label=_("Staff account created"))
def create_staff_user(
    *,
    actor,
    username: str,
    password: str,
    roles: list[str],
    home_branch: Branch | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a staff account with roles (Django groups) and a home branch."""
    username = (username or "").strip()
    if not username:
        raise ValidationFailed(_("A user needs a username."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("The username %(username)s is taken."), field="username", username=username)
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationFailed(_("Unknown role: %(role)s."), field="roles", role=sorted(unknown)[0])
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        home_branch=home_branch,
        is_staff=Role.ADMINISTRATOR in roles,
    )
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    audit(
        actor,
        "core.user.create",
        user,
        after={"username": username, "roles": sorted(roles), "home_branch": home_branch.code if home_branch else None},
    )
    return user


@action(
    "core.user.create",
    permission=None,
    label=_("Staff account created"),
    labels={"core.user.set_password": _("Password set")},
)
def bootstrap_administrator(*, password: str, username: str = "admin") -> tuple[User, bool]:
    """Create the library's first administrator, or give it a new password: what ``pustaka init``
    does. The system acts (whoever runs ``init`` owns the machine), so no permission is checked; the
    audit trail records it as done by "system". Returns the user and whether it was created."""
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username, is_staff=True, is_superuser=True)
    user.set_password(password)
    user.save()
    if created:
        user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
        audit(None, "core.user.create", user, after={"username": username, "roles": [Role.ADMINISTRATOR]})
    else:
        audit(None, "core.user.set_password", user, after={"username": username})
    return user, created


@action("core.user.roles", permission="core.manage_staff", label=_("Roles changed"))
def set_roles(*, user: User, roles: list[str], actor) -> User:
    """Give a staff user exactly these roles."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationFailed(_("Unknown role: %(role)s."), field="roles", role=sorted(unknown)[0])
    before = sorted(user.groups.values_list("name", flat=True))
    user.groups.set(Group.objects.filter(name__in=roles))
    user.is_staff = Role.ADMINISTRATOR in roles
    user.save(update_fields=["is_staff"])
    audit(actor, "core.user.roles", user, before={"roles": before}, after={"roles": sorted(roles)})
    return user


@action("core.api_token.issue", permission=None, label=_("API token issued"))
def issue_api_token(*, user: User, actor, name: str = "") -> str:
    """Make a new API token for ``user``; returns the token text, which is never stored.

    Permission checked inside: anyone may issue a token for themselves; for someone else it takes
    ``core.manage_api_tokens``."""
    if actor is not None and actor.pk != user.pk:
        require(actor, "core.manage_api_tokens")
    key = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key), prefix=key[4:12])
    audit(actor, "core.api_token.issue", token, after={"user": user.username, "prefix": token.prefix})
    return key


@action("core.api_token.revoke", permission=None, label=_("API token revoked"))
def revoke_api_token(*, token: ApiToken, actor) -> None:
    """Stop a token from working.

    Permission checked inside: anyone may revoke their own token; someone else's takes
    ``core.manage_api_tokens``."""
    if actor is not None and actor.pk != token.user_id:
        require(actor, "core.manage_api_tokens")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(actor, "core.api_token.revoke", token)


@action("core.library.update", permission="core.configure_library", label=_("Library settings changed"))
def update_library_settings(*, actor, **fields) -> Library:
    """Change the library's name and cataloguing rules."""
    library = Library.current()
    before = snapshot(library)
    if "call_number_rule" in fields and fields["call_number_rule"] not in CallNumberRule.values:
        raise ValidationFailed(_("Unknown call number rule."), field="call_number_rule")
    for key in ("name", "call_number_rule", "default_classification_scheme", "barcode_prefix"):
        if key in fields:
            setattr(library, key, fields[key])
    library.save()
    old, new = diff(before, snapshot(library))
    if new:
        audit(actor, "core.library.update", library, before=old, after=new)
    return library

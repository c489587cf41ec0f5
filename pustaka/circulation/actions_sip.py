"""SIP2 accounts: the logins of self-check machines (create, change, password, deactivate).

Each account speaks for one institution id, lends at one branch and acts as one staff user, whose
permissions the machine uses. Passwords are stored hashed (``make_password``), like staff passwords.
"""

import re

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import Conflict, ValidationFailed
from pustaka.core.permissions import is_staff_member
from pustaka.core.registry import action
from pustaka.core.validators import BAD_CHARACTERS, BLANK, TOO_LONG, clean_text

from .models import SipAccount

#: Shortest SIP2 password accepted (self-check machines send it in clear text on every login).
MIN_PASSWORD_LENGTH = 8

# SIP2 separates fields with "|" and ends messages with CR/LF: none of these may appear in a value.
_FORBIDDEN = re.compile(r"[|\r\n\x00-\x1f\x7f]")
_AUDITED = ["login", "institution", "branch", "actor", "is_active"]


#: How the self-check account pages word a text that is wrong.
TEXT_WORDS = {
    BLANK: _("%(label)s is required."),
    TOO_LONG: _("%(label)s may be at most %(limit)s characters long."),
    BAD_CHARACTERS: _("%(label)s may not contain “|” or control characters."),
}


def _clean_text(value, *, field: str, label, max_length: int) -> str:
    return clean_text(
        value, field=field, label=label, max_length=max_length, required=True, forbidden=_FORBIDDEN, words=TEXT_WORDS
    )


def _clean_login(login, *, account: SipAccount | None = None) -> str:
    login = _clean_text(login, field="login", label=_("The login"), max_length=64)
    taken = SipAccount.objects.filter(login__iexact=login)
    if account is not None:
        taken = taken.exclude(pk=account.pk)
    if taken.exists():
        raise Conflict(_("The SIP2 login %(login)s is taken."), field="login", login=login)
    return login


def _clean_password(password) -> str:
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _("The password must be at least %(length)s characters long."), field="password", length=MIN_PASSWORD_LENGTH
        )
    if _FORBIDDEN.search(password) or len(password) > 128:
        raise ValidationFailed(
            _("The password may not contain “|” or control characters and may be at most 128 characters long."),
            field="password",
        )
    return password


def _clean_acts_as(user):
    if user is None or not user.is_active or not is_staff_member(user):
        raise ValidationFailed(
            _("A self-check machine must act as an active staff account with a role."), field="acts_as"
        )
    return user


@action(
    "circulation.sip_account.create", permission="circulation.manage_selfcheck", label=_("Self-check account created")
)
def create_sip_account(*, actor, login: str, password: str, institution: str, branch, acts_as) -> SipAccount:
    """Create the login of a self-check machine that lends at ``branch`` as the staff user ``acts_as``."""
    account = SipAccount(
        login=_clean_login(login),
        password=make_password(_clean_password(password)),
        institution=_clean_text(institution, field="institution", label=_("The institution id"), max_length=32),
        branch=branch,
        actor=_clean_acts_as(acts_as),
    )
    if branch is None:
        raise ValidationFailed(_("Choose the branch where the machine lends."), field="branch")
    account.save()
    audit(actor, "circulation.sip_account.create", account, after=snapshot(account, _AUDITED))
    return account


@action(
    "circulation.sip_account.update", permission="circulation.manage_selfcheck", label=_("Self-check account changed")
)
def update_sip_account(
    *, account: SipAccount, actor, login=None, institution=None, branch=None, acts_as=None
) -> SipAccount:
    """Change the login, institution id, branch or acting staff user of a SIP2 account (not its password)."""
    account = SipAccount.objects.select_for_update().get(pk=account.pk)
    before = snapshot(account, _AUDITED)
    if login is not None:
        account.login = _clean_login(login, account=account)
    if institution is not None:
        account.institution = _clean_text(
            institution, field="institution", label=_("The institution id"), max_length=32
        )
    if branch is not None:
        account.branch = branch
    if acts_as is not None:
        account.actor = _clean_acts_as(acts_as)
    old, new = diff(before, snapshot(account, _AUDITED))
    if new:
        account.save()
        audit(actor, "circulation.sip_account.update", account, before=old, after=new)
    return account


@action(
    "circulation.sip_account.password",
    permission="circulation.manage_selfcheck",
    label=_("Self-check password changed"),
)
def set_sip_password(*, account: SipAccount, password: str, actor) -> SipAccount:
    """Give a SIP2 account a new password (stored hashed; the audit trail never holds it)."""
    account = SipAccount.objects.select_for_update().get(pk=account.pk)
    account.password = make_password(_clean_password(password))
    account.save(update_fields=["password", "updated_at"])
    audit(actor, "circulation.sip_account.password", account)
    return account


@action(
    "circulation.sip_account.deactivate",
    permission="circulation.manage_selfcheck",
    label=_("Self-check account switched off"),
)
def deactivate_sip_account(*, account: SipAccount, actor) -> SipAccount:
    """Stop a SIP2 account: its machine can no longer log in (sessions already open end at the next message)."""
    return _set_active(account=account, actor=actor, active=False)


@action(
    "circulation.sip_account.reactivate",
    permission="circulation.manage_selfcheck",
    label=_("Self-check account switched on"),
)
def reactivate_sip_account(*, account: SipAccount, actor) -> SipAccount:
    """Let a deactivated SIP2 account log in again."""
    return _set_active(account=account, actor=actor, active=True)


def _set_active(*, account: SipAccount, actor, active: bool) -> SipAccount:
    account = SipAccount.objects.select_for_update().get(pk=account.pk)
    if account.is_active != active:
        account.is_active = active
        account.save(update_fields=["is_active", "updated_at"])
        verb = "circulation.sip_account.reactivate" if active else "circulation.sip_account.deactivate"
        audit(actor, verb, account, before={"is_active": not active}, after={"is_active": active})
    return account

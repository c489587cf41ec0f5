"""Login limits: one limiter for the staff and patron web logins and OPDS HTTP Basic (django-axes).

Per account, not per address: after ``AXES_FAILURE_LIMIT`` (5, ``PUSTAKA_LOGIN_MAX_FAILURES``) wrong
passwords for one account, that account is locked for ``AXES_COOLOFF_TIME`` (15 minutes,
``PUSTAKA_LOGIN_LOCKOUT_SECONDS``), whatever address the tries came from; every other account behind
the same address (a whole school behind one NAT) still logs in. An account is named however its owner
typed it: the username, or a patron's card number in any letter case (:func:`account_name`), so the
forms of one account count together.

Per address, only a slow-down: past ``PUSTAKA_LOGIN_ADDRESS_FREE_FAILURES`` (20) failed logins from
one address within the cool-off, each further failure from it is answered a little later (doubling
from a quarter of a second up to ``PUSTAKA_LOGIN_MAX_DELAY`` seconds), so guessing many accounts from
one address is slow while nobody there is locked out.

A locked login is answered ``429`` with ``Retry-After`` and a translated message
(:func:`lockout_response`): a page for the web logins, plain text for OPDS reader apps.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

MAX_NAME = 150
sleep = time.sleep  # replaced in tests: no test waits for a real delay


def cool_off() -> timedelta:
    value = getattr(settings, "AXES_COOLOFF_TIME", None)
    return value if isinstance(value, timedelta) else timedelta(minutes=15)


def retry_after() -> int:
    """Seconds a locked account waits (the whole cool-off: the lock ends that long after its last failure)."""
    return max(1, math.ceil(cool_off().total_seconds()))


#: Functions ``name -> username or None`` that find the account another login name stands for (the
#: patrons app adds the card number, see ``patrons/apps.py``), so core imports no domain app.
ACCOUNT_NAME_FINDERS: list = []


def account_name_finder(function):
    """Register ``function(name) -> username | None`` for :func:`account_name`."""
    ACCOUNT_NAME_FINDERS.append(function)
    return function


def account_name(request, credentials: dict | None = None) -> str | None:
    """The account a login names (``AXES_USERNAME_CALLABLE``): the exact username when there is one,
    else the login of the patron with that card number (any case), else the name as typed, folded."""
    name = (credentials or {}).get("username")
    if name is None and request is not None and request.method == "POST":
        name = request.POST.get("username")
    name = (name or "").strip()[:MAX_NAME]
    if not name:
        return None
    from pustaka.core.models import User

    if User.objects.filter(username=name).exists():
        return name
    for finder in ACCOUNT_NAME_FINDERS:
        linked = finder(name)
        if linked:
            return linked
    return name.casefold()


def is_locked(request, username: str) -> bool:
    """Whether the account ``username`` names is locked now (also prepares ``request`` for axes)."""
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, {"username": username})


def count_failure(request, username: str) -> None:
    """Count a failed login that did not go through ``authenticate`` (e.g. a staff login refused over
    OPDS Basic): the same signal Django sends, so the account and the address count it alike."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def forget_failures(username: str) -> None:
    """A correct password: the account's earlier failures are forgotten."""
    from axes.utils import reset

    reset(username=username)


class LoginLimitBackend(AxesStandaloneBackend):
    """The axes check before every password check; an authentication without a request (a command, the
    test client's ``login``) is not a login anyone can repeat from outside, so it is not limited."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


# Per address: slow down, never lock ------------------------------------------------------------------


def _address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "-") if request is not None else "-"


def address_delay(failures: int) -> float:
    """Seconds to hold back the answer to an address's ``failures``-th failed login in the window."""
    free = int(getattr(settings, "PUSTAKA_LOGIN_ADDRESS_FREE_FAILURES", 20))
    if failures <= free:
        return 0.0
    ceiling = float(getattr(settings, "PUSTAKA_LOGIN_MAX_DELAY", 3.0))
    return min(ceiling, 0.25 * 2 ** min(failures - free - 1, 16))


@receiver(user_login_failed)
def slow_down_address(sender, credentials=None, request=None, **kwargs) -> None:
    """Every failed login (web or OPDS) counts against its address; past the free ones it is slowed."""
    if request is None:
        return
    key = f"login-address:{_address(request)}"
    timeout = max(1, int(cool_off().total_seconds()))
    if cache.add(key, 1, timeout=timeout):
        failures = 1
    else:
        try:
            failures = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
            failures = 1
    delay = address_delay(failures)
    request.login_delay = delay
    if delay:
        sleep(delay)


# The lockout answer ------------------------------------------------------------------------------------


def lockout_message() -> str:
    minutes = max(1, math.ceil(retry_after() / 60))
    return _(
        "Too many wrong passwords for this account: it is locked for %(minutes)s minutes. Wait and try "
        "again, or ask at the library desk."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: 429 with ``Retry-After``; plain text for OPDS, else the lockout page."""
    if request.path.startswith("/opds"):
        response = HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")
    else:
        staff = request.path.startswith("/staff")
        context = {
            "message": lockout_message(),
            "back": "/staff/login/" if staff else "/account/login/",
            "base_template": "staff/base.html" if staff else "opac/base.html",
        }
        response = render(request, "core/lockout.html", context, status=429)
    response["Retry-After"] = str(retry_after())
    response["Cache-Control"] = "private, no-store"
    return response

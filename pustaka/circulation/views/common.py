"""What the desk, check-in and receipt pages share: the desk's branch and the session's scan lines.

A desk session (one patron at the loan desk, or one batch of returns) keeps its lines in the Django
session, so the pages work as plain form posts (post, redirect, show) and survive a reload.
"""

import datetime

from django.utils import timezone

from pustaka.core.models import Branch
from pustaka.core.params import parse_id, parse_ids  # noqa: F401 - used by the desk views

MAX_LINES = 200
BRANCH_KEY = "circulation_branch"


def desk_branch(request) -> Branch | None:
    """The branch this desk works at: the one chosen on the page, else the user's home branch, else the first."""
    branch_id = request.session.get(BRANCH_KEY) or getattr(request.user, "home_branch_id", None)
    branch = Branch.objects.filter(pk=branch_id, is_active=True).first() if branch_id else None
    return branch or Branch.objects.filter(is_active=True).order_by("code").first()


def set_desk_branch(request, branch: Branch) -> None:
    request.session[BRANCH_KEY] = branch.pk


def active_branches():
    return Branch.objects.filter(is_active=True).order_by("code")


def get_lines(request, key: str) -> list[dict]:
    return list(request.session.get(key, {}).get("lines", []))


def add_line(request, key: str, **line) -> None:
    """Append one line (a dict of JSON-able values) to the session's list ``key``; newest last."""
    state = request.session.get(key) or {}
    lines = state.get("lines", [])
    line["at"] = timezone.now().isoformat()
    lines.append(line)
    state["lines"] = lines[-MAX_LINES:]
    request.session[key] = state


def iso(value) -> str:
    return value.isoformat() if value else ""


def parse_iso(value: str):
    """Back from :func:`iso`: an aware datetime, a date, or None."""
    if not value:
        return None
    try:
        if "T" in value:
            return datetime.datetime.fromisoformat(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def lines_for_display(request, key: str) -> list[dict]:
    """The session's lines, newest first, with dates turned back into dates for localised display."""
    shown = []
    for line in reversed(get_lines(request, key)):
        line = dict(line)
        for name in ("due", "at", "old_due"):
            if line.get(name):
                line[name] = parse_iso(line[name])
        shown.append(line)
    return shown

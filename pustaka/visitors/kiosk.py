"""The kiosk screen's credential: a signed cookie naming an open :class:`KioskSession` and its token.

The cookie is scoped to the kiosk's own path (``/visitors/kiosk/``) and only the kiosk page reads it,
so it can record visits at its branch and nothing else; it opens no staff page and no account. The
database keeps a hash of the token; closing the session (staff only) makes the cookie worthless.
"""

from .actions import token_hash
from .models import KioskSession

COOKIE = "pustaka_kiosk"
SALT = "pustaka.visitors.kiosk"
PATH = "/visitors/kiosk/"
MAX_AGE = 400 * 24 * 3600  # a screen may stay open for a year; staff close it


def set_cookie(request, response, kiosk: KioskSession, token: str) -> None:
    """Make the browser of ``request`` the kiosk screen ``kiosk``."""
    response.set_signed_cookie(
        COOKIE,
        f"{kiosk.pk}:{token}",
        salt=SALT,
        max_age=MAX_AGE,
        path=PATH,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def forget(response) -> None:
    """Remove the kiosk cookie from this browser."""
    response.delete_cookie(COOKIE, path=PATH, samesite="Lax")


def current(request) -> KioskSession | None:
    """The open kiosk session this browser's cookie names, or None (no cookie, forged, or closed)."""
    value = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
    if not value or ":" not in value:
        return None
    pk, token = value.split(":", 1)
    if not pk.isdigit():
        return None
    return (
        KioskSession.objects.select_related("branch", "opened_by")
        .filter(pk=int(pk), token_hash=token_hash(token), closed_at__isnull=True, opened_by__isnull=False)
        .first()
    )

"""The API base: the NinjaAPI object, authentication, typed errors as 4xx JSON, pagination.

Every app adds a ``router`` in its own ``api.py``; ``pustaka/urls.py`` mounts the API at ``/api/v1/``.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from .errors import PermissionDenied, PustakaError
from .models import ApiToken
from .permissions import is_staff_member


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` from ``pustaka api-token`` or the staff pages."""

    def authenticate(self, request, token):
        token_row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token_row is None:
            return None
        now = timezone.now()
        if token_row.last_used_at is None or (now - token_row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token_row.pk).update(last_used_at=now)
        request.user = token_row.user
        return token_row.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods need the CSRF token (``X-CSRFToken``)."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


api = NinjaAPI(
    title="Pustaka API",
    version="1",
    description="REST API of Pustaka. Authenticate with `Authorization: Bearer <token>` "
    "(`pustaka api-token USERNAME`) or a staff session. Errors are JSON: "
    "`{code, message, field?}` with a 4xx status.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


@api.exception_handler(PustakaError)
def _pustaka_error(request, exc: PustakaError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.append({"field": ".".join(loc), "message": err.get("msg", "")})
    first = errors[0]["field"] if errors else ""
    return api.create_response(
        request,
        {
            "code": "invalid",
            "message": _("The field “%(field)s” is not valid.") % {"field": first}
            if first
            else _("The data is not valid."),
            "field": first or None,
            "errors": errors,
        },
        status=400,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(
        request, {"code": "not_authenticated", "message": _("Log in or send an API token.")}, status=401
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"code": "error", "message": str(exc)}, status=exc.status_code)


def require_staff(request) -> None:
    """API endpoints for staff only call this first (patrons get 403)."""
    if not is_staff_member(request.user):
        raise PermissionDenied()

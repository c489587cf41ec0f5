"""The API base: the NinjaAPI object, authentication, typed errors as 4xx JSON, pagination.

Every app adds a ``router`` in its own ``api.py``; ``pustaka/urls.py`` mounts the API at ``/api/v1/``.

Rules every endpoint follows:

- Who may call it: staff endpoints call :func:`require_staff` first (a patron gets 403, nobody gets
  in without a token or a session: 401); reads then check the view permission, writes call an action,
  which checks its own permission.
- Errors are JSON ``{"code", "message", "field"?}`` with a 4xx status, documented with ``ERRORS``;
  the message follows ``Accept-Language``.
- Lists are paginated with :class:`Pagination` (``page``, ``page_size`` up to ``MAX_PAGE_SIZE``).
"""

import math
import types
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import BeforeValidator, ConfigDict, ValidationInfo, field_validator

from .errors import BranchNotFound, NotFound, PermissionDenied, PustakaError  # noqa: F401 - BranchNotFound re-exported
from .models import ApiToken
from .params import MAX_ID  # noqa: F401 - the API schemas of every app bound ids with it
from .permissions import is_staff_member

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class NotAuthenticated(PustakaError):
    """No valid token and no logged-in session."""

    code = "not_authenticated"
    status = 401
    message = gettext_lazy("Log in or send an API token.")


class InvalidToken(NotAuthenticated):
    """A bearer token was sent but it is unknown, revoked, or its user is no longer active."""

    code = "invalid_token"
    message = gettext_lazy("The API token is not valid or has been revoked.")


class CsrfFailed(PermissionDenied):
    """A browser session tried to change something without the CSRF token."""

    code = "csrf_failed"
    message = gettext_lazy("The CSRF token is missing or wrong; reload the page and try again.")


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` from ``pustaka api-token`` or the staff pages.

    A token that is sent but does not work is refused outright (401), even when a session exists.
    """

    def authenticate(self, request, token):
        token_row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token.strip()), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token_row is None:
            raise InvalidToken()
        now = timezone.now()
        if token_row.last_used_at is None or (now - token_row.last_used_at).total_seconds() > 60:
            # Bookkeeping of the token itself (not a library write): at most once a minute.
            ApiToken.objects.filter(pk=token_row.pk).update(last_used_at=now)
        request.user = token_row.user
        return token_row.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods need the CSRF token (``X-CSRFToken``)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=False)  # checked below, only once we know a session user is there

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if request.method in UNSAFE_METHODS and not exempt and check_csrf(request) is not None:
            raise CsrfFailed()
        return user

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return None


api = NinjaAPI(
    title="Pustaka API",
    version="1",
    description="REST API of Pustaka. Authenticate with `Authorization: Bearer <token>` "
    "(`pustaka api-token USERNAME`) or a staff session (unsafe methods then need the "
    "`X-CSRFToken` header). Errors are JSON `{code, message, field?}` with a 4xx status; "
    "the message follows `Accept-Language`. Lists are paginated: `?page=1&page_size=25` "
    f"(at most {MAX_PAGE_SIZE}) and answer `{{items, count, page, page_size, pages}}`.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)


def _amount_in(value):
    """An amount sent as a JSON string is read as people type it (``"5.000"`` is five thousand,
    ``"5.000,50"``, ``"Rp 5.000"``: :func:`pustaka.core.numbers.parse_amount`); a JSON number as it is."""
    from .numbers import NumberNotUnderstood, parse_amount

    if isinstance(value, str):
        try:
            return parse_amount(value, allow_negative=True)
        except NumberNotUnderstood as error:
            raise ValueError(str(error)) from None
    return value


#: The type of every money field the API accepts.
AmountIn = Annotated[Decimal, BeforeValidator(_amount_in)]


def _is_whole_number(annotation) -> bool:
    """``int`` or ``int | None`` (never ``bool``, which Python counts as an int)."""
    if annotation is int:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        return kinds == [int]
    return False


def _count_in(value):
    """A whole number sent as text is read as people type it: ``"1.000"`` and ``"1,000"`` are a
    thousand (:func:`pustaka.core.numbers.parse_count`), never one as plain pydantic reads ``"1.000"``."""
    from .numbers import NumberNotUnderstood, parse_count

    if isinstance(value, str):
        try:
            return parse_count(value)
        except NumberNotUnderstood as error:
            raise ValueError(str(error)) from None
    return value


def reject_nul(value):
    """Text with a NUL character is refused (PostgreSQL cannot store it): a 400, not a 500."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if isinstance(value, list | tuple):
        for part in value:
            reject_nul(part)
    elif isinstance(value, dict):
        for key, part in value.items():
            reject_nul(key)
            reject_nul(part)
    return value


class QuerySchema(Schema):
    """Base of query-string filters. Every whole-number field reads ``"1.000"`` as a thousand, the way
    the pages do (:func:`_count_in`)."""

    @field_validator("*", mode="before")
    @classmethod
    def _whole_numbers_as_typed(cls, value, info: ValidationInfo):
        field = cls.model_fields.get(info.field_name)
        if field is not None and _is_whole_number(field.annotation):
            return _count_in(value)
        return value

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value):
        return reject_nul(value)


class InSchema(QuerySchema):
    """Base of request bodies: an unknown field is an error naming it, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every error the API answers: a stable ``code``, a translated ``message``, the bad ``field``."""

    code: str
    message: str
    field: str | None = None
    errors: list[FieldErrorOut] | None = None


# Responses documented on endpoints: ``response={200: RecordOut, **ERRORS}``.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class Pagination(PaginationBase):
    """``?page=&page_size=``; answers ``{items, count, page, page_size, pages}``."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Rows per page, at most {MAX_PAGE_SIZE}."
        )

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int
        pages: int

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request, **params):
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": max(1, math.ceil(count / pagination.page_size)),
        }


def get_or_error(queryset: QuerySet, error: type[PustakaError], params: dict, **lookup):
    """The one row matching ``lookup``, or raise ``error(**params)`` (a typed 404)."""
    for value in lookup.values():
        if (isinstance(value, str) and "\x00" in value) or (isinstance(value, int) and not 0 < value <= MAX_ID):
            raise error(**params)
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise error(**params)
    return obj


@api.exception_handler(PustakaError)
def _pustaka_error(request, exc: PustakaError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


_IGNORED_LOC = {"body", "query", "path", "payload", "filters", "ninja_pagination", "header", "cookie"}


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in _IGNORED_LOC]
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
    return _pustaka_error(request, NotAuthenticated())


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _pustaka_error(request, NotFound())


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400:  # the body could not be parsed
        body = {"code": "bad_request", "message": _("The request body could not be read; send JSON.")}
    else:
        body = {"code": "error", "message": str(exc)}
    return api.create_response(request, body, status=exc.status_code)


def require_staff(request) -> None:
    """API endpoints for staff only call this first (patrons get 403)."""
    if not is_staff_member(request.user):
        raise PermissionDenied()


#: Who may call an endpoint, as its ``audience`` attribute says (the generated refusal tests read it).
STAFF = "staff"  # staff members holding the endpoint's permission; patrons get 403
PATRONS = "patrons"  # staff holding the permission, or a patron for their own data only
ANYONE_LOGGED_IN = "anyone logged in"  # any authenticated user, staff or patron


def _declare(view, permission, audience, any_of=()):
    permissions = (permission,) if isinstance(permission, str) else tuple(permission or ())
    view.required_permission = permission
    view.required_permissions = permissions
    view.required_any_permission = tuple(any_of)
    view.audience = audience
    return permissions


def staff_endpoint(permission: str | tuple[str, ...] | None = None, *, any_of: tuple[str, ...] = ()):
    """Declare and check who may call an API endpoint: a staff member holding ``permission`` (every one
    of them when a tuple; any staff member when None) and at least one of ``any_of`` when given.
    Anonymous callers get 401 (authentication runs first), a patron or a staff member without the
    permission 403, before the endpoint reads anything.

    ``@router.post("/shipments/{id}/send")`` then ``@staff_endpoint(actions.send_shipment.permission)``
    (below ``@paginate`` on lists). Sets ``required_permission`` and ``audience`` on the endpoint, as
    :func:`pustaka.core.permissions.staff_view` does on staff pages.
    """
    from functools import wraps

    from .permissions import require

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require_staff(request)
            for perm in permissions:
                require(request.user, perm)
            if any_of and not any(request.user.has_perm(p) for p in any_of):
                raise PermissionDenied()
            return view(request, *args, **kwargs)

        permissions = _declare(wrapper, permission, STAFF, any_of)
        return wrapper

    return decorator


def patron_endpoint(permission: str | tuple[str, ...]):
    """Declare and check an endpoint staff and patrons share: a staff member needs ``permission``
    (else 403); any other logged-in user is let through and the endpoint answers only their own
    patron record's data (or refuses a user who has none)."""
    from functools import wraps

    from .permissions import require

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if is_staff_member(request.user):
                for perm in permissions:
                    require(request.user, perm)
            return view(request, *args, **kwargs)

        permissions = _declare(wrapper, permission, PATRONS)
        return wrapper

    return decorator


def user_endpoint():
    """Declare an endpoint any logged-in user may call (staff or patron); anonymous callers get 401."""

    def decorator(view):
        _declare(view, None, ANYONE_LOGGED_IN)
        return view

    return decorator

"""Permission checks used by every action, page and API endpoint.

Permissions are Django permissions (``app_label.codename``) granted to roles (groups). A patron
account will simply be a user with no staff role, so the same ``require`` refuses staff actions.
"""

from .errors import PermissionDenied


def has(actor, perm: str) -> bool:
    """True when ``actor`` (a user, or None for the system) holds ``perm``. The system may do anything."""
    if actor is None:
        return True
    return bool(actor.is_active and actor.has_perm(perm))


def acting_user(actor):
    """The user to record as having done something: ``actor``, or None for the system."""
    return actor if actor is not None and getattr(actor, "pk", None) else None


def require(actor, perm: str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` holds ``perm``."""
    if not has(actor, perm):
        raise PermissionDenied()


def is_staff_member(user) -> bool:
    """Staff are users with at least one role (or superusers); patrons have none."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # Remembered on the user object for its lifetime (a request, a SIP2 message), like Django's
    # permission cache, so an action that checks several times asks the database once.
    cached = getattr(user, "_pustaka_has_role", None)
    if cached is None:
        cached = user._pustaka_has_role = user.groups.exists()
    return cached


def staff_view(perm: str | None = None, *, any_of: tuple[str, ...] = ()):
    """Decorate a staff page: anonymous users go to the login page, others need a role (and ``perm``,
    or at least one of ``any_of``; ``staff_view()`` alone: any staff member).

    A logged-in patron or a staff member without ``perm`` gets 403. The view then carries
    ``required_permission`` and ``required_any_permission``, which the generated refusal tests read.
    """
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_member(request.user) or (perm and not request.user.has_perm(perm)):
                raise DjangoPermissionDenied
            if any_of and not any(request.user.has_perm(p) for p in any_of):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permission = perm
        wrapper.required_any_permission = tuple(any_of)
        return wrapper

    return decorator

"""Core pages: health, the audit history of any object, branches and locations."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pustaka.core.permissions import is_staff_member


@never_cache
@require_GET
def health(request):
    """Public. 200 with the database state and each app's part (the search index's, see
    :mod:`pustaka.core.health`); 503 when the database cannot be reached."""
    from ..health import HEALTH_PARTS

    state = {"status": "ok", "database": {"vendor": connection.vendor}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"]["ok"] = True
        is_staff = is_staff_member(request.user)
        for name, part in HEALTH_PARTS.items():
            state[name] = part(is_staff)
    except Exception as exc:  # the database is down: say so, do not crash
        state["status"] = "error"
        state["database"]["ok"] = False
        state["database"]["error"] = exc.__class__.__name__
        return JsonResponse(state, status=503)
    return JsonResponse(state)


def permission_denied(request, exception=None):
    """Public (Django's 403 handler). A member of staff refused a page keeps the staff menu, so they
    can go on to a page they may open; everyone else sees the catalogue's refusal page."""
    from django.shortcuts import render

    user = getattr(request, "user", None)
    staff = user is not None and is_staff_member(user)
    template = "staff/403.html" if staff else "403.html"
    return render(request, template, status=403)

"""Core pages: health, the audit history of any object, branches and locations."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pustaka.core.permissions import is_staff_member


@never_cache
@require_GET
def health(request):
    """Public. 200 with the database and search index state; 503 when the database cannot be reached."""
    from pustaka.search.changes import last_sequence
    from pustaka.search.state import index_state

    state = {"status": "ok", "database": {"vendor": connection.vendor}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"]["ok"] = True
        state["index"] = index_state(last_sequence())
        if not is_staff_member(request.user):  # the public learns the state, not the server's folders
            state["index"].pop("path", None)
            if "error" in state["index"]:
                state["index"]["error"] = "unreadable"
    except Exception as exc:  # the database is down: say so, do not crash
        state["status"] = "error"
        state["database"]["ok"] = False
        state["database"]["error"] = exc.__class__.__name__
        return JsonResponse(state, status=503)
    return JsonResponse(state)

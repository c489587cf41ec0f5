"""What /health says about the search index: the sequence stored in the index and how much waits."""

from django.conf import settings


def index_state(last_logged: int) -> dict:
    """The index folder, the last change applied (read from the index itself) and how many logged changes wait."""
    from .engine import applied_sequence

    try:
        applied = applied_sequence()
    except Exception as error:  # noqa: BLE001 - /health must answer even with a damaged index
        return {
            "engine": "tantivy",
            "path": str(settings.PUSTAKA_INDEX_DIR),
            "ok": False,
            "error": str(error)[:200],
            "applied_sequence": 0,
            "logged_sequence": last_logged,
            "pending": _pending(0, last_logged),
        }
    return {
        "engine": "tantivy",
        "path": str(settings.PUSTAKA_INDEX_DIR),
        "ok": applied is not None,
        "applied_sequence": applied or 0,
        "logged_sequence": last_logged,
        "pending": _pending(applied or 0, last_logged),
    }


def _pending(applied: int, last_logged: int) -> int:
    """Logged changes after the applied one (sequence numbers may have gaps, so count rows)."""
    from .models import ChangeLog

    if last_logged <= applied:
        return 0
    return ChangeLog.objects.filter(id__gt=applied).count()

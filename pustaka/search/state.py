"""What /health says about the search index until the tantivy engine lands (issue 6)."""

from django.conf import settings


def index_state(last_logged: int) -> dict:
    """The index folder, the last change applied and how many logged changes wait."""
    marker = settings.PUSTAKA_INDEX_DIR / "applied_sequence"
    applied = int(marker.read_text().strip() or 0) if marker.exists() else 0
    return {
        "engine": "database",
        "path": str(settings.PUSTAKA_INDEX_DIR),
        "applied_sequence": applied,
        "logged_sequence": last_logged,
        "pending": max(0, last_logged - applied),
    }

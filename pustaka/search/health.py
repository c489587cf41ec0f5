"""The search index's part of ``/health``: how far the index has followed the change log."""

from pustaka.core.health import health_part


@health_part("index")
def index_health(is_staff: bool) -> dict:
    """The index state; the public learns the state, not the server's folders."""
    from .changes import last_sequence
    from .state import index_state

    state = index_state(last_sequence())
    if not is_staff:
        state.pop("path", None)
        if "error" in state:
            state["error"] = "unreadable"
    return state

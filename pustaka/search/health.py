"""The search index's part of ``/health``: how far the index has followed the change log."""

from pustaka.core.health import health_part


@health_part("index")
def index_health(is_staff: bool) -> dict:
    """The index state; the public learns the state, not the server's folders."""
    from .changes import last_sequence
    from .replicas import pruned_through, replicas_overview
    from .state import index_state

    state = index_state(last_sequence())
    state["pruned_through"] = pruned_through()
    replicas = replicas_overview()
    state["replicas"] = replicas if is_staff else len(replicas)  # the public learns no node names
    if not is_staff:
        state.pop("path", None)
        if "error" in state:
            state["error"] = "unreadable"
    return state

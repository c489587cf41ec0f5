"""Technical services' status tables, one module per workflow (the item lifecycle itself is
``holdings/transitions.py``). The actions in ``technical/actions/`` change these statuses only through
:func:`pustaka.core.transitions.move`; ``technical/tests/test_transitions.py`` iterates every table."""

from .bindery import SHIPMENTS
from .pulling import PULL_ENTRIES, PULL_LISTS
from .repair import REPAIRS
from .serials import ISSUES
from .stocktake import STOCKTAKES
from .weeding import WEEDING_DECISIONS

MACHINES = (SHIPMENTS, REPAIRS, ISSUES, STOCKTAKES, PULL_LISTS, PULL_ENTRIES, WEEDING_DECISIONS)

__all__ = [
    "ISSUES",
    "MACHINES",
    "PULL_ENTRIES",
    "PULL_LISTS",
    "REPAIRS",
    "SHIPMENTS",
    "STOCKTAKES",
    "WEEDING_DECISIONS",
]

"""Pull lists and their entries: a list is worked while open; each entry is pulled or not found."""

from pustaka.core.transitions import StateMachine, Transition

from ..choices import PullEntryState as E
from ..choices import PullListStatus as S

#: A list is closed once (its waiting entries become not found); a closed list is not worked any more.
PULL_LISTS = StateMachine(
    "technical.PullList",
    S,
    [Transition(S.OPEN, S.CLOSED, "technical.close_pull_lists", "maintenance.pulling.close")],
    initial=(S.OPEN,),
)

SCAN = "maintenance.pulling.scan"
NOT_FOUND = "maintenance.pulling.not_found"

#: The technician scans an entry's copy off the shelf (also one not found before, which turned up) or
#: flags it not found (again: a note is added). A pulled entry is final.
PULL_ENTRIES = StateMachine(
    "technical.PullListEntry",
    E,
    [
        Transition(E.WAITING, E.PULLED, "holdings.pull_item", SCAN),
        Transition(E.NOT_FOUND, E.PULLED, "holdings.pull_item", SCAN),
        Transition(E.WAITING, E.NOT_FOUND, "holdings.pull_item", NOT_FOUND),
        Transition(E.NOT_FOUND, E.NOT_FOUND, "holdings.pull_item", NOT_FOUND),
    ],
    field="state",
    initial=(E.WAITING,),
)

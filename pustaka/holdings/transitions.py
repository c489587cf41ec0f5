"""The item lifecycle as data: every allowed status change, the permission it needs, its verb and
the workflow that owns it.

Actions never set ``Item.status`` directly; they call :func:`pustaka.holdings.actions.move_item`
with their ``workflow``, which looks the move up here and refuses a move another workflow owns (a
repair ticket is closed only by the repair action, a bindery shipment only by the bindery's). The
item page and the items API make only the moves the ``item`` workflow owns. Tests iterate this table.

The rows are :class:`pustaka.core.transitions.Transition` rows with the item's extra columns (the
workflow that owns the move, the pull reason it needs); :data:`ITEMS` is the table as a core state
machine, whose plain ``move`` is refused: an item moves only through ``move_item``, which also keeps
the pull reason, the loan count and the workflow's records right.
"""

from dataclasses import dataclass

from pustaka.core import transitions as core

from .choices import ItemStatus as S
from .choices import PullReason as R
from .choices import Workflow as W


@dataclass(frozen=True)
class Transition(core.Transition):
    """``source`` → ``target`` is allowed to holders of ``permission``, made only by the actions of
    ``workflow`` (and of the workflows in ``also``); ``reason`` guards pulled items."""

    workflow: str
    reason: str = ""  # for moves out of ``pulled``: the pull reason the item must have
    also: tuple[str, ...] = ()  # other workflows that make this move too

    @property
    def owners(self) -> tuple[str, ...]:
        """Every workflow that may make this move, the main one first."""
        return (self.workflow, *self.also)

    def owned_by(self, workflow: str) -> bool:
        """Whether the actions of ``workflow`` may make this move."""
        return workflow in self.owners

    @property
    def generic(self) -> bool:
        """Whether the item page and the items API may make this move by hand."""
        return self.owned_by(W.ITEM)


# The page where each workflow's moves are made (URL names, for the messages of refused moves).
WORKFLOW_PAGES = {
    W.ITEM: "holdings:item_list",
    W.DESK: "circulation:desk",
    W.PROCESSING: "technical:processing_queue",
    W.SHELVING: "technical:shelving_queue",
    W.PULLING: "technical:pulling_list",
    W.REPAIR: "technical:repair_queue",
    W.BINDERY: "technical:bindery_home",
    W.WEEDING: "technical:sale_withdrawals",
    W.SALE: "technical:sale_home",
    W.STOCKTAKE: "technical:stocktake_list",
}

SHELF_STATES = (S.AVAILABLE, S.READY_FOR_SHELVING, S.ON_HOLD_SHELF, S.PULLED)

#: The statuses that say a copy stands on its own shelf, where a stocktake or a pull list expects to
#: find it. Only such a copy can be marked missing: a copy on the hold shelf, the shelving trolley, a
#: pull list or a loan is somewhere known, and marking it missing would strand its hold or its work.
ON_ITS_SHELF = (S.AVAILABLE,)

TRANSITIONS: list[Transition] = [
    # From order to shelf. No acquisitions workflow yet: an ordered copy is received on the item page.
    Transition(S.ON_ORDER, S.RECEIVED, "holdings.receive_item", "holdings.item.receive", W.ITEM),
    Transition(S.RECEIVED, S.IN_PROCESSING, "holdings.process_item", "holdings.item.start_processing", W.PROCESSING),
    # Only when every processing step is done (technical.actions.processing).
    Transition(
        S.IN_PROCESSING, S.READY_FOR_SHELVING, "holdings.process_item", "holdings.item.finish_processing", W.PROCESSING
    ),
    Transition(S.READY_FOR_SHELVING, S.AVAILABLE, "holdings.shelve_item", "holdings.item.shelve", W.SHELVING),
    # A reviewer sends processed work back (the send-back action also requires technical.review_work).
    Transition(S.READY_FOR_SHELVING, S.IN_PROCESSING, "holdings.process_item", "holdings.item.send_back", W.PROCESSING),
    # Circulation: each of these goes with a loan or a hold.
    Transition(S.AVAILABLE, S.ON_LOAN, "holdings.circulate_item", "holdings.item.lend", W.DESK),
    # Returns wait on the shelving trolley (the shelving queue); a reader may borrow one from there.
    Transition(S.READY_FOR_SHELVING, S.ON_LOAN, "holdings.circulate_item", "holdings.item.lend", W.DESK),
    Transition(S.READY_FOR_SHELVING, S.ON_HOLD_SHELF, "holdings.circulate_item", "holdings.item.trap_hold", W.DESK),
    Transition(S.READY_FOR_SHELVING, S.IN_TRANSIT, "holdings.circulate_item", "holdings.item.send_in_transit", W.DESK),
    Transition(S.ON_HOLD_SHELF, S.ON_LOAN, "holdings.circulate_item", "holdings.item.lend", W.DESK),
    Transition(S.ON_LOAN, S.AVAILABLE, "holdings.circulate_item", "holdings.item.return", W.DESK),
    Transition(S.ON_LOAN, S.READY_FOR_SHELVING, "holdings.circulate_item", "holdings.item.return", W.DESK),
    Transition(S.ON_LOAN, S.ON_HOLD_SHELF, "holdings.circulate_item", "holdings.item.return_to_hold_shelf", W.DESK),
    Transition(S.ON_LOAN, S.IN_TRANSIT, "holdings.circulate_item", "holdings.item.return_in_transit", W.DESK),
    Transition(S.AVAILABLE, S.ON_HOLD_SHELF, "holdings.circulate_item", "holdings.item.trap_hold", W.DESK),
    Transition(S.AVAILABLE, S.IN_TRANSIT, "holdings.circulate_item", "holdings.item.send_in_transit", W.DESK),
    Transition(
        S.ON_HOLD_SHELF, S.READY_FOR_SHELVING, "holdings.circulate_item", "holdings.item.clear_hold_shelf", W.DESK
    ),
    Transition(S.ON_HOLD_SHELF, S.IN_TRANSIT, "holdings.circulate_item", "holdings.item.send_in_transit", W.DESK),
    Transition(S.IN_TRANSIT, S.AVAILABLE, "holdings.circulate_item", "holdings.item.receive_transit", W.DESK),
    Transition(S.IN_TRANSIT, S.READY_FOR_SHELVING, "holdings.circulate_item", "holdings.item.receive_transit", W.DESK),
    Transition(S.IN_TRANSIT, S.ON_HOLD_SHELF, "holdings.circulate_item", "holdings.item.receive_transit", W.DESK),
    # Pulling for weeding, repair and binding.
    Transition(S.AVAILABLE, S.PULLED, "holdings.pull_item", "holdings.item.pull", W.PULLING),
    Transition(S.PULLED, S.AVAILABLE, "holdings.pull_item", "holdings.item.cancel_pull", W.PULLING),
    Transition(S.PULLED, S.IN_REPAIR, "holdings.repair_item", "holdings.item.start_repair", W.REPAIR, reason=R.REPAIR),
    Transition(S.IN_REPAIR, S.READY_FOR_SHELVING, "holdings.repair_item", "holdings.item.finish_repair", W.REPAIR),
    # A repair that needs the bindery (pulled for binding) or cannot be saved (pulled for weeding).
    Transition(S.IN_REPAIR, S.PULLED, "holdings.repair_item", "holdings.item.pull_from_repair", W.REPAIR),
    Transition(S.PULLED, S.AT_BINDERY, "holdings.bind_item", "holdings.item.send_to_bindery", W.BINDERY, reason=R.BIND),
    Transition(
        S.AT_BINDERY, S.READY_FOR_SHELVING, "holdings.bind_item", "holdings.item.receive_from_bindery", W.BINDERY
    ),
    Transition(S.PULLED, S.WITHDRAWN, "holdings.withdraw_item", "holdings.item.withdraw", W.WEEDING, reason=R.WEED),
    Transition(S.WITHDRAWN, S.FOR_SALE, "holdings.sell_item", "holdings.item.offer_for_sale", W.SALE),
    Transition(S.FOR_SALE, S.SOLD, "holdings.sell_item", "holdings.item.sell", W.SALE),
    Transition(S.WITHDRAWN, S.DISCARDED, "holdings.withdraw_item", "holdings.item.discard", W.SALE),
    Transition(S.FOR_SALE, S.DISCARDED, "holdings.withdraw_item", "holdings.item.discard", W.SALE),
    # Lost and found. A copy that should stand on its shelf and is not there at a stocktake (or for a
    # pull list) is missing.
    *[
        Transition(s, S.MISSING, "holdings.mark_missing", "holdings.item.mark_missing", W.STOCKTAKE, also=(W.PULLING,))
        for s in ON_ITS_SHELF
    ],
    # A lost copy has an open loan: it is declared lost and comes back at the desk (the loan closes).
    Transition(S.ON_LOAN, S.LOST, "holdings.mark_lost", "holdings.item.mark_lost", W.DESK),
    # A missing copy has no open record: whoever finds it may bring it back or write it off.
    Transition(
        S.MISSING,
        S.READY_FOR_SHELVING,
        "holdings.find_item",
        "holdings.item.found",
        W.ITEM,
        also=(W.STOCKTAKE, W.DESK),
    ),
    # A missing copy scanned in its place at a stocktake, or found on its shelf for a pull list, is back.
    Transition(S.MISSING, S.AVAILABLE, "holdings.find_item", "holdings.item.found", W.STOCKTAKE, also=(W.PULLING,)),
    Transition(S.LOST, S.READY_FOR_SHELVING, "holdings.find_item", "holdings.item.found", W.DESK),
    Transition(S.MISSING, S.WITHDRAWN, "holdings.withdraw_item", "holdings.item.write_off", W.ITEM),
    Transition(S.LOST, S.WITHDRAWN, "holdings.withdraw_item", "holdings.item.write_off", W.DESK),
]

# Statuses an item can be created in (a new copy is ordered, received, or catalogued on the shelf).
INITIAL_STATUSES = (S.ON_ORDER, S.RECEIVED, S.IN_PROCESSING, S.AVAILABLE)

#: The item lifecycle as a core state machine (items move only through ``holdings.actions.move_item``).
ITEMS = core.StateMachine(
    "holdings.Item", S, TRANSITIONS, initial=INITIAL_STATUSES, via="pustaka.holdings.actions.move_item"
)


def find(source: str, target: str) -> Transition | None:
    """The transition from ``source`` to ``target``, or None when that move is not allowed."""
    return ITEMS.find(source, target)


def sources(verb: str) -> tuple[str, ...]:
    """Every status from which the move named ``verb`` may be made (e.g. where a copy can be lent from)."""
    return ITEMS.sources(verb)


def targets(source: str) -> list[str]:
    """Every status an item in ``source`` may move to."""
    return ITEMS.targets(source)

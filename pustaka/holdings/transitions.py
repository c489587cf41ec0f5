"""The item lifecycle as data: every allowed status change, the permission it needs and its verb.

Actions never set ``Item.status`` directly; they call :func:`pustaka.holdings.actions.move_item`,
which looks the move up here. Tests iterate this table.
"""

from dataclasses import dataclass

from .choices import ItemStatus as S
from .choices import PullReason as R


@dataclass(frozen=True)
class Transition:
    """``source`` → ``target`` is allowed to holders of ``permission``; ``reason`` guards pulled items."""

    source: str
    target: str
    permission: str
    verb: str
    reason: str = ""  # for moves out of ``pulled``: the pull reason the item must have

    @property
    def at_the_desk(self) -> bool:
        """Lending, returning, hold shelf and transit belong to the circulation desk (they go with a
        loan or a hold), so the item page and the items API never make them by hand."""
        return self.verb in DESK_VERBS


DESK_VERBS = frozenset(
    {
        "holdings.item.lend",
        "holdings.item.return",
        "holdings.item.return_to_hold_shelf",
        "holdings.item.return_in_transit",
        "holdings.item.trap_hold",
        "holdings.item.send_in_transit",
        "holdings.item.clear_hold_shelf",
        "holdings.item.receive_transit",
        "holdings.item.mark_lost",
    }
)

SHELF_STATES = (S.AVAILABLE, S.READY_FOR_SHELVING, S.ON_HOLD_SHELF, S.PULLED)

TRANSITIONS: list[Transition] = [
    # From order to shelf.
    Transition(S.ON_ORDER, S.RECEIVED, "holdings.receive_item", "holdings.item.receive"),
    Transition(S.RECEIVED, S.IN_PROCESSING, "holdings.process_item", "holdings.item.start_processing"),
    Transition(S.IN_PROCESSING, S.READY_FOR_SHELVING, "holdings.process_item", "holdings.item.finish_processing"),
    Transition(S.READY_FOR_SHELVING, S.AVAILABLE, "holdings.shelve_item", "holdings.item.shelve"),
    # A reviewer sends processed work back (the send-back action also requires maintenance.review_work).
    Transition(S.READY_FOR_SHELVING, S.IN_PROCESSING, "holdings.process_item", "holdings.item.send_back"),
    # Circulation.
    Transition(S.AVAILABLE, S.ON_LOAN, "holdings.circulate_item", "holdings.item.lend"),
    # Returns wait on the shelving trolley (the shelving queue); a reader may borrow one from there.
    Transition(S.READY_FOR_SHELVING, S.ON_LOAN, "holdings.circulate_item", "holdings.item.lend"),
    Transition(S.READY_FOR_SHELVING, S.ON_HOLD_SHELF, "holdings.circulate_item", "holdings.item.trap_hold"),
    Transition(S.READY_FOR_SHELVING, S.IN_TRANSIT, "holdings.circulate_item", "holdings.item.send_in_transit"),
    Transition(S.ON_HOLD_SHELF, S.ON_LOAN, "holdings.circulate_item", "holdings.item.lend"),
    Transition(S.ON_LOAN, S.AVAILABLE, "holdings.circulate_item", "holdings.item.return"),
    Transition(S.ON_LOAN, S.READY_FOR_SHELVING, "holdings.circulate_item", "holdings.item.return"),
    Transition(S.ON_LOAN, S.ON_HOLD_SHELF, "holdings.circulate_item", "holdings.item.return_to_hold_shelf"),
    Transition(S.ON_LOAN, S.IN_TRANSIT, "holdings.circulate_item", "holdings.item.return_in_transit"),
    Transition(S.AVAILABLE, S.ON_HOLD_SHELF, "holdings.circulate_item", "holdings.item.trap_hold"),
    Transition(S.AVAILABLE, S.IN_TRANSIT, "holdings.circulate_item", "holdings.item.send_in_transit"),
    Transition(S.ON_HOLD_SHELF, S.READY_FOR_SHELVING, "holdings.circulate_item", "holdings.item.clear_hold_shelf"),
    Transition(S.ON_HOLD_SHELF, S.IN_TRANSIT, "holdings.circulate_item", "holdings.item.send_in_transit"),
    Transition(S.IN_TRANSIT, S.AVAILABLE, "holdings.circulate_item", "holdings.item.receive_transit"),
    Transition(S.IN_TRANSIT, S.READY_FOR_SHELVING, "holdings.circulate_item", "holdings.item.receive_transit"),
    Transition(S.IN_TRANSIT, S.ON_HOLD_SHELF, "holdings.circulate_item", "holdings.item.receive_transit"),
    # Pulling for weeding, repair and binding.
    Transition(S.AVAILABLE, S.PULLED, "holdings.pull_item", "holdings.item.pull"),
    Transition(S.PULLED, S.AVAILABLE, "holdings.pull_item", "holdings.item.cancel_pull"),
    Transition(S.PULLED, S.IN_REPAIR, "holdings.repair_item", "holdings.item.start_repair", reason=R.REPAIR),
    Transition(S.IN_REPAIR, S.READY_FOR_SHELVING, "holdings.repair_item", "holdings.item.finish_repair"),
    # A repair that needs the bindery (pulled for binding) or cannot be saved (pulled for weeding).
    Transition(S.IN_REPAIR, S.PULLED, "holdings.repair_item", "holdings.item.pull_from_repair"),
    Transition(S.PULLED, S.AT_BINDERY, "holdings.bind_item", "holdings.item.send_to_bindery", reason=R.BIND),
    Transition(S.AT_BINDERY, S.READY_FOR_SHELVING, "holdings.bind_item", "holdings.item.receive_from_bindery"),
    Transition(S.PULLED, S.WITHDRAWN, "holdings.withdraw_item", "holdings.item.withdraw", reason=R.WEED),
    Transition(S.WITHDRAWN, S.FOR_SALE, "holdings.sell_item", "holdings.item.offer_for_sale"),
    Transition(S.FOR_SALE, S.SOLD, "holdings.sell_item", "holdings.item.sell"),
    Transition(S.WITHDRAWN, S.DISCARDED, "holdings.withdraw_item", "holdings.item.discard"),
    Transition(S.FOR_SALE, S.DISCARDED, "holdings.withdraw_item", "holdings.item.discard"),
    # Lost and found.
    *[Transition(s, S.MISSING, "holdings.mark_missing", "holdings.item.mark_missing") for s in SHELF_STATES],
    Transition(S.ON_LOAN, S.LOST, "holdings.mark_lost", "holdings.item.mark_lost"),
    Transition(S.MISSING, S.READY_FOR_SHELVING, "holdings.find_item", "holdings.item.found"),
    Transition(S.LOST, S.READY_FOR_SHELVING, "holdings.find_item", "holdings.item.found"),
    Transition(S.MISSING, S.WITHDRAWN, "holdings.withdraw_item", "holdings.item.write_off"),
    Transition(S.LOST, S.WITHDRAWN, "holdings.withdraw_item", "holdings.item.write_off"),
]

_BY_MOVE: dict[tuple[str, str], Transition] = {(t.source, t.target): t for t in TRANSITIONS}


def find(source: str, target: str) -> Transition | None:
    """The transition from ``source`` to ``target``, or None when that move is not allowed."""
    return _BY_MOVE.get((str(source), str(target)))


def sources(verb: str) -> tuple[str, ...]:
    """Every status from which the move named ``verb`` may be made (e.g. where a copy can be lent from)."""
    return tuple(dict.fromkeys(t.source for t in TRANSITIONS if t.verb == verb))


def targets(source: str) -> list[str]:
    """Every status an item in ``source`` may move to."""
    return [t.target for t in TRANSITIONS if t.source == source]


# Statuses an item can be created in (a new copy is ordered, received, or catalogued on the shelf).
INITIAL_STATUSES = (S.ON_ORDER, S.RECEIVED, S.IN_PROCESSING, S.AVAILABLE)

"""Holds as data: every status change of a hold (reservation), the permission it needs and its verb.

The hold actions (``circulation/actions/holds.py``) and the desk's check-out and check-in
(``circulation/actions/lending.py``) change a hold's status only through
:func:`pustaka.core.transitions.move`; ``tests/test_hold_transitions.py`` iterates the table.
"""

from pustaka.core.transitions import StateMachine, Transition

from .choices import HoldStatus as H

CHANGE = "circulation.manage_holds"
TRAP = "circulation.hold.trap"
CANCEL = "circulation.hold.cancel"
EXPIRE = "circulation.hold.expire"

#: A hold waits in the queue until a copy is set aside for it (on the hold shelf, or in transit to the
#: pickup branch first), and ends collected, cancelled or expired. The moves with no permission follow
#: from a desk action that checked who may do it: a check-in or a freed copy sets a copy aside, a copy
#: in transit arrives, a check-out collects the hold (or, overridden, takes the copy from another's).
HOLDS = StateMachine(
    "circulation.Hold",
    H,
    [
        Transition(H.WAITING, H.READY, "", TRAP),
        Transition(H.WAITING, H.IN_TRANSIT, "", TRAP),
        Transition(H.IN_TRANSIT, H.READY, "", "circulation.hold.ready"),
        Transition(H.READY, H.WAITING, "", "circulation.hold.untrap"),
        Transition(H.WAITING, H.FULFILLED, "", "circulation.hold.fulfil"),
        Transition(H.READY, H.FULFILLED, "", "circulation.hold.fulfil"),
        # Staff, or the patron for their own hold.
        Transition(H.WAITING, H.CANCELLED, CHANGE, CANCEL, patrons=True),
        Transition(H.IN_TRANSIT, H.CANCELLED, CHANGE, CANCEL, patrons=True),
        Transition(H.READY, H.CANCELLED, CHANGE, CANCEL, patrons=True),
        # The nightly job: not needed any more, or left on the hold shelf too long.
        Transition(H.WAITING, H.EXPIRED, CHANGE, EXPIRE),
        Transition(H.READY, H.EXPIRED, CHANGE, EXPIRE),
    ],
    initial=(H.WAITING,),
)

#: The statuses of a hold still in the queue or on its way (it can still be changed or cancelled).
OPEN = tuple(s for s in H.values if s not in HOLDS.final)

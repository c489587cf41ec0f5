"""Repair tickets: open while the work goes on, then closed one of three ways."""

from pustaka.core.transitions import StateMachine, Transition

from ..choices import RepairStatus as S

PERMISSION = "technical.handle_repairs"

#: An open ticket is finished in-house, sent on to the bindery or declared beyond repair; each is final.
REPAIRS = StateMachine(
    "technical.RepairTicket",
    S,
    [
        Transition(S.OPEN, S.DONE, PERMISSION, "maintenance.repair.finish"),
        Transition(S.OPEN, S.SENT_TO_BINDERY, PERMISSION, "maintenance.repair.send_to_bindery"),
        Transition(S.OPEN, S.BEYOND_REPAIR, PERMISSION, "maintenance.repair.beyond_repair"),
    ],
    initial=(S.OPEN,),
)

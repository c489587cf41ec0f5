"""Weeding candidates: proposed by the criteria, then approved or rejected (a mind may change)."""

from pustaka.core.transitions import StateMachine, Transition

from ..choices import WeedingDecision as D

APPROVE = "maintenance.weeding.approve"
REJECT = "maintenance.weeding.reject"

#: A librarian decides; a decision may be turned round until the candidate is on a pull list.
WEEDING_DECISIONS = StateMachine(
    "technical.WeedingCandidate",
    D,
    [
        Transition(D.PROPOSED, D.APPROVED, "technical.decide_weeding", APPROVE),
        Transition(D.PROPOSED, D.REJECTED, "technical.decide_weeding", REJECT),
        Transition(D.REJECTED, D.APPROVED, "technical.decide_weeding", APPROVE),
        Transition(D.APPROVED, D.REJECTED, "technical.decide_weeding", REJECT),
    ],
    field="decision",
    initial=(D.PROPOSED,),
)

"""Clearance letters as data: the one status change a letter knows, who may make it, and its verb.

A letter is created issued (``issue_clearance``); staff holding ``clearance.revoke_clearance`` may
revoke it; a revoked letter is final (its number is never given again; issue a new letter instead).
"""

from pustaka.core.transitions import StateMachine, Transition

from .choices import ClearanceStatus as S

LETTERS = StateMachine(
    "clearance.ClearanceLetter",
    S,
    [Transition(S.ISSUED, S.REVOKED, "clearance.revoke_clearance", "clearance.letter.revoke")],
    initial=(S.ISSUED,),
)

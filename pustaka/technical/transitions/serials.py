"""Serial issues: predicted, late, claimed, received or given up as never arrived."""

from pustaka.core.transitions import StateMachine, Transition

from ..choices import IssueStatus as S

CHECK_IN = "maintenance.serials.check_in"
MARK_LATE = "maintenance.serials.mark_late"
CLAIM = "maintenance.serials.claim"
MISSING = "maintenance.serials.missing"

#: Every issue not received yet can still arrive (even one given up on) or be claimed (again);
#: a received issue is final.
ISSUES = StateMachine(
    "technical.SerialIssue",
    S,
    [
        *[
            Transition(source, S.RECEIVED, "technical.check_in_issue", CHECK_IN)
            for source in (S.EXPECTED, S.LATE, S.CLAIMED, S.MISSING)
        ],
        # The nightly job, for issues past their date plus the days of grace.
        Transition(S.EXPECTED, S.LATE, "technical.check_in_issue", MARK_LATE),
        # Only once late (past the grace days); a claimed issue may be claimed again.
        *[
            Transition(source, S.CLAIMED, "technical.claim_issue", CLAIM)
            for source in (S.EXPECTED, S.LATE, S.CLAIMED, S.MISSING)
        ],
        *[
            Transition(source, S.MISSING, "technical.claim_issue", MISSING)
            for source in (S.EXPECTED, S.LATE, S.CLAIMED)
        ],
    ],
    initial=(S.EXPECTED,),
)

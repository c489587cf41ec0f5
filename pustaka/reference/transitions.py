"""Questions to the librarians as data: every status change, the permission it needs and its verb."""

from pustaka.core.transitions import StateMachine, Transition

from .choices import HelpStatus as H

#: A question waits for an answer, may be answered again, and is closed for good.
HELP_REQUESTS = StateMachine(
    "reference.HelpRequest",
    H,
    [
        Transition(H.OPEN, H.ANSWERED, "reference.answer_questions", "programs.help.answer"),
        Transition(H.ANSWERED, H.ANSWERED, "reference.answer_questions", "programs.help.answer"),
        Transition(H.OPEN, H.CLOSED, "reference.answer_questions", "programs.help.close"),
        Transition(H.ANSWERED, H.CLOSED, "reference.answer_questions", "programs.help.close"),
    ],
    initial=(H.OPEN,),
)

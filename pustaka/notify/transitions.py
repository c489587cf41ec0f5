"""Deliveries as data: every state change of a WhatsApp/SMS delivery, the permission it needs and its verb.

The worker's moves (an attempt's outcome) need no permission: :func:`pustaka.notify.delivery.deliver`
makes them for the system. Staff holding ``notify.manage_deliveries`` may send a failed or given-up
delivery again now (``retry_delivery``) and cancel one that has not gone out (``cancel_delivery``).
A sent or cancelled delivery is final: nothing sends it again. ``tests/test_delivery_transitions.py``
iterates the table.
"""

from pustaka.core.transitions import StateMachine, Transition

from .choices import DeliveryState as S

MANAGE = "notify.manage_deliveries"
SENT = "notify.delivery.sent"
FAILED = "notify.delivery.failed"
GAVE_UP = "notify.delivery.gave_up"
RETRY = "notify.delivery.retry"
CANCEL = "notify.delivery.cancel"

DELIVERIES = StateMachine(
    "notify.Delivery",
    S,
    [
        # An attempt's outcome (the worker).
        Transition(S.QUEUED, S.SENT, "", SENT),
        Transition(S.QUEUED, S.FAILED, "", FAILED),
        Transition(S.QUEUED, S.GAVE_UP, "", GAVE_UP),
        Transition(S.FAILED, S.SENT, "", SENT),
        Transition(S.FAILED, S.FAILED, "", FAILED),
        Transition(S.FAILED, S.GAVE_UP, "", GAVE_UP),
        # Staff: send it again now, or do not send it at all.
        Transition(S.FAILED, S.QUEUED, MANAGE, RETRY),
        Transition(S.GAVE_UP, S.QUEUED, MANAGE, RETRY),
        Transition(S.QUEUED, S.CANCELLED, MANAGE, CANCEL),
        Transition(S.FAILED, S.CANCELLED, MANAGE, CANCEL),
    ],
    field="state",
    initial=(S.QUEUED,),
)

"""Orders and purchase suggestions as data: every status change, who may make it, and its verb.

An order is written as a draft, sent to the vendor (``place_order``), received in one or more
deliveries (``receive_order``: partly received until every copy has come or been cancelled), or
cancelled (``place_order``). Cancelling the last outstanding copies of a partly received order
closes it as received. A suggestion is accepted (it becomes an order line) or rejected with a
reason, both by the librarian (``review_suggestions``).
"""

from pustaka.core.transitions import StateMachine, Transition

from .choices import OrderStatus as O
from .choices import SuggestionStatus as S

PLACE = "acquisitions.place_order"
RECEIVE = "acquisitions.receive_order"
REVIEW = "acquisitions.review_suggestions"

ORDERS = StateMachine(
    "acquisitions.Order",
    O,
    [
        Transition(O.DRAFT, O.SENT, PLACE, "acquisitions.order.send"),
        Transition(O.SENT, O.PARTLY_RECEIVED, RECEIVE, "acquisitions.order.receive"),
        Transition(O.SENT, O.RECEIVED, RECEIVE, "acquisitions.order.receive"),
        Transition(O.PARTLY_RECEIVED, O.RECEIVED, RECEIVE, "acquisitions.order.receive"),
        Transition(O.DRAFT, O.CANCELLED, PLACE, "acquisitions.order.cancel"),
        Transition(O.SENT, O.CANCELLED, PLACE, "acquisitions.order.cancel"),
    ],
    initial=(O.DRAFT,),
)

#: A partly received order whose last outstanding copies are cancelled is complete: it closes as
#: received. The move is the receiving row's, made by the cancel action (who holds ``place_order``).
CLOSE_BY_CANCEL = (O.PARTLY_RECEIVED, O.RECEIVED)

SUGGESTIONS = StateMachine(
    "acquisitions.Suggestion",
    S,
    [
        Transition(S.PENDING, S.ACCEPTED, REVIEW, "acquisitions.suggestion.accept"),
        Transition(S.PENDING, S.REJECTED, REVIEW, "acquisitions.suggestion.reject"),
    ],
    initial=(S.PENDING,),
)

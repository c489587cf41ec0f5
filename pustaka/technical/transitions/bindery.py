"""Bindery shipments: prepared as a draft, sent, and received back item by item."""

from pustaka.core.transitions import StateMachine, Transition

from ..choices import ShipmentStatus as S

SEND = "maintenance.bindery.send"
RECEIVE = "maintenance.bindery.receive"
PERMISSION = "technical.send_to_bindery"
RECEIVING = "technical.receive_from_bindery"

#: A draft is edited and sent once; each item scanned back leaves it partly returned until the last.
SHIPMENTS = StateMachine(
    "technical.BinderyShipment",
    S,
    [
        Transition(S.DRAFT, S.SENT, PERMISSION, SEND),
        Transition(S.SENT, S.PARTLY_RETURNED, RECEIVING, RECEIVE),
        Transition(S.SENT, S.RETURNED, RECEIVING, RECEIVE),
        Transition(S.PARTLY_RETURNED, S.PARTLY_RETURNED, RECEIVING, RECEIVE),
        Transition(S.PARTLY_RETURNED, S.RETURNED, RECEIVING, RECEIVE),
    ],
    initial=(S.DRAFT,),
)

#: A shipment is edited (lines, instructions, dates) only while it can still be sent.
EDITABLE = SHIPMENTS.sources(SEND)

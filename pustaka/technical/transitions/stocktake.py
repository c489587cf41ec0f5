"""Stocktakes: scanning, waiting for a librarian's confirmation, then confirmed or cancelled."""

from pustaka.core.transitions import StateMachine, Transition

from ..choices import StocktakeStatus as S

FINISH = "maintenance.stocktake.finish"

#: Scanning stops (finish), a librarian confirms (copies not seen become missing) or it is abandoned.
STOCKTAKES = StateMachine(
    "technical.Stocktake",
    S,
    [
        Transition(S.OPEN, S.REVIEW, "technical.take_stock", FINISH),
        Transition(S.REVIEW, S.CONFIRMED, "technical.confirm_stocktake", "maintenance.stocktake.confirm"),
        Transition(S.OPEN, S.CANCELLED, "technical.take_stock", "maintenance.stocktake.cancel"),
        Transition(S.REVIEW, S.CANCELLED, "technical.take_stock", "maintenance.stocktake.cancel"),
    ],
    initial=(S.OPEN,),
)

#: Barcodes are scanned into a stocktake only while scanning has not stopped.
SCANNING = STOCKTAKES.sources(FINISH)

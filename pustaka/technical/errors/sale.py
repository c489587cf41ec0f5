"""Errors of withdrawal and sale: the last-copy warning, wrong states, bad prices."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class LastCopyWarning(Conflict):
    """Withdrawing would leave a title with no copy in the public catalogue; ask for confirmation."""

    code = "last_copy"
    message = _(
        "Withdrawing %(barcodes)s removes the last copy of “%(title)s” from the public catalogue. "
        "Confirm to withdraw anyway."
    )

    def __init__(self, *, items, **params):
        self.barcodes = [item.barcode for item in items]
        super().__init__(barcodes=", ".join(self.barcodes), title=items[0].record.title, **params)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "barcodes": self.barcodes}


class ItemNotPulledForWeeding(Conflict):
    code = "item_not_pulled_for_weeding"
    message = _("Item %(barcode)s is “%(status)s”; only items pulled for weeding can be withdrawn.")


class ItemNotWithdrawn(Conflict):
    code = "item_not_withdrawn"
    message = _("Item %(barcode)s is “%(status)s”; only withdrawn items can be offered for sale.")


class ItemNotForSale(Conflict):
    code = "item_not_for_sale"
    message = _("Item %(barcode)s is not for sale (it is “%(status)s”).")


class ItemCannotBeDiscarded(Conflict):
    code = "item_cannot_be_discarded"
    message = _("Item %(barcode)s is “%(status)s”; only withdrawn or unsold items can be discarded.")


class InvalidPrice(ValidationFailed):
    code = "invalid_price"
    message = _("The price must be a number of at least 0 with at most two decimals.")


class InvalidPaymentMethod(ValidationFailed):
    code = "invalid_payment_method"
    message = _("Choose a payment method from the list.")


class SaleEventNotFound(NotFound):
    code = "sale_event_not_found"
    message = _("No sale event has the number %(id)s.")


class NoItemsScanned(ValidationFailed):
    code = "no_items_scanned"
    message = _("Scan at least one item.")


class ItemScannedTwice(ValidationFailed):
    code = "item_scanned_twice"
    message = _("Item %(barcode)s was scanned twice.")

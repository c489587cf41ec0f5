"""Acquisitions errors: each says exactly why an order, a delivery, an invoice or a suggestion was refused."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class AcquisitionInvalid(ValidationFailed):
    """Bad input to an acquisitions action; ``field`` names the field, the message says why."""

    code = "acquisition_invalid"
    message = _("The acquisition details are not valid.")


class VendorNameTaken(Conflict):
    code = "vendor_name_taken"
    message = _("A vendor named “%(name)s” already exists.")


class FundTaken(Conflict):
    code = "fund_taken"
    message = _("The fund %(code)s already exists for %(year)s.")


class FundClosed(Conflict):
    code = "fund_closed"
    message = _("The fund %(fund)s is closed for new orders.")


class FundOverspent(Conflict):
    code = "fund_overspent"
    message = _("The fund %(fund)s has %(available)s available; this order needs %(needed)s from it.")


class OrderNotDraft(Conflict):
    code = "order_not_draft"
    message = _("Order %(number)s is “%(status)s”: only a draft order can be changed.")


class OrderEmpty(ValidationFailed):
    code = "order_empty"
    message = _("Order %(number)s has no lines yet: add the titles to order first.")


class OrderNotOpen(Conflict):
    code = "order_not_open"
    message = _(
        "Order %(number)s is “%(status)s”: only a sent or partly received order can be received, cancelled or claimed."
    )


class OrderNotLate(Conflict):
    code = "order_not_late"
    message = _("Order %(number)s is not late yet: the vendor promised it by %(date)s.")


class NothingToReceive(ValidationFailed):
    code = "nothing_to_receive"
    message = _("Nothing was received: scan the copies' barcodes or tick the lines that came.")


class TooManyCopies(ValidationFailed):
    code = "too_many_copies"
    message = _("%(title)s: %(count)s copies received, but only %(outstanding)s are still to come.")


class LineNotInOrder(ValidationFailed):
    code = "line_not_in_order"
    message = _("That line is not part of order %(number)s.")


class NothingToCancel(Conflict):
    code = "nothing_to_cancel"
    message = _("%(title)s: no copies are still to come, so there is nothing to cancel.")


class InvoiceTaken(Conflict):
    code = "invoice_taken"
    message = _("Invoice %(number)s of %(vendor)s is already recorded.")


class InvoiceAlreadyPaid(Conflict):
    code = "invoice_already_paid"
    message = _("Invoice %(number)s is already paid.")


class SuggestionReviewed(Conflict):
    code = "suggestion_reviewed"
    message = _("This suggestion was already reviewed (“%(status)s”).")


class NoPatronRecord(NotFound):
    code = "no_patron_record"
    message = _("Your login is not linked to a library card; ask the library staff.")


class OrderNotFound(NotFound):
    code = "order_not_found"
    message = _("There is no order #%(order)s.")


class ThingNotFound(NotFound):
    """An id or code in a request names nothing (``what``: vendor, fund, record, branch, item type, line)."""

    code = "acquisitions_not_found"
    message = _("There is no %(what)s “%(value)s”.")

"""Stocktake errors: each says exactly what is wrong, in the library's words."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class StocktakeNotFound(NotFound):
    code = "stocktake_not_found"
    message = _("No stocktake has the number %(id)s.")


class StocktakeNotOpen(Conflict):
    """Scanning or finishing a stocktake that is no longer being scanned."""

    code = "stocktake_not_open"
    message = _("Stocktake #%(id)s is “%(status)s”: no more scanning.")


class StocktakeNotInReview(Conflict):
    """Confirming a stocktake that is still being scanned, or was already confirmed or cancelled."""

    code = "stocktake_not_in_review"
    message = _(
        "Stocktake #%(id)s is “%(status)s”: only a finished stocktake waiting for confirmation can be confirmed."
    )


class StocktakeClosed(Conflict):
    code = "stocktake_closed"
    message = _("Stocktake #%(id)s is already “%(status)s”.")


class LocationNotInBranch(ValidationFailed):
    code = "location_not_in_branch"
    message = _("The location %(location)s is not in branch %(branch)s.")


class CallNumberRangeInvalid(ValidationFailed):
    code = "call_number_range_invalid"
    message = _("The call-number range ends (%(to)s) before it starts (%(start)s).")


class NothingScanned(ValidationFailed):
    code = "nothing_scanned"
    message = _("Scan or paste at least one barcode.")


class BatchTooLarge(ValidationFailed):
    code = "batch_too_large"
    message = _("Send at most %(limit)s barcodes at once; this batch has %(count)s.")

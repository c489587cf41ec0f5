"""Errors of processing new items, their labels and the shelving queue."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed


class NotInProcessing(TransitionNotAllowed):
    """Steps can only be ticked for items that were received or are being processed."""

    code = "not_in_processing"
    message = _("Item %(barcode)s is “%(status)s”; only received items and items in processing are processed.")


class NeedsCallNumber(Conflict):
    """An item without a call number waits in the cataloguer's queue, not in the processing queue."""

    code = "needs_call_number"
    message = _("Item %(barcode)s has no call number yet; it waits in the cataloguer's queue.")


class StepAlreadyDone(Conflict):
    code = "step_already_done"
    message = _("“%(step)s” is already done for item %(barcode)s.")


class StepNotInProfile(ValidationFailed):
    """The step belongs to another branch's profile (or to none the item follows)."""

    code = "step_not_in_profile"
    message = _("“%(step)s” is not a step of the processing profile item %(barcode)s follows (%(profile)s).")


class StepTurnedOff(ValidationFailed):
    code = "step_turned_off"
    message = _("“%(step)s” is turned off in the processing profile %(profile)s.")


class StepNotFound(NotFound):
    code = "processing_step_not_found"
    message = _("No processing step has the id %(id)s.")


class ProfileNotFound(NotFound):
    code = "processing_profile_not_found"
    message = _("No processing profile has the id %(id)s.")


class BranchHasProfile(Conflict):
    code = "branch_has_profile"
    message = _("Branch %(branch)s already has its own processing profile.")


class NotReadyForShelving(TransitionNotAllowed):
    """Only items in the shelving queue can be confirmed on the shelf."""

    code = "not_ready_for_shelving"
    message = _("Item %(barcode)s is “%(status)s”, not waiting in the shelving queue.")


class NoBarcodes(ValidationFailed):
    code = "no_barcodes"
    message = _("Scan at least one barcode.")


class TooManyBarcodes(ValidationFailed):
    code = "too_many_barcodes"
    message = _("At most %(limit)s barcodes at a time.")


class UnknownLabelLayout(ValidationFailed):
    code = "unknown_label_layout"
    message = _("Unknown label sheet “%(layout)s”.")


class NotPrintableInCode39(ValidationFailed):
    code = "not_printable_in_code39"
    message = _(
        "The barcode “%(barcode)s” cannot be printed in Code 39 "
        "(capitals, digits and - . $ / + %% only); choose Code 128."
    )

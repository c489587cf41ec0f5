"""Holdings errors."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed


class ItemNotFound(NotFound):
    code = "item_not_found"
    message = _("No item has the barcode “%(barcode)s”.")


class BarcodeTaken(Conflict):
    code = "barcode_taken"
    message = _("The barcode “%(barcode)s” is already used by another item.")


class ItemTransitionNotAllowed(TransitionNotAllowed):
    code = "item_transition_not_allowed"
    message = _("Item %(barcode)s is “%(source)s” and cannot become “%(target)s”.")


class PullReasonMismatch(TransitionNotAllowed):
    code = "pull_reason_mismatch"
    message = _("Item %(barcode)s was pulled for %(actual)s, not for %(expected)s.")


class PullReasonRequired(ValidationFailed):
    code = "pull_reason_required"
    message = _("Say why the item is pulled: weeding, repair or binding.")


class ItemInUse(Conflict):
    code = "item_in_use"
    message = _("Item %(barcode)s has a history and cannot be deleted; withdraw it instead.")


class MoveBelongsToTheDesk(TransitionNotAllowed):
    code = "move_belongs_to_the_desk"
    message = _(
        "Item %(barcode)s cannot become “%(target)s” here: lend, return and holds go through the circulation desk."
    )

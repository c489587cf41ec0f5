"""Supervision errors: assigning work, taking it, finishing it and reviewing it."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class UnknownQueue(ValidationFailed):
    code = "unknown_queue"
    message = _("There is no work queue called “%(queue)s”.")


class NotATechnician(ValidationFailed):
    code = "not_a_technician"
    message = _("%(user)s is not a technician: work can only be given to technicians and senior technicians.")


class TechnicianNotFound(NotFound):
    code = "technician_not_found"
    message = _("No staff member has the username “%(username)s”.")


class ItemNotInQueue(Conflict):
    code = "item_not_in_queue"
    message = _("Item %(barcode)s is not in the “%(queue)s” queue (it is “%(status)s”).")


class NothingScanned(ValidationFailed):
    code = "nothing_scanned"
    message = _("Scan at least one barcode.")


class AssignmentNotFound(NotFound):
    code = "assignment_not_found"
    message = _("No assignment has the number %(id)s.")


class AssignmentFinished(Conflict):
    code = "assignment_finished"
    message = _("The work on item %(barcode)s in the “%(queue)s” queue is already finished.")


class NotYourAssignment(PermissionDenied):
    code = "not_your_assignment"
    message = _("Item %(barcode)s is assigned to %(user)s; only they or a supervisor can finish it.")


class UnknownOutcome(ValidationFailed):
    code = "unknown_outcome"
    message = _("A review either approves the work or sends it back.")


class NoteRequired(ValidationFailed):
    code = "note_required"
    message = _("Say in a note what needs to be done again before sending the work back.")


class CannotSendBack(Conflict):
    code = "cannot_send_back"
    message = _("Item %(barcode)s is “%(status)s” and can no longer be sent back to processing.")

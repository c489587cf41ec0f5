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


class MoveBelongsToAnotherWorkflow(TransitionNotAllowed):
    """The move is owned by another workflow (transitions.py): only that workflow's action makes it,
    so its own records (loan, repair ticket, bindery shipment...) stay right."""

    code = "move_belongs_to_workflow"
    message = _("Item %(barcode)s cannot become “%(target)s” here. Use the %(workflow)s page: %(url)s")

    def __init__(self, *, barcode: str, target: str, workflow: str):
        from django.urls import reverse

        from .choices import Workflow
        from .transitions import WORKFLOW_PAGES

        self.workflow = workflow
        self.url = reverse(WORKFLOW_PAGES[workflow])
        super().__init__(barcode=barcode, target=target, workflow=Workflow(workflow).label, url=self.url)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "workflow": self.workflow, "page": self.url}

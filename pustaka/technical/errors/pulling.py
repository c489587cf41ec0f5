"""Errors of pull lists and weeding: each says exactly what is wrong with the item or the list."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class PullListNotFound(NotFound):
    code = "pull_list_not_found"
    message = _("No pull list has the number %(id)s.")


class PullListClosed(Conflict):
    code = "pull_list_closed"
    message = _("The pull list “%(name)s” is closed.")


class ItemNotOnShelf(Conflict):
    """Only available items (on the shelf) can go on a pull list."""

    code = "item_not_on_shelf"
    message = _("Item %(barcode)s is “%(status)s”, not on the shelf; only available items can be pulled.")


class NotMissingElsewhere(Conflict):
    """A copy that is not on the shelf because it is somewhere known (on loan, at the bindery...) is
    not missing: "not found" would corrupt it."""

    code = "not_missing_elsewhere"
    message = _(
        "Item %(barcode)s is “%(status)s”: it is not on the shelf for that reason, not missing. "
        "Take it off the list or look again when it is back."
    )


class ItemOnAnotherPullList(Conflict):
    code = "item_on_another_pull_list"
    message = _("Item %(barcode)s is already on the open pull list “%(name)s”.")


class ItemAlreadyOnPullList(Conflict):
    code = "item_already_on_pull_list"
    message = _("Item %(barcode)s is already on this pull list.")


class ItemInOtherBranch(ValidationFailed):
    code = "item_in_other_branch"
    message = _("Item %(barcode)s belongs to branch %(item_branch)s, not to %(branch)s.")


class ItemNotOnPullList(Conflict):
    code = "item_not_on_pull_list"
    message = _("Item %(barcode)s is not on this pull list.")


class ItemAlreadyPulled(Conflict):
    code = "item_already_pulled"
    message = _("Item %(barcode)s was already pulled.")


class NoBarcodes(ValidationFailed):
    code = "no_barcodes"
    message = _("Scan or type at least one barcode.")


class WeedingCriteriaNotFound(NotFound):
    code = "weeding_criteria_not_found"
    message = _("No weeding criteria have the number %(id)s.")


class WeedingCandidateNotFound(NotFound):
    code = "weeding_candidate_not_found"
    message = _("No weeding candidate has the number %(id)s.")


class InvalidWeedingCriteria(ValidationFailed):
    code = "invalid_weeding_criteria"


class CandidateAlreadyOnPullList(Conflict):
    code = "candidate_already_on_pull_list"
    message = _("Item %(barcode)s is already on the pull list “%(name)s”; its decision can no longer change.")


class NothingToPull(Conflict):
    code = "nothing_to_pull"
    message = _("No approved candidate is waiting for a pull list.")

"""Copy cataloguing errors: each says which catalogue failed and why, or what was wrong with the request."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from pustaka.core.errors import NotFound, PustakaError, ValidationFailed


class TargetFailed(PustakaError):
    """A remote catalogue did not give an answer that can be used (shown beside its name, never a 500)."""

    code = "copycat_target_failed"
    status = 502
    message = _("%(target)s could not be searched: %(detail)s")


class TargetTimeout(TargetFailed):
    code = "copycat_target_timeout"
    status = 504
    message = ngettext_lazy(
        "%(target)s did not answer within %(seconds)s second.",
        "%(target)s did not answer within %(seconds)s seconds.",
        "seconds",
    )


class TargetUnreachable(TargetFailed):
    code = "copycat_target_unreachable"
    message = _("%(target)s cannot be reached (%(detail)s). Check its address, or try again later.")


class TargetRefused(TargetFailed):
    code = "copycat_target_error"
    message = _("%(target)s answered with an error: %(detail)s")


class BrokenRecord(ValidationFailed):
    """A record a remote catalogue sent cannot be read (broken MARC, an unknown character coding)."""

    code = "copycat_broken_record"
    message = _("The record cannot be read: %(reason)s")


class NothingToSearch(ValidationFailed):
    code = "copycat_nothing_to_search"
    message = _("Give an ISBN, a title or an author, or keywords to search for.")


class InvalidIsbn(ValidationFailed):
    code = "copycat_invalid_isbn"
    message = _("“%(value)s” is not a valid ISBN: check the digits.")


class NoTargetChosen(ValidationFailed):
    code = "copycat_no_target"
    message = _("There is no remote catalogue to search: choose one, or ask a librarian to add one.")


class InvalidTarget(ValidationFailed):
    code = "copycat_invalid_target"
    message = _("The remote catalogue's details are not valid.")


class TargetNotFound(NotFound):
    code = "copycat_target_not_found"
    message = _("There is no remote catalogue “%(target)s”.")


class ResultNotUsable(ValidationFailed):
    """The import was given a search result this server did not hand out (or one altered on the way)."""

    code = "copycat_result_not_usable"
    message = _("That search result cannot be imported any more: search again and import it from the new results.")


class InvalidCopies(ValidationFailed):
    code = "copycat_invalid_copies"
    message = _("The copies to add are not valid.")

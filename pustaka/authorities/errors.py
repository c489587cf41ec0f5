"""Authority errors: each says exactly what was refused and why."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class AuthorityNotFound(NotFound):
    code = "authority_not_found"
    message = _("There is no authority record #%(authority)s.")


class InvalidAuthority(ValidationFailed):
    code = "invalid_authority"
    message = _("The authority record is not valid.")


class DuplicateAuthority(Conflict):
    code = "duplicate_authority"
    message = _("“%(heading)s” is already an authority record (#%(other)s); merge the two instead.")


class HeadingUsedElsewhere(Conflict):
    code = "heading_used_elsewhere"
    message = _("“%(heading)s” is already the authorised heading of #%(other)s, so it cannot be a variant here.")


class CannotMergeWithItself(ValidationFailed):
    code = "merge_with_itself"
    message = _("An authority record cannot be merged with itself.")


class KindsDiffer(ValidationFailed):
    code = "authority_kinds_differ"
    message = _("Only authority records of the same kind can be merged (%(first)s and %(second)s).")


class RecordNotFound(NotFound):
    code = "record_not_found"
    message = _("There is no bibliographic record #%(record)s.")


class HeadingNotInRecord(ValidationFailed):
    code = "heading_not_in_record"
    message = _("The record has no %(where)s “%(heading)s”.")


class AlreadyLinked(Conflict):
    code = "heading_already_linked"
    message = _("The record's heading “%(heading)s” is already linked to “%(authority)s”; unlink it first.")


class LinkNotFound(NotFound):
    code = "authority_link_not_found"
    message = _("That record is not linked to this authority.")


class UnreadableFile(ValidationFailed):
    code = "unreadable_authority_file"
    message = _("The file could not be read: %(reason)s")

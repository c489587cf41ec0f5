"""Preservation errors: fixity, restoring a damaged file, link checks, backups."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class StoredFileNotFound(NotFound):
    code = "stored_file_not_found"
    message = _("There is no stored file #%(file)s.")


class ResourceNotFound(NotFound):
    code = "resource_not_found"
    message = _("There is no digital resource #%(resource)s.")


class ReplacementMismatch(ValidationFailed):
    """The uploaded replacement is not the same file: its SHA-256 differs from the stored one."""

    code = "replacement_mismatch"
    message = _(
        "The uploaded file is not the same file: its SHA-256 is %(found)s but the stored file's is "
        "%(expected)s. Upload an identical copy (the original file, not a new edition); nothing was changed."
    )


class ReplacementTooLarge(ValidationFailed):
    code = "replacement_too_large"
    message = _("The uploaded file is larger than %(limit)s MB; nothing was changed.")


class NoReplacementGiven(ValidationFailed):
    code = "no_replacement"
    message = _("Choose the file to upload.")


class StoreNotWritable(Conflict):
    code = "store_not_writable"
    message = _("The file store could not be written (%(error)s); nothing was changed.")


class NoLink(ValidationFailed):
    code = "no_link"
    message = _("Resource “%(resource)s” has no remote link to check.")


class TooManyFiles(ValidationFailed):
    code = "too_many_files"
    message = _("Give at most %(limit)s files to check at once.")


class BackupError(Conflict):
    code = "backup_failed"
    message = _("The backup could not be made: %(error)s")


class RestoreRefused(Conflict):
    code = "restore_refused"
    message = _("Restore refused: %(reason)s")

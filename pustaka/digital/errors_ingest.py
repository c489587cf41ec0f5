"""Ingest and resource errors: each says exactly why a file, a resource or a KBART row was refused."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class FileRefused(ValidationFailed):
    """A file that will not go into the store; ``reason`` says why (the command counts these)."""

    code = "file_refused"
    message = _("The file was refused: %(reason)s")


class FileTooLarge(FileRefused):
    code = "file_too_large"
    message = _("The file is larger than the limit of %(limit)s MB.")


class EmptyFile(FileRefused):
    code = "file_empty"
    message = _("The file is empty.")


class FileTypeNotAllowed(FileRefused):
    code = "file_type_not_allowed"
    message = _(
        "Files of type “%(format)s” are not accepted for this kind of resource; "
        "only software resources may hold programs and unknown types."
    )


class DamagedPdf(FileRefused):
    code = "pdf_damaged"
    message = _("The PDF is damaged: %(reason)s")


class DamagedEpub(FileRefused):
    code = "epub_damaged"
    message = _("The EPUB is damaged: %(reason)s")


class DamagedArchive(FileRefused):
    code = "archive_damaged"
    message = _("The ZIP archive is damaged: %(reason)s")


class ResourceNotFound(NotFound):
    code = "resource_not_found"
    message = _("There is no digital resource #%(id)s.")


class StoredFileNotFound(NotFound):
    code = "file_not_found"
    message = _("There is no stored file #%(id)s.")


class CollectionNotFound(NotFound):
    code = "collection_not_found"
    message = _("There is no collection with the code “%(code)s”.")


class CollectionCodeTaken(Conflict):
    code = "collection_code_taken"
    message = _("A collection with the code “%(code)s” already exists.")


class InvalidResource(ValidationFailed):
    code = "invalid_resource"
    message = _("The digital resource is not valid: %(reason)s")


class FileAlreadyAttached(Conflict):
    code = "file_already_attached"
    message = _("This file is already attached to the resource as “%(role)s”.")


class SeatInUse(Conflict):
    code = "seat_in_use"
    message = _("Seat #%(seat)s is lent out; it can be removed once it is returned.")


class TooManySeats(ValidationFailed):
    """More seats than the resource's licence allows."""

    code = "too_many_seats"
    message = ngettext_lazy(
        "The licence “%(licence)s” allows %(allowed)s seat; this resource has %(existing)s, "
        "so %(asked)s more would be too many.",
        "The licence “%(licence)s” allows %(allowed)s seats; this resource has %(existing)s, "
        "so %(asked)s more would be too many.",
        "allowed",
    )


class SeatNotFound(NotFound):
    code = "seat_not_found"
    message = _("There is no seat #%(seat)s on this resource.")


class KbartFileError(ValidationFailed):
    code = "kbart_file_error"
    message = _("The KBART file could not be read: %(reason)s")

"""Catalogue errors."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound


class RecordNotFound(NotFound):
    code = "record_not_found"
    message = _("No bibliographic record has the id %(id)s.")


class RecordHasItems(Conflict):
    code = "record_has_items"
    message = _("“%(title)s” still has %(count)s items; remove or move them first.")


class MarcFileError(Conflict):
    code = "marc_file_error"
    message = _("The MARC file could not be read: %(reason)s")

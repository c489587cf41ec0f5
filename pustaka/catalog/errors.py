"""Catalogue errors."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from pustaka.core.errors import Conflict, NotFound


class RecordNotFound(NotFound):
    code = "record_not_found"
    message = _("No bibliographic record has the id %(id)s.")


class RecordHasItems(Conflict):
    code = "record_has_items"
    message = ngettext_lazy(
        "“%(title)s” still has %(count)s item; remove or move it first.",
        "“%(title)s” still has %(count)s items; remove or move them first.",
        "count",
    )


class MarcFileError(Conflict):
    code = "marc_file_error"
    message = _("The MARC file could not be read: %(reason)s")

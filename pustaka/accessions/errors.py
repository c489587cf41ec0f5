"""Accession register errors."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import NotFound, ValidationFailed


class PatternNotValid(ValidationFailed):
    code = "accession_pattern_not_valid"
    message = _("The accession number pattern is not valid: %(reason)s")


class AccessionNotFound(NotFound):
    code = "accession_not_found"
    message = _("Item %(barcode)s has no accession number.")


class UnknownSource(ValidationFailed):
    code = "unknown_acquisition_source"
    message = _("Choose a source of acquisition: purchase, gift, deposit or exchange.")

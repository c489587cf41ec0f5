"""Typed errors of the reports (shown on pages, answered by the API as 4xx JSON)."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import ValidationFailed


class ReportFilterInvalid(ValidationFailed):
    """A filter the report cannot read: names the field and says why."""

    code = "report_filter_invalid"
    message = _("%(label)s: %(reason)s")

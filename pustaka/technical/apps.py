from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechnicalConfig(AppConfig):
    """Technical services: processing, shelving, supervision, pull lists, weeding, sale, repair,
    bindery, stocktake and serials, at ``/staff/technical/``."""

    name = "pustaka.technical"
    label = "technical"
    verbose_name = _("Technical services")

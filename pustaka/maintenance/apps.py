from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    """The old name of technical services, kept only for its migration history: its last migration
    hands every model over to :mod:`pustaka.technical`, which renames the tables and keeps the data."""

    name = "pustaka.maintenance"
    label = "maintenance"
    verbose_name = _("Technical services (migration history)")

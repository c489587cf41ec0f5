from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatronsConfig(AppConfig):
    """Patrons (members): their records, categories, cards and accounts."""

    name = "pustaka.patrons"
    label = "patrons"
    verbose_name = _("Patrons")

    def ready(self):
        from . import login  # noqa: F401  (card numbers name accounts for the login limiter)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitalConfig(AppConfig):
    name = "pustaka.digital"
    label = "digital"
    verbose_name = _("Digital library")

    def ready(self) -> None:
        # The records' exports (MARC 856/250/538/336-338, Dublin Core) carry their digital resources.
        from . import exports  # noqa: F401  (registers its export hook)

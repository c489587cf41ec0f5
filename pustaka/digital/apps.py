from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitalConfig(AppConfig):
    name = "pustaka.digital"
    label = "digital"
    verbose_name = _("Digital library")

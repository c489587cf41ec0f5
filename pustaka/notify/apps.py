from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "pustaka.notify"
    label = "notify"
    verbose_name = _("Notice channels")

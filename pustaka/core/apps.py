from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pustaka.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import login_limits  # noqa: F401  (connects the per-address slow-down to failed logins)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandsConfig(AppConfig):
    """The product commands of the contract; no models."""

    name = "pustaka.commands"
    label = "commands"
    verbose_name = _("Commands")

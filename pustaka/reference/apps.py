from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    """Questions to the librarians (help requests) and their answers."""

    name = "pustaka.reference"
    label = "reference"
    verbose_name = _("Questions to the librarians")

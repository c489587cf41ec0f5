from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessionsConfig(AppConfig):
    name = "pustaka.accessions"
    label = "accessions"
    verbose_name = _("Accession register")

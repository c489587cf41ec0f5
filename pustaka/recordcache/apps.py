from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordCacheConfig(AppConfig):
    """The per-record serialisation cache that SRU, OAI-PMH and OPDS answer from."""

    name = "pustaka.recordcache"
    label = "recordcache"
    verbose_name = _("Record serialisation cache")

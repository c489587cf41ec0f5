from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Full-text search: the tantivy index, its change log and the indexer program."""

    name = "pustaka.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import health  # noqa: F401  (adds the index to /health)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthoritiesConfig(AppConfig):
    name = "pustaka.authorities"
    label = "authorities"
    verbose_name = _("Authorities")

    def ready(self) -> None:
        # The see-from forms and the authorised headings of linked records go into their search documents.
        from pustaka.search.engine.documents import document_extras

        from .search import record_extras

        document_extras(record_extras)

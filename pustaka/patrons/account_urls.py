"""The patron's account URLs, mounted at ``/account/``."""

from .account_views import app_name, urlpatterns  # noqa: F401

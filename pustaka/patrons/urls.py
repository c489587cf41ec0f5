"""Staff patron URLs, mounted at ``/staff/patrons/``."""

from .views import urlpatterns  # noqa: F401

app_name = "patrons"

"""Staff URLs of programs and help requests, mounted at ``staff/``: programs/... and help/..."""

from .views import urlpatterns  # noqa: F401

app_name = "programs"

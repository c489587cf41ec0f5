"""The patron's circulation pages in the public catalogue, mounted at ``account/`` (beside the
patrons app's login, home and "My details"): loans/, holds/, fines/, history/."""

from .views.opac import app_name, urlpatterns  # noqa: F401

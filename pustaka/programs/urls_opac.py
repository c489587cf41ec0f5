"""Public URLs, mounted at the site root before the catalogue's: programs/..., help/ask/,
account/programs/ and account/questions/."""

from .views_opac import app_name, urlpatterns  # noqa: F401

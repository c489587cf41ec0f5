"""Staff patron URLs, mounted at ``/staff/patrons/``."""

from .academic_views import urlpatterns as academic_urlpatterns
from .views import urlpatterns as patron_urlpatterns

app_name = "patrons"

urlpatterns = [*academic_urlpatterns, *patron_urlpatterns]

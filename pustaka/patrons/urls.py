"""Staff patron URLs, mounted at ``/staff/patrons/``."""

from .views.academic_year import urlpatterns as academic_urlpatterns
from .views.staff import urlpatterns as patron_urlpatterns

app_name = "patrons"

urlpatterns = [*academic_urlpatterns, *patron_urlpatterns]

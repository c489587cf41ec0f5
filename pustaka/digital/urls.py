"""Digital-library staff pages (mounted at ``staff/digital/``): each views module lists its ``urlpatterns``."""

from .views import dashboard, licences, preservation, resources, seats, usage

app_name = "digital"

urlpatterns = [
    *dashboard.urlpatterns,  # "" : the landing page of the digital section (digital:dashboard)
    *preservation.urlpatterns,
    *resources.urlpatterns,
    *licences.urlpatterns,
    *seats.urlpatterns,
    *usage.urlpatterns,
]

"""Technical-services URLs: each workflow's views module lists its own ``urlpatterns``."""

from .views import bindery, processing, pulling, repair, sale, serials, stocktake, supervision, weeding

app_name = "technical"

urlpatterns = [
    *supervision.urlpatterns,
    *processing.urlpatterns,
    *pulling.urlpatterns,
    *weeding.urlpatterns,
    *sale.urlpatterns,
    *repair.urlpatterns,
    *bindery.urlpatterns,
    *stocktake.urlpatterns,
    *serials.urlpatterns,
]

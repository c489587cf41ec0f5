"""Circulation staff pages, mounted at ``staff/circulation/``: the loan desk, check-in and transit,
the hold shelf, "which rule applies and why", and the loan-rule pages
(``views.rules``, namespace ``circulation_rules``, still mounted on their own by ``urls_rules``)."""

from .views import checkin, desk, explain

app_name = "circulation"

urlpatterns = [
    *desk.urlpatterns,
    *checkin.urlpatterns,
    *explain.urlpatterns,
]

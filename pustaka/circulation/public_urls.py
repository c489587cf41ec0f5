"""The patron's circulation pages in the public catalogue, mounted at ``account/`` (beside the
patrons app's login, home and "My details"): loans/, holds/, fines/, history/."""

from django.urls import path

from .views import opac

app_name = "opac_circulation"

urlpatterns = [
    path("loans/", opac.loans, name="loans"),
    path("loans/renew/", opac.renew, name="renew"),
    path("holds/", opac.holds, name="holds"),
    path("holds/place/", opac.place_hold, name="place_hold"),
    path("holds/<int:pk>/cancel/", opac.cancel_hold, name="cancel_hold"),
    path("holds/<int:pk>/pickup/", opac.change_pickup, name="change_pickup"),
    path("fines/", opac.fines, name="fines"),
    path("history/", opac.history, name="history"),
]

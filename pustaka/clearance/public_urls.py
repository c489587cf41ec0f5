"""Public URLs of clearance letters, mounted at ``clearance/``: the verification page of a letter's QR
code. The patron's own page is in :mod:`pustaka.clearance.account_urls` (under ``account/``)."""

from django.urls import path

from .views import public as views

app_name = "clearance_public"

urlpatterns = [
    path("<str:code>/", views.verify, name="verify"),
]

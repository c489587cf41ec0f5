"""Public URLs of the visitor book, mounted at ``visitors/``: the kiosk screen."""

from django.urls import path

from .views import public as views

app_name = "visitors_public"

urlpatterns = [
    path("kiosk/", views.kiosk_page, name="kiosk"),
]

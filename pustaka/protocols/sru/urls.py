"""SRU URL (mounted at ``/sru`` by the root URLconf)."""

from django.urls import path

from . import views

app_name = "sru"

urlpatterns = [
    path("", views.sru, name="sru"),
]

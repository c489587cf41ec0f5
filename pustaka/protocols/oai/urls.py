"""URL of the OAI-PMH endpoint (mounted at ``/oai`` by the root URLconf)."""

from django.urls import path

from . import views

urlpatterns = [path("", views.oai, name="oai")]

"""Public catalogue URLs (mounted at the site root)."""

from django.urls import path

from . import views

app_name = "opac"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("record/<int:pk>/", views.record, name="record"),
]

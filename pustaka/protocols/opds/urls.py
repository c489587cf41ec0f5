"""OPDS 1.2 catalogue URLs (mounted at ``/opds/``; ``/opds`` itself answers the root feed too)."""

from django.urls import path

from . import views

app_name = "opds"

urlpatterns = [
    path("", views.root, name="root"),
    path("new", views.new, name="new"),
    path("collections", views.collections, name="collections"),
    path("collections/<slug:code>", views.collection, name="collection"),
    path("subjects", views.subjects, name="subjects"),
    path("subject", views.subject, name="subject"),
    path("search.xml", views.search_description, name="search_description"),
    path("search", views.search, name="search"),
    path("download/<int:resource_id>/<int:file_id>", views.download, name="download"),
]

"""Public catalogue URLs (mounted at the site root)."""

from django.urls import path

from . import views

app_name = "opac"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("collections/<slug:code>/", views.collection, name="collection"),
    path("record/<int:pk>/", views.record, name="record"),
    path("record/<int:pk>/cite.ris", views.cite_ris, name="cite_ris"),
    path("record/<int:pk>/cite.bib", views.cite_bibtex, name="cite_bibtex"),
]

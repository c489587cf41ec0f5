"""The public site, mounted at the root: the catalogue's own pages (namespace ``opac``) and the program
and question pages it links to (``programs_opac``: programs/..., account/programs/;
``reference_opac``: help/ask/, account/questions/). The patron's account (account/) and digital
files (digital/) have their own mounts in ``pustaka/urls.py``; nothing else lives at the root."""

from django.urls import include, path

from .views import catalogue

catalogue_patterns = [
    path("", catalogue.home, name="home"),
    path("search/", catalogue.search, name="search"),
    path("collections/<slug:code>/", catalogue.collection, name="collection"),
    path("record/<int:pk>/", catalogue.record, name="record"),
    path("record/<int:pk>/cite.ris", catalogue.cite_ris, name="cite_ris"),
    path("record/<int:pk>/cite.bib", catalogue.cite_bibtex, name="cite_bibtex"),
]

urlpatterns = [
    path("", include("pustaka.programs.public_urls")),
    path("", include("pustaka.reference.public_urls")),
    path("", include((catalogue_patterns, "opac"))),
]

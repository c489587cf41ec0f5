"""Staff URLs of authority records, mounted at ``staff/authorities/``."""

from django.urls import path

from .views import staff as views

app_name = "authorities"

urlpatterns = [
    path("", views.authority_list, name="list"),
    path("new/", views.create, name="create"),
    path("import/", views.import_file, name="import"),
    path("link/", views.link_catalogue, name="link_catalogue"),
    path("export.mrc", views.export, {"fmt": "mrc"}, name="export_mrc"),
    path("export.xml", views.export, {"fmt": "xml"}, name="export_xml"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/relink/", views.relink, name="relink"),
    path("<int:pk>/links/<int:link_id>/unlink/", views.unlink, name="unlink"),
]

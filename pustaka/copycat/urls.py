"""Staff URLs of copy cataloguing, mounted at ``staff/copycat/``."""

from django.urls import path

from .views import staff as views

app_name = "copycat"

urlpatterns = [
    path("", views.search, name="search"),
    path("import/", views.import_result, name="import"),
    path("copied/", views.copied_list, name="copied"),
    path("catalogues/", views.target_list, name="targets"),
    path("catalogues/new/", views.target_create, name="target_create"),
    path("catalogues/<int:pk>/", views.target_edit, name="target_edit"),
    path("catalogues/<int:pk>/delete/", views.target_delete, name="target_delete"),
]

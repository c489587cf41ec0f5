"""Cataloguing pages under /staff/catalog/."""

from django.urls import path

from .views import staff as views

app_name = "catalog"

urlpatterns = [
    path("", views.record_list, name="record_list"),
    path("new/", views.record_create, name="record_create"),
    path("call-number/", views.suggest_call_number, name="suggest_call_number"),
    path("<int:pk>/", views.record_detail, name="record_detail"),
    path("<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("<int:pk>/export/<str:fmt>/", views.record_export, name="record_export"),
    path("import/", views.marc_import, name="marc_import"),
    path("import/report/<str:token>/", views.marc_import_report, name="marc_import_report"),
]

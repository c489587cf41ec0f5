"""Accession register pages under /staff/accessions/."""

from django.urls import path

from .views import staff as views

app_name = "accessions"

urlpatterns = [
    path("", views.register, name="register"),
    path("export.<str:fmt>", views.register_export, name="register_export"),
    path("pattern/", views.pattern_edit, name="pattern"),
    path("items/<str:barcode>/acquisition/", views.acquisition_edit, name="acquisition_edit"),
]

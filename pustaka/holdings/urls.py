"""Item pages under /staff/holdings/."""

from django.urls import path

from .views import staff as views

app_name = "holdings"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("scan/", views.item_scan, name="item_scan"),
    path("records/<int:record_pk>/new-item/", views.item_create, name="item_create"),
    path("items/<str:barcode>/", views.item_detail, name="item_detail"),
    path("items/<str:barcode>/edit/", views.item_edit, name="item_edit"),
    path("items/<str:barcode>/move/", views.item_move, name="item_move"),
    path("items/<str:barcode>/condition/", views.item_condition, name="item_condition"),
]

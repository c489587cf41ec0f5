"""Core staff pages under /staff/core/: branches, locations, library settings, history."""

from django.urls import path

from .views import staff as views

app_name = "core"

urlpatterns = [
    path("branches/", views.branch_list, name="branch_list"),
    path("branches/new/", views.branch_create, name="branch_create"),
    path("branches/<int:pk>/", views.branch_detail, name="branch_detail"),
    path("branches/<int:pk>/edit/", views.branch_edit, name="branch_edit"),
    path("branches/<int:pk>/locations/new/", views.location_create, name="location_create"),
    path("settings/", views.library_settings, name="library_settings"),
    path("history/", views.audit_list, name="audit_list"),
    path("history/<str:app_label>/<str:model>/<str:object_id>/", views.object_history, name="object_history"),
]

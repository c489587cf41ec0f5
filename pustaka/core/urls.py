"""Core staff pages, mounted at ``staff/``: branches, locations, library settings and history under
``core/`` (namespace ``core``), staff accounts and their roles under ``users/`` (namespace
``core_users``)."""

from django.urls import include, path

from .views import staff as views
from .views import users as user_views

# --- Branches, locations, library settings, history (/staff/core/) ------------------------------------
core_patterns = [
    path("branches/", views.branch_list, name="branch_list"),
    path("branches/new/", views.branch_create, name="branch_create"),
    path("branches/<int:pk>/", views.branch_detail, name="branch_detail"),
    path("branches/<int:pk>/edit/", views.branch_edit, name="branch_edit"),
    path("branches/<int:pk>/locations/new/", views.location_create, name="location_create"),
    path("settings/", views.library_settings, name="library_settings"),
    path("history/", views.audit_list, name="audit_list"),
    path("history/<str:app_label>/<str:model>/<str:object_id>/", views.object_history, name="object_history"),
]

# --- Staff accounts and roles (/staff/users/) ---------------------------------------------------------
user_patterns = [
    path("", user_views.user_list, name="list"),
    path("new/", user_views.user_create, name="create"),
    path("<int:pk>/roles/", user_views.user_roles, name="roles"),
]

urlpatterns = [
    path("core/", include((core_patterns, "core"))),
    path("users/", include((user_patterns, "core_users"))),
]

"""Staff URLs of programs, mounted at ``staff/``: programs/..."""

from django.urls import path

from .views import staff as views

app_name = "programs"

urlpatterns = [
    path("programs/", views.program_list, name="program_list"),
    path("programs/new/", views.program_create, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("programs/<int:pk>/register/", views.program_register, name="program_register"),
    path("programs/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("programs/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("programs/sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("programs/sessions/<int:pk>/attendance/scan/", views.attendance_scan, name="attendance_scan"),
    path("programs/registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
]

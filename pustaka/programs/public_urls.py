"""Public URLs, part of the public site (mounted at the root by the OPAC): programs/... and
account/programs/."""

from django.urls import path

from .views import public as views

app_name = "programs_opac"

urlpatterns = [
    path("programs/", views.program_list, name="program_list"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/register/", views.program_register, name="program_register"),
    path("programs/registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("account/programs/", views.my_programs, name="my_programs"),
]

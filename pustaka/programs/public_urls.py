"""Public URLs, part of the public site (mounted at the root by the OPAC): programs/..., help/ask/,
account/programs/ and account/questions/."""

from django.urls import path

from .views import public as views

app_name = "programs_opac"

urlpatterns = [
    path("programs/", views.program_list, name="program_list"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/register/", views.program_register, name="program_register"),
    path("programs/registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("help/ask/", views.ask, name="ask"),
    path("help/ask/sent/", views.ask_sent, name="ask_sent"),
    path("account/programs/", views.my_programs, name="my_programs"),
    path("account/questions/", views.my_questions, name="my_questions"),
]

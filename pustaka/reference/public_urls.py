"""Public URLs, part of the public site (mounted at the root by the OPAC): help/ask/ and
account/questions/."""

from django.urls import path

from .views import public as views

app_name = "reference_opac"

urlpatterns = [
    path("help/ask/", views.ask, name="ask"),
    path("help/ask/sent/", views.ask_sent, name="ask_sent"),
    path("account/questions/", views.my_questions, name="my_questions"),
]

"""Staff URLs of questions to the librarians, mounted at ``staff/``: help/..."""

from django.urls import path

from .views import staff as views

app_name = "reference"

urlpatterns = [
    path("help/", views.help_queue, name="help_queue"),
    path("help/<int:pk>/", views.help_detail, name="help_detail"),
    path("help/<int:pk>/assign/", views.help_assign, name="help_assign"),
    path("help/<int:pk>/answer/", views.help_answer, name="help_answer"),
    path("help/<int:pk>/close/", views.help_close, name="help_close"),
]

"""Staff URLs of the visitor book, mounted at ``staff/visitors/``."""

from django.urls import path

from .views import staff as views

app_name = "visitors"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("record/", views.record, name="record"),
    path("kiosk/open/", views.kiosk_open, name="kiosk_open"),
    path("kiosks/<int:pk>/close/", views.kiosk_close, name="kiosk_close"),
    path("purposes/", views.purposes, name="purposes"),
    path("purposes/<int:pk>/", views.purpose_edit, name="purpose_edit"),
]

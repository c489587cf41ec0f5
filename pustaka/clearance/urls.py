"""Staff URLs of clearance letters, mounted at ``staff/clearance/``."""

from django.urls import path

from .views import staff as views

app_name = "clearance"

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("find/", views.find, name="find"),
    path("settings/", views.settings_page, name="settings"),
    path("patrons/<int:pk>/", views.issue, name="issue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/letter.pdf", views.letter_pdf, name="pdf"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]

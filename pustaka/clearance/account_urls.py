"""The patron's clearance page in their account, mounted at ``account/clearance/``."""

from django.urls import path

from .views import public as views

app_name = "clearance_account"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/letter.pdf", views.my_letter_pdf, name="pdf"),
]

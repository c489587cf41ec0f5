"""The patron's purchase suggestions in their account, mounted at ``account/suggestions/``."""

from django.urls import path

from .views import account as views

app_name = "acquisitions_account"

urlpatterns = [path("", views.mine, name="mine")]

"""The patron's notices in their account, mounted at ``account/notices/``."""

from django.urls import path

from .views import account as views

app_name = "notify_account"

urlpatterns = [path("", views.my_notices, name="mine")]

from django.urls import path

from . import views

app_name = "sip2"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:pk>/", views.account_edit, name="edit"),
    path("<int:pk>/active/", views.account_set_active, name="set_active"),
]

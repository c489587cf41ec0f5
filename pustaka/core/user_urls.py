from django.urls import path

from .views import users as user_views

app_name = "core_users"

urlpatterns = [
    path("", user_views.user_list, name="list"),
    path("new/", user_views.user_create, name="create"),
    path("<int:pk>/roles/", user_views.user_roles, name="roles"),
]

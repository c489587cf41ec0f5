"""The patron's account URLs (login, home, PIN), mounted at ``/account/``."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import account

app_name = "account"

urlpatterns = [
    path("", account.home, name="home"),
    path("login/", account.PatronLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page=reverse_lazy("opac:home")), name="logout"),
    path("pin/", account.change_pin, name="pin"),
]

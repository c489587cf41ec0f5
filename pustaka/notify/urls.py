"""Staff URLs of notice deliveries, mounted at ``staff/notices/``."""

from django.urls import path

from .views import staff as views

app_name = "notify"

urlpatterns = [
    path("", views.delivery_list, name="list"),
    path("<int:pk>/", views.delivery_detail, name="detail"),
    path("<int:pk>/retry/", views.delivery_retry, name="retry"),
    path("<int:pk>/cancel/", views.delivery_cancel, name="cancel"),
]

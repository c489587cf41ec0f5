from django.urls import path

from . import staff_views as views

app_name = "core"

urlpatterns = [
    path("branches/", views.branch_list, name="branch_list"),
    path("history/", views.audit_list, name="audit_list"),
]

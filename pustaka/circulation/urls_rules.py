"""Loan-rule and closed-day pages, mounted at ``staff/circulation/rules/`` (namespace ``circulation_rules``)."""

from django.urls import path

from .views import rules as v

app_name = "circulation_rules"

urlpatterns = [
    path("", v.rule_list, name="list"),
    path("new/", v.rule_create, name="create"),
    path("<int:pk>/", v.rule_edit, name="edit"),
    path("<int:pk>/delete/", v.rule_delete, name="delete"),
    path("closed-days/", v.closed_day_add, name="closed_day_add"),
    path("closed-days/<int:pk>/delete/", v.closed_day_delete, name="closed_day_delete"),
]

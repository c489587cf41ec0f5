"""Circulation staff pages, mounted at ``staff/circulation/``: the loan desk, check-in and transit,
the hold shelf and "which rule applies and why" (namespace ``circulation``), and the loan-rule and
closed-day pages under ``rules/`` (namespace ``circulation_rules``)."""

from django.urls import include, path

from .views import checkin, desk, explain
from .views import rules as r

rules_patterns = [
    path("", r.rule_list, name="list"),
    path("new/", r.rule_create, name="create"),
    path("<int:pk>/", r.rule_edit, name="edit"),
    path("<int:pk>/delete/", r.rule_delete, name="delete"),
    path("closed-days/", r.closed_day_add, name="closed_day_add"),
    path("closed-days/<int:pk>/delete/", r.closed_day_delete, name="closed_day_delete"),
]

urlpatterns = [
    path("rules/", include((rules_patterns, "circulation_rules"))),
    path("", include(([*desk.urlpatterns, *checkin.urlpatterns, *explain.urlpatterns], "circulation"))),
]

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

# The desk, check-in and transit, the hold shelf and which rule applies (namespace ``circulation``).
desk_patterns = [
    # --- The loan desk -----------------------------------------------------------------------------------------------
    path("desk/", desk.desk, name="desk"),
    path("desk/patron/", desk.desk_patron, name="desk_patron"),
    path("desk/branch/", desk.desk_branch_set, name="desk_branch"),
    path("desk/checkout/", desk.desk_checkout, name="desk_checkout"),
    path("desk/renew/", desk.desk_renew, name="desk_renew"),
    path("desk/loans/<int:pk>/lost/", desk.desk_lost, name="desk_lost"),
    path("desk/loans/<int:pk>/claim-returned/", desk.desk_claim_returned, name="desk_claim_returned"),
    path("desk/pay/", desk.desk_pay, name="desk_pay"),
    path("desk/waive/", desk.desk_waive, name="desk_waive"),
    path("desk/finish/", desk.desk_finish, name="desk_finish"),
    path("desk/receipt/", desk.desk_receipt, name="desk_receipt"),
    # --- Check-in, transit and the hold shelf ------------------------------------------------------------------------
    path("checkin/", checkin.checkin, name="checkin"),
    path("transit/", checkin.transit, name="transit"),
    path("checkin/clear/", checkin.checkin_clear, name="checkin_clear"),
    path("checkin/receipt/", checkin.checkin_receipt, name="checkin_receipt"),
    path("hold-shelf/", checkin.hold_shelf_list, name="hold_shelf"),
    path("hold-shelf/expire/", checkin.hold_shelf_expire, name="hold_shelf_expire"),
    # --- Which rule applies, and why ---------------------------------------------------------------------------------
    path("rules/explain/", explain.rule_explain, name="rule_explain"),
]

urlpatterns = [
    path("rules/", include((rules_patterns, "circulation_rules"))),
    path("", include((desk_patterns, "circulation"))),
]

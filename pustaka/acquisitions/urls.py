"""Staff pages of acquisitions, mounted at ``staff/acquisitions/``."""

from django.urls import path

from .views import staff as views

app_name = "acquisitions"

urlpatterns = [
    path("", views.home, name="home"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/late/", views.late, name="late"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/lines/", views.order_add_line, name="order_add_line"),
    path("orders/<int:pk>/lines/<int:line>/remove/", views.order_remove_line, name="order_remove_line"),
    path("orders/<int:pk>/send/", views.order_send, name="order_send"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/cancel-line/", views.order_cancel_line, name="order_cancel_line"),
    path("orders/<int:pk>/claim/", views.order_claim, name="order_claim"),
    path("orders/<int:pk>/order.pdf", views.order_pdf, name="order_pdf"),
    path("orders/<int:pk>/claims/<int:number>.pdf", views.claim_pdf, name="claim_pdf"),
    path("orders/<int:pk>/receive/", views.receive, name="receive"),
    path("orders/<int:pk>/invoice/", views.invoice_new, name="invoice_new"),
    path("vendors/", views.vendor_list, name="vendors"),
    path("vendors/new/", views.vendor_edit, name="vendor_new"),
    path("vendors/<int:pk>/", views.vendor_edit, name="vendor_edit"),
    path("funds/", views.fund_list, name="funds"),
    path("funds/new/", views.fund_edit, name="fund_new"),
    path("funds/<int:pk>/", views.fund_edit, name="fund_edit"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:pk>/pay/", views.invoice_pay, name="invoice_pay"),
    path("suggestions/", views.suggestion_list, name="suggestions"),
    path("suggestions/<int:pk>/accept/", views.suggestion_accept, name="suggestion_accept"),
    path("suggestions/<int:pk>/reject/", views.suggestion_reject, name="suggestion_reject"),
]

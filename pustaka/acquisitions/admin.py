"""Acquisitions in the Django admin: read-only views for support (writes go through the pages and API)."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import Fund, Invoice, Order, Suggestion, Vendor


@admin.register(Vendor)
class VendorAdmin(ReadOnlyAdmin):
    list_display = ["name", "email", "phone", "is_active"]
    search_fields = ["name"]


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "year", "budget", "is_active"]
    list_filter = ["year"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "vendor", "status", "expected_by", "claim_count"]
    list_select_related = ["vendor"]
    list_filter = ["status"]
    search_fields = ["number"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "vendor", "date", "amount", "paid_on"]
    list_select_related = ["vendor"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["title", "patron", "status", "created_at"]
    list_select_related = ["patron"]
    list_filter = ["status"]

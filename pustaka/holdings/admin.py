"""Django admin for items and item types. Status changes go through the lifecycle actions only."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import ConditionChange, Item, ItemType


@admin.register(ItemType)
class ItemTypeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "is_loanable")


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ("barcode", "record", "branch", "location", "status", "condition")
    list_filter = ("status", "branch", "condition")
    search_fields = ("barcode", "record__title", "call_number")
    raw_id_fields = ("record",)
    readonly_fields = (
        "status",
        "status_changed_at",
        "pulled_reason",
        "condition",
        "loan_count",
        "last_loan_at",
    )


@admin.register(ConditionChange)
class ConditionChangeAdmin(ReadOnlyAdmin):
    list_display = ("item", "from_condition", "to_condition", "recorded_by", "recorded_at")

"""Django admin for circulation: read-only views (every change goes through the actions)."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import ClosedDay, FeeEntry, Hold, Loan, LoanRule


@admin.register(LoanRule)
class LoanRuleAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "loan_days", "renewals", "max_items", "fine_per_day", "max_fine", "grace_days")
    list_select_related = ("patron_category", "item_type", "branch")


@admin.register(ClosedDay)
class ClosedDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "branch", "reason")
    list_filter = ("branch",)


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ("item", "patron", "checked_out_at", "due_at", "returned_at", "renewals", "is_lost")
    list_filter = ("is_lost", "branch")
    search_fields = ("item__barcode", "patron__card_number", "patron__last_name")
    list_select_related = ("item__record", "patron")
    raw_id_fields = ("item", "patron")


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ("record", "patron", "item", "pickup_branch", "status", "placed_at", "shelf_until")
    list_filter = ("status", "pickup_branch")
    search_fields = ("patron__card_number", "record__title")
    list_select_related = ("record", "patron", "item", "pickup_branch")
    raw_id_fields = ("record", "item", "patron", "trapped_item")


@admin.register(FeeEntry)
class FeeEntryAdmin(ReadOnlyAdmin):
    list_display = ("patron", "kind", "amount", "created_at", "created_by")
    list_filter = ("kind",)
    search_fields = ("patron__card_number",)
    list_select_related = ("patron", "created_by")
    raw_id_fields = ("patron", "loan", "settles")

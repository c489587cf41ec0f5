"""The visitor book in the Django admin: read-only views for support (writes go through the pages and API)."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import KioskSession, Visit, VisitPurpose


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["visited_at", "branch", "patron", "name", "category", "purpose", "count", "source"]
    list_select_related = ["branch", "patron", "purpose"]
    list_filter = ["branch", "category", "source"]
    date_hierarchy = "visited_at"


@admin.register(VisitPurpose)
class VisitPurposeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_id", "name_en", "is_active", "sort_order"]


@admin.register(KioskSession)
class KioskSessionAdmin(ReadOnlyAdmin):
    list_display = ["branch", "label", "opened_by", "opened_at", "closed_at"]
    list_select_related = ["branch", "opened_by"]
    exclude = ["token_hash"]

"""Copy cataloguing in the Django admin: read-only views for support (writes go through the pages and API)."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import CopiedRecord, Target


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["name", "protocol", "base_url", "host", "port", "database", "enabled", "priority"]


@admin.register(CopiedRecord)
class CopiedRecordAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "target_name", "remote_id", "isbn", "item_count"]
    list_select_related = ["record"]

"""Django admin for records (read-mostly; cataloguing happens in the staff pages)."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import Record


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ("title", "material_type", "year", "isbn", "call_number", "source")
    list_filter = ("material_type", "source", "language")
    search_fields = ("title", "isbn", "control_number", "call_number")
    readonly_fields = ("marc_edited",)

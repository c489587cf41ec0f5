"""Clearance letters in the Django admin: read-only views for support (writes go through the pages and API)."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import ClearanceLetter, ClearanceSequence, ClearanceSettings


@admin.register(ClearanceLetter)
class ClearanceLetterAdmin(ReadOnlyAdmin):
    list_display = ["number", "patron_name", "purpose", "issued_at", "valid_until", "status", "blocks_loans"]
    list_select_related = ["patron"]
    list_filter = ["year", "status", "purpose"]
    search_fields = ["number", "patron_name", "patron__card_number"]


@admin.register(ClearanceSequence)
class ClearanceSequenceAdmin(ReadOnlyAdmin):
    list_display = ["year", "last"]


@admin.register(ClearanceSettings)
class ClearanceSettingsAdmin(ReadOnlyAdmin):
    list_display = ["number_pattern", "validity_days", "signatory_title", "block_on_request"]

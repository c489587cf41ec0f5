"""Django admin for the accession register: read only (numbers are given by the actions)."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import Accession


@admin.register(Accession)
class AccessionAdmin(ReadOnlyAdmin):
    list_display = ("number", "year", "barcode", "title", "source", "supplier", "price")
    list_filter = ("year", "source")
    search_fields = ("number", "barcode", "title", "supplier")

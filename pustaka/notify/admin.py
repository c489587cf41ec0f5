"""Django admin for notice deliveries: read only (the worker writes them)."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("key", "channel", "to", "state", "attempts", "sent_at", "last_error")
    list_filter = ("state", "channel")
    search_fields = ("key", "to")

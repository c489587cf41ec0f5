"""Authority records in the Django admin: read-only views for support (writes go through the pages and API)."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import Authority, AuthorityLink


@admin.register(Authority)
class AuthorityAdmin(ReadOnlyAdmin):
    list_display = ["heading", "kind", "source", "control_number"]
    list_filter = ["kind"]
    search_fields = ["heading", "control_number"]


@admin.register(AuthorityLink)
class AuthorityLinkAdmin(ReadOnlyAdmin):
    list_display = ["record", "field", "heading", "authority", "automatic"]
    list_select_related = ["record", "authority"]

"""Programs in the Django admin: read-mostly views for support (writes go through the pages and API)."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import Program, ProgramSession, Registration


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "branch", "capacity", "registration_open", "registration_mode"]
    list_filter = ["kind", "branch", "registration_open"]
    search_fields = ["title"]


@admin.register(ProgramSession)
class ProgramSessionAdmin(ReadOnlyAdmin):
    list_display = ["program", "date", "start_time", "end_time", "room", "branch"]
    list_select_related = ["program", "branch"]
    list_filter = ["branch"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["program", "patron", "status", "queued_at"]
    list_select_related = ["program", "patron"]
    list_filter = ["status"]

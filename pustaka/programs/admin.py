"""Programs in the Django admin: read-mostly views for support (writes go through the pages and API)."""

from django.contrib import admin

from .models import HelpAnswer, HelpRequest, Program, ProgramSession, Registration


class ReadOnlyAdmin(admin.ModelAdmin):
    """Looking only: every change goes through an action (audited), never through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(HelpRequest)
class HelpRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "name", "status", "assigned_to", "asked_at", "first_answered_at"]
    list_select_related = ["assigned_to"]
    list_filter = ["status"]


@admin.register(HelpAnswer)
class HelpAnswerAdmin(ReadOnlyAdmin):
    list_display = ["help_request", "answered_by", "answered_at", "emailed_at"]
    list_select_related = ["help_request", "answered_by"]

"""Read-only admin of questions and answers."""

from django.contrib import admin

from pustaka.core.admin import ReadOnlyAdmin

from .models import HelpAnswer, HelpRequest


@admin.register(HelpRequest)
class HelpRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "name", "status", "assigned_to", "asked_at", "first_answered_at"]
    list_select_related = ["assigned_to"]
    list_filter = ["status"]


@admin.register(HelpAnswer)
class HelpAnswerAdmin(ReadOnlyAdmin):
    list_display = ["help_request", "answered_by", "answered_at", "emailed_at"]
    list_select_related = ["help_request", "answered_by"]

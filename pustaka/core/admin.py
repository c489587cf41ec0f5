"""Django admin for administrators, read-only: every write goes through actions."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, AuditEvent, Branch, Library, Location, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """The Django admin is a viewer: every write goes through actions (staff pages, API, commands)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class PustakaUserAdmin(UserAdmin, ReadOnlyAdmin):
    list_display = ("username", "first_name", "last_name", "home_branch", "is_active")
    list_filter = ("groups", "home_branch", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Pustaka", {"fields": ("home_branch", "language")}))


@admin.register(Branch)
class BranchAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "is_active")


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ("branch", "code", "name", "is_public")
    list_filter = ("branch",)


@admin.register(Library)
class LibraryAdmin(ReadOnlyAdmin):
    list_display = ("name", "call_number_rule")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail can be read here but never changed."""

    list_display = ("occurred_at", "actor_name", "verb", "object_repr", "request_id")
    list_filter = ("verb",)
    search_fields = ("object_repr", "actor_name", "verb", "request_id")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_hash", "prefix")

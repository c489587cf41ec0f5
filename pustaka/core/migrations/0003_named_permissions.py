"""Core permissions are named for what people do (manage branches, locations, staff, API tokens; configure the
library); whoever held the old ones holds the new."""

from django.db import migrations

from pustaka.core.roles import replace_permissions

RENAMED = {
    "core.manage_branches": ("core.add_branch", "core.change_branch"),
    "core.manage_locations": ("core.add_location", "core.change_location"),
    "core.manage_staff": ("core.add_user", "core.change_user"),
    "core.manage_api_tokens": ("core.add_apitoken", "core.delete_apitoken"),
    "core.configure_library": ("core.change_library",),
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="apitoken",
            options={
                "permissions": [("manage_api_tokens", "Can issue and revoke other people's API tokens")],
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
            },
        ),
        migrations.AlterModelOptions(
            name="branch",
            options={
                "ordering": ["code"],
                "permissions": [("manage_branches", "Can open and change branches")],
                "verbose_name": "branch",
                "verbose_name_plural": "branches",
            },
        ),
        migrations.AlterModelOptions(
            name="library",
            options={
                "permissions": [("configure_library", "Can change the library's settings")],
                "verbose_name": "library settings",
                "verbose_name_plural": "library settings",
            },
        ),
        migrations.AlterModelOptions(
            name="location",
            options={
                "ordering": ["branch__code", "sort_order", "code"],
                "permissions": [("manage_locations", "Can add and change shelving locations")],
                "verbose_name": "shelving location",
                "verbose_name_plural": "shelving locations",
            },
        ),
        migrations.AlterModelOptions(
            name="user",
            options={
                "permissions": [("manage_staff", "Can create staff accounts and give roles")],
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
        ),
        migrations.RunPython(replace_permissions(RENAMED), migrations.RunPython.noop),
    ]

"""Which permissions each role holds. Applied by migrations (``sync_roles``) so every install agrees.

Administrators hold every permission. The lists name ``app_label.codename``; a later issue that adds
permissions adds them here and ships a migration that calls :func:`sync_roles` again.
"""

from .choices import Role

VIEW_CATALOGUE = ["catalog.view_record", "holdings.view_item", "core.view_branch", "core.view_location"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.IT_MANAGER: [
        *VIEW_CATALOGUE,
        "catalog.change_record",
        "catalog.export_marc",
        "core.view_auditevent",
        "core.add_branch",
        "core.change_branch",
        "core.add_location",
        "core.change_location",
        "core.change_library",
    ],
    Role.LIBRARIAN: [
        *VIEW_CATALOGUE,
        "catalog.add_record",
        "catalog.change_record",
        "catalog.delete_record",
        "catalog.import_marc",
        "catalog.export_marc",
        "holdings.add_item",
        "holdings.change_item",
        "holdings.delete_item",
        "holdings.receive_item",
        "holdings.process_item",
        "holdings.shelve_item",
        "holdings.pull_item",
        "holdings.repair_item",
        "holdings.bind_item",
        "holdings.withdraw_item",
        "holdings.sell_item",
        "holdings.mark_missing",
        "holdings.mark_lost",
        "holdings.find_item",
        "holdings.change_condition",
        "holdings.circulate_item",
        "core.view_auditevent",
        "core.add_location",
        "core.change_location",
    ],
    Role.SENIOR_TECHNICIAN: [
        *VIEW_CATALOGUE,
        "holdings.add_item",
        "holdings.change_item",
        "holdings.receive_item",
        "holdings.process_item",
        "holdings.shelve_item",
        "holdings.pull_item",
        "holdings.repair_item",
        "holdings.bind_item",
        "holdings.sell_item",
        "holdings.mark_missing",
        "holdings.find_item",
        "holdings.change_condition",
        "core.view_auditevent",
    ],
    Role.TECHNICIAN: [
        *VIEW_CATALOGUE,
        "holdings.receive_item",
        "holdings.process_item",
        "holdings.shelve_item",
        "holdings.pull_item",
        "holdings.repair_item",
        "holdings.bind_item",
        "holdings.find_item",
        "holdings.change_condition",
    ],
    Role.CIRCULATION: [
        *VIEW_CATALOGUE,
        "holdings.circulate_item",
        "holdings.shelve_item",
        "holdings.mark_lost",
        "holdings.find_item",
    ],
}


def sync_roles(apps, schema_editor=None) -> None:
    """Create each role's group and give it exactly its permissions (migration-safe)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin_group, _ = Group.objects.get_or_create(name=Role.ADMINISTRATOR.value)
    admin_group.permissions.set(Permission.objects.all())
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role.value))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is None:
                raise LookupError(f"Permission {perm} for role {role.value} does not exist")
            wanted.append(found)
        group.permissions.set(wanted)

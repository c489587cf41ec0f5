"""Which permissions each role holds. Applied by migrations (``sync_roles``) so every install agrees.

Administrators hold every permission. The lists name ``app_label.codename``; a later issue that adds
permissions adds them here and ships a migration that calls :func:`sync_roles` again.
"""

from .choices import Role

VIEW_CATALOGUE = ["catalog.view_record", "holdings.view_item", "core.view_branch", "core.view_location"]

M = "maintenance."
VIEW_TECHNICAL_SERVICES = [
    M + "view_processingprofile",
    M + "view_assignment",
    M + "view_review",
    M + "view_pulllist",
    M + "view_weedingcriteria",
    M + "view_weedingcandidate",
    M + "view_repairticket",
    M + "view_binderyvendor",
    M + "view_binderyshipment",
    M + "view_saleevent",
    M + "view_sale",
    M + "view_stocktake",
    M + "view_subscription",
    M + "view_serialissue",
]
TECHNICIAN_WORK = [
    *VIEW_TECHNICAL_SERVICES,
    M + "add_processingstepdone",
    M + "change_pulllist",
    M + "add_repairticket",
    M + "change_repairticket",
    M + "change_binderyshipment",
    M + "add_stocktake",
    M + "change_stocktake",
    M + "check_in_issue",
]
SUPERVISOR_WORK = [
    *TECHNICIAN_WORK,
    M + "change_processingprofile",
    M + "add_pulllist",
    M + "assign_work",
    M + "review_work",
    M + "add_binderyvendor",
    M + "add_binderyshipment",
    M + "add_saleevent",
    M + "add_saleoffer",
    M + "add_sale",
    M + "claim_issue",
]
LIBRARIAN_WORK = [
    *SUPERVISOR_WORK,
    M + "add_weedingcriteria",
    M + "change_weedingcriteria",
    M + "decide_weeding",
    M + "confirm_stocktake",
    M + "add_subscription",
    M + "change_subscription",
]

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
        *LIBRARIAN_WORK,
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
        *SUPERVISOR_WORK,
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
        *TECHNICIAN_WORK,
    ],
    Role.CIRCULATION: [
        *VIEW_CATALOGUE,
        "holdings.circulate_item",
        "holdings.shelve_item",
        "holdings.mark_lost",
        "holdings.find_item",
        M + "view_pulllist",
        M + "view_stocktake",
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
            if found is None and not Permission.objects.filter(content_type__app_label=app_label).exists():
                continue  # that app is not migrated yet; its own migration calls sync_roles again
            if found is None:
                raise LookupError(f"Permission {perm} for role {role.value} does not exist")
            wanted.append(found)
        group.permissions.set(wanted)

"""Which permissions each role holds. Applied by migrations (``sync_roles``) so every install agrees.

Administrators hold every permission. The lists name ``app_label.codename``; a later issue that adds
permissions adds them here and ships a migration that calls :func:`sync_roles` again.
"""

from .choices import Role

VIEW_CATALOGUE = ["catalog.view_record", "holdings.view_item", "core.view_branch", "core.view_location"]

M = "technical."
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

P, C, D, G = "patrons.", "circulation.", "digital.", "programs."
DESK_WORK = [
    "holdings.circulate_item",
    P + "view_patron",
    P + "add_patron",
    P + "change_patron",
    P + "print_cards",
    P + "view_patroncategory",
    C + "view_loan",
    C + "add_loan",
    C + "change_loan",
    C + "view_hold",
    C + "add_hold",
    C + "change_hold",
    C + "view_feeentry",
    C + "take_payment",
    C + "view_loanrule",
    C + "view_closedday",
    C + "view_notice",
    D + "view_digitalresource",
    D + "lend_seat",
    G + "view_program",
    G + "view_programsession",
    G + "view_registration",
    G + "add_registration",
    G + "change_registration",
    G + "take_attendance",
    G + "view_helprequest",
    G + "answer_helprequest",
]
CIRCULATION_SUPERVISION = [
    *DESK_WORK,
    P + "block_patron",
    P + "import_patrons",
    P + "delete_patron",
    P + "add_patroncategory",
    P + "change_patroncategory",
    C + "override_circulation",
    C + "claim_returned",
    C + "waive_fee",
    C + "add_feeentry",
    C + "add_loanrule",
    C + "change_loanrule",
    C + "delete_loanrule",
    C + "add_closedday",
    C + "change_closedday",
    C + "delete_closedday",
    C + "view_sipaccount",
    C + "add_sipaccount",
    C + "change_sipaccount",
    G + "add_program",
    G + "change_program",
    G + "add_programsession",
    G + "change_programsession",
]
DIGITAL_WORK = [
    *[
        D + f"{verb}_{model}"
        for model in ("digitalresource", "storedfile", "resourcefile", "licence", "collection", "softwareseat")
        for verb in ("view", "add", "change")
    ],
    D + "view_accessevent",
    D + "view_fixitycheck",
    D + "view_linkcheck",
    D + "ingest_file",
    D + "run_fixity",
    D + "view_usage",
    D + "lend_seat",
    D + "backup_library",
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
        "catalog.add_record",
        *DIGITAL_WORK,
        P + "view_patron",
        P + "view_patroncategory",
        G + "view_program",
        G + "view_programsession",
        G + "view_registration",
        G + "view_helprequest",
        G + "answer_helprequest",
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
        *CIRCULATION_SUPERVISION,
        D + "view_digitalresource",
        D + "view_licence",
        D + "view_collection",
        D + "view_storedfile",
        D + "view_resourcefile",
        D + "view_usage",
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
        *DESK_WORK,
        G + "add_program",
        G + "change_program",
        G + "add_programsession",
        G + "change_programsession",
    ],
    Role.TECHNICIAN: [
        *VIEW_CATALOGUE,
        "holdings.receive_item",
        "holdings.process_item",
        "holdings.shelve_item",
        "holdings.pull_item",
        "holdings.repair_item",
        "holdings.bind_item",
        "holdings.mark_missing",  # a copy a pull list does not find on its shelf becomes missing
        "holdings.find_item",
        "holdings.change_condition",
        *TECHNICIAN_WORK,
        *DESK_WORK,
    ],
    Role.CIRCULATION: [
        *VIEW_CATALOGUE,
        "holdings.circulate_item",
        "holdings.shelve_item",
        "holdings.mark_lost",
        "holdings.find_item",
        M + "view_pulllist",
        M + "view_stocktake",
        *DESK_WORK,
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

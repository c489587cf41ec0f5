"""Which permissions each role holds. Applied by migrations (``sync_roles``) so every install agrees.

Administrators hold every permission. The lists name ``app_label.codename``: permissions named for
what people do (``circulation.checkout``, ``patrons.block``), declared in the models' ``Meta.permissions``
and checked by the actions that declare them (:mod:`pustaka.core.registry`), plus Django's ``view_*``
for reading. A change that adds or renames permissions adds them here and ships a migration that calls
:func:`replace_permissions` (renames) or :func:`sync_roles` again.
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
    M + "do_processing",
    M + "close_pull_lists",
    M + "handle_repairs",
    M + "send_to_bindery",
    M + "receive_from_bindery",
    M + "take_stock",
    M + "check_in_issue",
]
SUPERVISOR_WORK = [
    *TECHNICIAN_WORK,
    M + "manage_processing_profiles",
    M + "make_pull_lists",
    M + "assign_work",
    M + "review_work",
    M + "manage_binderies",
    M + "prepare_bindery_shipments",
    M + "hold_sales",
    M + "claim_issue",
]
LIBRARIAN_WORK = [
    *SUPERVISOR_WORK,
    M + "propose_weeding",
    M + "decide_weeding",
    M + "confirm_stocktake",
    M + "manage_subscriptions",
]

P, C, D, G = "patrons.", "circulation.", "digital.", "programs."
DESK_WORK = [
    "holdings.circulate_item",
    P + "view_patron",
    P + "register",
    P + "edit_patron",
    P + "print_cards",
    P + "view_patroncategory",
    P + "view_institutionunit",
    C + "view_loan",
    C + "checkout",
    C + "checkin",
    C + "renew",
    C + "declare_lost",
    C + "view_hold",
    C + "place_hold",
    C + "manage_holds",
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
    G + "register_patrons",
    G + "send_reminders",
    G + "take_attendance",
    "reference.view_helprequest",
    "reference.answer_questions",
    "visitors.view_visit",
    "visitors.record_visit",
    "visitors.open_kiosk",
    "clearance.view_clearanceletter",
    "clearance.issue_clearance",
]
CIRCULATION_SUPERVISION = [
    *DESK_WORK,
    P + "block",
    P + "import_patrons",
    P + "delete_patron",
    P + "manage_categories",
    P + "manage_units",
    P + "start_academic_year",
    C + "override",
    C + "claim_returned",
    C + "waive_fee",
    C + "charge_fee",
    C + "manage_loan_rules",
    C + "manage_calendar",
    C + "view_sipaccount",
    C + "manage_selfcheck",
    G + "manage_programs",
    "visitors.manage_purposes",
    "clearance.revoke_clearance",
    "clearance.configure_clearance",
]
DIGITAL_WORK = [
    *[
        D + f"view_{model}"
        for model in ("digitalresource", "storedfile", "resourcefile", "licence", "collection", "softwareseat")
    ],
    D + "manage_resources",
    D + "manage_licences",
    D + "manage_collections",
    D + "manage_seats",
    D + "view_accessevent",
    D + "view_fixitycheck",
    D + "view_linkcheck",
    D + "ingest_file",
    D + "run_fixity",
    D + "view_usage",
    D + "lend_seat",
    D + "backup_library",
]

# Copy cataloguing (pustaka/copycat): librarians search remote catalogues, copy records with their
# copies, and keep the list of catalogues (administrators hold every permission).
COPY_CATALOGUING = [
    "copycat.view_target",
    "copycat.view_copiedrecord",
    "copycat.copy_catalogue",
    "copycat.manage_targets",
]

# Authority records (pustaka/authorities): librarians maintain them (edit, import, link, merge);
# the rest of the staff reads them.
AUTHORITIES_READ = ["authorities.view_authority"]
AUTHORITIES_WORK = [*AUTHORITIES_READ, "authorities.maintain_authorities"]

# Notice deliveries (pustaka/notify): the circulation desk and librarians see the WhatsApp and SMS
# messages sent to patrons, send a failed one again and cancel one not sent yet.
NOTICE_DELIVERIES = ["notify.view_delivery", "notify.manage_deliveries"]

# Acquisitions (pustaka/acquisitions): technicians receive deliveries, librarians keep the vendors, order,
# claim, record invoices and review patrons' suggestions; only administrators set funds (set_funds).
ACQUISITIONS_READ = [
    "acquisitions.view_vendor",
    "acquisitions.view_fund",
    "acquisitions.view_order",
    "acquisitions.view_invoice",
    "acquisitions.view_suggestion",
]
ACQUISITIONS_RECEIVING = [*ACQUISITIONS_READ, "acquisitions.receive_order"]
ACQUISITIONS_ORDERING = [
    *ACQUISITIONS_RECEIVING,
    "acquisitions.manage_vendors",
    "acquisitions.place_order",
    "acquisitions.record_invoice",
    "acquisitions.review_suggestions",
]

# Reports (pustaka/reports/specs.py): the circulation reports, and every report.
REPORTS_ALL = ["reports.view_circulation_reports", "reports.view_reports"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.IT_MANAGER: [
        *REPORTS_ALL,
        *VIEW_CATALOGUE,
        *AUTHORITIES_READ,
        "catalog.catalogue",
        "catalog.export_marc",
        "core.view_auditevent",
        "core.manage_branches",
        "core.manage_locations",
        "core.configure_library",
        *DIGITAL_WORK,
        P + "view_patron",
        P + "view_patroncategory",
        G + "view_program",
        G + "view_programsession",
        G + "view_registration",
        "reference.view_helprequest",
        "reference.answer_questions",
    ],
    Role.LIBRARIAN: [
        *REPORTS_ALL,
        *NOTICE_DELIVERIES,
        *VIEW_CATALOGUE,
        *AUTHORITIES_WORK,
        "catalog.catalogue",
        "catalog.delete_record",
        "catalog.import_marc",
        "catalog.export_marc",
        "holdings.add_copy",
        "holdings.edit_copy",
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
        "accessions.view_accession",
        "accessions.edit_acquisition",
        "accessions.set_accession_pattern",
        *ACQUISITIONS_ORDERING,
        "core.view_auditevent",
        "core.manage_locations",
        *LIBRARIAN_WORK,
        *CIRCULATION_SUPERVISION,
        *COPY_CATALOGUING,
        D + "view_digitalresource",
        D + "view_licence",
        D + "view_collection",
        D + "view_storedfile",
        D + "view_resourcefile",
        D + "view_usage",
    ],
    Role.SENIOR_TECHNICIAN: [
        "reports.view_circulation_reports",
        *VIEW_CATALOGUE,
        *AUTHORITIES_READ,
        "holdings.add_copy",
        "holdings.edit_copy",
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
        "accessions.view_accession",
        "accessions.edit_acquisition",
        "core.view_auditevent",
        *ACQUISITIONS_RECEIVING,
        *SUPERVISOR_WORK,
        *DESK_WORK,
        G + "manage_programs",
    ],
    Role.TECHNICIAN: [
        *VIEW_CATALOGUE,
        *AUTHORITIES_READ,
        "holdings.receive_item",
        "holdings.process_item",
        "holdings.shelve_item",
        "holdings.pull_item",
        "holdings.repair_item",
        "holdings.bind_item",
        "holdings.mark_missing",  # a copy a pull list does not find on its shelf becomes missing
        "holdings.find_item",
        "holdings.change_condition",
        "accessions.view_accession",
        *ACQUISITIONS_RECEIVING,
        *TECHNICIAN_WORK,
        *DESK_WORK,
    ],
    Role.CIRCULATION: [
        "reports.view_circulation_reports",
        *NOTICE_DELIVERIES,
        *VIEW_CATALOGUE,
        *AUTHORITIES_READ,
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
            if found is None and codename not in _declared(apps, app_label):
                continue  # not declared yet at this point of the migrations: a later one calls sync_roles again
            if found is None:
                raise LookupError(f"Permission {perm} for role {role.value} does not exist")
            wanted.append(found)
        group.permissions.set(wanted)


def _declared(apps, app_label: str) -> set[str]:
    """The codenames the models of ``app_label`` declare in the (historical) state ``apps``."""
    try:
        models = apps.get_app_config(app_label).get_models()
    except LookupError:
        return set()  # that app is not migrated yet; its own migration calls sync_roles again
    codenames = set()
    for model in models:
        opts = model._meta
        codenames |= {f"{action}_{opts.model_name}" for action in opts.default_permissions}
        codenames |= {codename for codename, _name in opts.permissions}
    return codenames


def replace_permissions(replacements: dict[str, tuple[str, ...]]):
    """A migration step for renamed permissions: ``{"circulation.checkout": ("circulation.add_loan",)}``.

    Every group and user holding one of the old permissions gets the new one; an old permission no
    model declares any more is deleted (Django's own ``add_``/``change_`` ones stay). Then the roles
    are synced. Reversing does nothing (the old permissions of Django's defaults are still there)."""

    def run(apps, schema_editor=None) -> None:
        from django.apps import apps as global_apps
        from django.conf import settings
        from django.contrib.auth.management import create_permissions

        for app_config in global_apps.get_app_configs():
            create_permissions(app_config, verbosity=0, apps=apps)
        Permission = apps.get_model("auth", "Permission")
        Group = apps.get_model("auth", "Group")
        User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))

        def find(perm: str):
            app_label, codename = perm.split(".", 1)
            return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()

        for new, olds in replacements.items():
            target = find(new)
            if target is None:
                raise LookupError(f"Permission {new} does not exist")
            for old in olds:
                source = find(old)
                if source is None:
                    continue
                for group in Group.objects.filter(permissions=source):
                    group.permissions.add(target)
                for user in User.objects.filter(user_permissions=source):
                    user.user_permissions.add(target)
                app_label, codename = old.split(".", 1)
                if codename not in _declared(apps, app_label):
                    source.delete()
        sync_roles(apps, schema_editor)

    return run

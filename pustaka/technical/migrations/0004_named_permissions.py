"""Technical services' permissions are named for the work (do_processing, manage_processing_profiles,
make_pull_lists, close_pull_lists, propose_weeding, handle_repairs, manage_binderies,
prepare_bindery_shipments, send_to_bindery, receive_from_bindery, hold_sales, take_stock,
manage_subscriptions); whoever held the old add_/change_ ones holds the new."""

from django.db import migrations

from pustaka.core.roles import replace_permissions

RENAMED = {
    "technical.do_processing": ("technical.add_processingstepdone",),
    "technical.manage_processing_profiles": ("technical.change_processingprofile",),
    "technical.make_pull_lists": ("technical.add_pulllist",),
    "technical.close_pull_lists": ("technical.change_pulllist",),
    "technical.propose_weeding": ("technical.add_weedingcriteria", "technical.change_weedingcriteria"),
    "technical.handle_repairs": ("technical.add_repairticket", "technical.change_repairticket"),
    "technical.manage_binderies": ("technical.add_binderyvendor",),
    "technical.prepare_bindery_shipments": ("technical.add_binderyshipment",),
    "technical.send_to_bindery": ("technical.change_binderyshipment",),
    "technical.receive_from_bindery": ("technical.change_binderyshipment",),
    "technical.hold_sales": ("technical.add_saleevent", "technical.add_saleoffer", "technical.add_sale"),
    "technical.take_stock": ("technical.add_stocktake", "technical.change_stocktake"),
    "technical.manage_subscriptions": ("technical.add_subscription", "technical.change_subscription"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("technical", "0003_one_payment_method"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="binderyshipment",
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("prepare_bindery_shipments", "Can start bindery shipments"),
                    ("send_to_bindery", "Can fill and send bindery shipments"),
                    ("receive_from_bindery", "Can receive items back from the bindery"),
                ],
                "verbose_name": "bindery shipment",
                "verbose_name_plural": "bindery shipments",
            },
        ),
        migrations.AlterModelOptions(
            name="binderyvendor",
            options={
                "ordering": ["name"],
                "permissions": [("manage_binderies", "Can add binderies")],
                "verbose_name": "bindery",
                "verbose_name_plural": "binderies",
            },
        ),
        migrations.AlterModelOptions(
            name="processingprofile",
            options={
                "permissions": [("manage_processing_profiles", "Can change processing profiles and their steps")],
                "verbose_name": "processing profile",
                "verbose_name_plural": "processing profiles",
            },
        ),
        migrations.AlterModelOptions(
            name="processingstepdone",
            options={
                "ordering": ["done_at", "id"],
                "permissions": [("do_processing", "Can scan items into processing and tick their steps")],
                "verbose_name": "processing step done",
                "verbose_name_plural": "processing steps done",
            },
        ),
        migrations.AlterModelOptions(
            name="pulllist",
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("make_pull_lists", "Can make pull lists and add items to them"),
                    ("close_pull_lists", "Can close pull lists"),
                ],
                "verbose_name": "pull list",
                "verbose_name_plural": "pull lists",
            },
        ),
        migrations.AlterModelOptions(
            name="repairticket",
            options={
                "ordering": ["-created_at"],
                "permissions": [("handle_repairs", "Can open repair tickets, record repairs and close them")],
                "verbose_name": "repair ticket",
                "verbose_name_plural": "repair tickets",
            },
        ),
        migrations.AlterModelOptions(
            name="saleevent",
            options={
                "ordering": ["-held_on", "-id"],
                "permissions": [("hold_sales", "Can hold sales: events, prices and sales of withdrawn items")],
                "verbose_name": "sale event",
                "verbose_name_plural": "sale events",
            },
        ),
        migrations.AlterModelOptions(
            name="stocktake",
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("take_stock", "Can start, scan, finish and cancel stocktakes"),
                    ("confirm_stocktake", "Can confirm a stocktake and mark items missing"),
                ],
                "verbose_name": "stocktake",
                "verbose_name_plural": "stocktakes",
            },
        ),
        migrations.AlterModelOptions(
            name="subscription",
            options={
                "ordering": ["record__title"],
                "permissions": [("manage_subscriptions", "Can start and change serial subscriptions")],
                "verbose_name": "subscription",
                "verbose_name_plural": "subscriptions",
            },
        ),
        migrations.AlterModelOptions(
            name="weedingcriteria",
            options={
                "ordering": ["name"],
                "permissions": [("propose_weeding", "Can set weeding criteria and propose candidates")],
                "verbose_name": "weeding criteria",
                "verbose_name_plural": "weeding criteria",
            },
        ),
        migrations.RunPython(replace_permissions(RENAMED), migrations.RunPython.noop),
    ]

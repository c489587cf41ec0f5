"""Copies are added and edited with named permissions (holdings.add_copy, holdings.edit_copy,
holdings.manage_item_types); whoever held the old ones holds the new."""

from django.db import migrations

from pustaka.core.roles import replace_permissions

RENAMED = {
    "holdings.add_copy": ("holdings.add_item",),
    "holdings.edit_copy": ("holdings.change_item",),
    "holdings.manage_item_types": ("holdings.add_itemtype",),
}


class Migration(migrations.Migration):
    dependencies = [
        ("holdings", "0004_item_barcode_upper_idx"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="item",
            options={
                "ordering": ["barcode"],
                "permissions": [
                    ("add_copy", "Can add copies to records"),
                    ("edit_copy", "Can edit copies' details"),
                    ("receive_item", "Can receive ordered items"),
                    ("process_item", "Can process new items"),
                    ("shelve_item", "Can confirm items on the shelf"),
                    ("circulate_item", "Can lend and return items"),
                    ("pull_item", "Can pull items from the shelf"),
                    ("repair_item", "Can repair items"),
                    ("bind_item", "Can send items to the bindery"),
                    ("withdraw_item", "Can withdraw and discard items"),
                    ("sell_item", "Can sell withdrawn items"),
                    ("mark_missing", "Can mark items missing"),
                    ("mark_lost", "Can mark items lost"),
                    ("find_item", "Can mark missing or lost items found"),
                    ("change_condition", "Can record an item's condition"),
                ],
                "verbose_name": "item",
                "verbose_name_plural": "items",
            },
        ),
        migrations.AlterModelOptions(
            name="itemtype",
            options={
                "ordering": ["code"],
                "permissions": [("manage_item_types", "Can add item types")],
                "verbose_name": "item type",
                "verbose_name_plural": "item types",
            },
        ),
        migrations.RunPython(replace_permissions(RENAMED), migrations.RunPython.noop),
    ]

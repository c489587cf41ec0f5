"""Patron permissions are named for what staff do (register, edit_patron, block, manage_categories); whoever held
the old ones holds the new, and block_patron is gone."""

from django.db import migrations

from pustaka.core.roles import replace_permissions

RENAMED = {
    "patrons.register": ("patrons.add_patron",),
    "patrons.edit_patron": ("patrons.change_patron",),
    "patrons.block": ("patrons.block_patron",),
    "patrons.manage_categories": ("patrons.add_patroncategory", "patrons.change_patroncategory"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("patrons", "0005_history_since"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="patron",
            options={
                "ordering": ["last_name", "first_name", "card_number"],
                "permissions": [
                    ("register", "Can register patrons"),
                    ("edit_patron", "Can edit patrons, their PINs, memberships and logins"),
                    ("block", "Can block and unblock patrons"),
                    ("import_patrons", "Can import patrons from CSV"),
                    ("print_cards", "Can print patron cards"),
                ],
                "verbose_name": "patron",
                "verbose_name_plural": "patrons",
            },
        ),
        migrations.AlterModelOptions(
            name="patroncategory",
            options={
                "ordering": ["code"],
                "permissions": [("manage_categories", "Can add and change patron categories")],
                "verbose_name": "patron category",
                "verbose_name_plural": "patron categories",
            },
        ),
        migrations.RunPython(replace_permissions(RENAMED), migrations.RunPython.noop),
    ]

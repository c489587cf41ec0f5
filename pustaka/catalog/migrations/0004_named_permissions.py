"""Cataloguing is one named permission (catalog.catalogue) instead of add_record and change_record; whoever held
them holds it."""

from django.db import migrations

from pustaka.core.roles import replace_permissions

RENAMED = {
    "catalog.catalogue": ("catalog.add_record", "catalog.change_record"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_record_harvest_index"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="record",
            options={
                "ordering": ["title", "id"],
                "permissions": [
                    ("catalogue", "Can catalogue and edit records"),
                    ("import_marc", "Can import MARC files"),
                    ("export_marc", "Can export MARC files"),
                ],
                "verbose_name": "bibliographic record",
                "verbose_name_plural": "bibliographic records",
            },
        ),
        migrations.RunPython(replace_permissions(RENAMED), migrations.RunPython.noop),
    ]

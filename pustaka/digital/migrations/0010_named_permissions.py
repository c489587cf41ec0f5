"""Digital resources' permissions are named for the work (manage_resources, manage_licences,
manage_collections, manage_seats); whoever held the old add_/change_ ones holds the new."""

from django.db import migrations

from pustaka.core.roles import replace_permissions

RENAMED = {
    "digital.manage_resources": (
        "digital.add_digitalresource",
        "digital.change_digitalresource",
        "digital.add_resourcefile",
        "digital.change_resourcefile",
        "digital.add_storedfile",
        "digital.change_storedfile",
    ),
    "digital.manage_licences": ("digital.add_licence", "digital.change_licence"),
    "digital.manage_collections": ("digital.add_collection", "digital.change_collection"),
    "digital.manage_seats": ("digital.add_softwareseat", "digital.change_softwareseat"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("digital", "0009_resource_embargo"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="collection",
            options={
                "ordering": ["name"],
                "permissions": [("manage_collections", "Can add and change collections")],
                "verbose_name": "collection",
                "verbose_name_plural": "collections",
            },
        ),
        migrations.AlterModelOptions(
            name="digitalresource",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [
                    ("manage_resources", "Can add and change digital resources and their files"),
                    ("ingest_file", "Can ingest digital files"),
                    ("run_fixity", "Can run fixity and link checks"),
                    ("view_usage", "Can see usage statistics"),
                    ("lend_seat", "Can lend software seats"),
                    ("backup_library", "Can back up and restore the library"),
                ],
                "verbose_name": "digital resource",
                "verbose_name_plural": "digital resources",
            },
        ),
        migrations.AlterModelOptions(
            name="licence",
            options={
                "ordering": ["name"],
                "permissions": [("manage_licences", "Can add and change licences and put resources under them")],
                "verbose_name": "licence",
                "verbose_name_plural": "licences",
            },
        ),
        migrations.AlterModelOptions(
            name="softwareseat",
            options={
                "ordering": ["resource", "id"],
                "permissions": [("manage_seats", "Can add and remove software seats")],
                "verbose_name": "software seat",
                "verbose_name_plural": "software seats",
            },
        ),
        migrations.RunPython(replace_permissions(RENAMED), migrations.RunPython.noop),
    ]

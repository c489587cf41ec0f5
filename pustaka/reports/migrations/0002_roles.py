"""Give the staff roles their report permissions (see pustaka/core/roles.py)."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("core", "0003_named_permissions"),
        ("circulation", "0007_named_permissions"),
        ("patrons", "0006_named_permissions"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

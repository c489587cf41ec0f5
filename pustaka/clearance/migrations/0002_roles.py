"""Give the staff roles their clearance-letter permissions (the desk issues, supervisors revoke)."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("clearance", "0001_initial"), ("visitors", "0002_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

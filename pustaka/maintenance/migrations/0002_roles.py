"""Give the staff roles their technical-services permissions."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("maintenance", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

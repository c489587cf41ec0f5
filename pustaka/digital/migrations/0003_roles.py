"""Give the staff roles their digital permissions."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("digital", "0002_initial"), ("maintenance", "0002_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

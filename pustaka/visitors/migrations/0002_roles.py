"""Give the staff roles their visitor-book permissions (record visits, open the kiosk, manage purposes)."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("visitors", "0001_initial"), ("programs", "0002_roles"), ("circulation", "0007_named_permissions")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

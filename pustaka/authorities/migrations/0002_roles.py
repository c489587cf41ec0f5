"""Give the staff roles their authority permissions (librarians maintain authorities, the rest read them)."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("authorities", "0001_initial"), ("clearance", "0002_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

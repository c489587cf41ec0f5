"""Give the roles their permissions on questions under the app's new name."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

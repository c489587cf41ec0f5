"""Give the staff roles their programs and help-request permissions."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial"), ("patrons", "0002_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

"""Give the staff roles their patrons permissions."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("patrons", "0001_initial"), ("maintenance", "0002_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

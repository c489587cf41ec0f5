"""Give the roles their accession register permissions."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("accessions", "0001_initial")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

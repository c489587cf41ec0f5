"""Give the roles the permissions of classes, faculties and programmes and of the new academic year."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("patrons", "0007_identity_units_channels")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

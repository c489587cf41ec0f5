"""Give librarians their copy cataloguing permissions (search, copy, and keep the list of catalogues)."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("copycat", "0001_initial"), ("clearance", "0002_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

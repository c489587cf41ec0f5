"""Administrators keep the index replicas and prune the change log (search.manage_index)."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("search", "0002_replicas")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

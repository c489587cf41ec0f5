"""Give administrators the new permission to rebuild the report summaries (see pustaka/core/roles.py)."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_summaries")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

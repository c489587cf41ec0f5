"""Librarians may see stored files (format, size, hash) of the digital resources they catalogue."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("digital", "0005_access_reasons")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

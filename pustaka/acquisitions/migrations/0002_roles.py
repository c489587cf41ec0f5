"""Give the staff roles their acquisitions permissions (librarians order, technicians receive; only
administrators set funds)."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("acquisitions", "0001_initial"), ("clearance", "0002_roles"), ("accessions", "0003_number_existing_copies"), ("technical", "0003_one_payment_method")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

"""Supervisors may add manual charges to a patron's ledger (circulation.add_feeentry)."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("circulation", "0004_rule_lost_charges")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

"""Technicians may mark missing a copy their pull list did not find on its shelf."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("maintenance", "0003_stocktake_frozen_record"),
        ("core", "0002_roles"),
        ("catalog", "0003_record_harvest_index"),
        ("holdings", "0004_item_barcode_upper_idx"),
        ("circulation", "0006_notice_claimed_at"),
        ("digital", "0007_seat_required_reason"),
        ("patrons", "0005_history_since"),
        ("programs", "0002_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

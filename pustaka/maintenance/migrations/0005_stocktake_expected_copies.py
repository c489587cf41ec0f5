"""A stocktake notes the copies it expects when it starts (StocktakeEntry) and freezes each one's
outcome at confirmation; the copies marked missing (StocktakeMissing) become entries marked missing,
and each scan keeps the item's status when it was scanned."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

from pustaka.catalog.callnumbers import shelf_key

EXTENSION_MARKS = (" ", ".")


def _range(stocktake) -> Q:
    """The stocktake's call-number range as queries_stocktake.ShelfRange.q() has it (kept here so the
    migration does not change when that code does)."""
    start, end = shelf_key(stocktake.call_number_from), shelf_key(stocktake.call_number_to)
    query = Q()
    if start:
        query &= Q(shelf_key__gte=start)
    if end:
        upper = Q(shelf_key__lte=end)
        for mark in EXTENSION_MARKS:
            upper |= Q(shelf_key__startswith=end + mark)
        query &= upper
    return query


def entries_from_before(apps, schema_editor):
    """Confirmed stocktakes keep what they marked missing, now as entries marked missing. Open ones,
    and ones waiting for confirmation, get their expected copies as the earlier rule had them: in
    scope, available, and not moved since the stocktake started."""
    Stocktake = apps.get_model("maintenance", "Stocktake")
    StocktakeMissing = apps.get_model("maintenance", "StocktakeMissing")
    StocktakeEntry = apps.get_model("maintenance", "StocktakeEntry")
    Item = apps.get_model("holdings", "Item")
    StocktakeEntry.objects.bulk_create(
        (
            StocktakeEntry(
                stocktake_id=row.stocktake_id,
                item_id=row.item_id,
                outcome="missing",
                position=row.position,
                barcode=row.barcode,
                call_number=row.call_number,
                title=row.title,
                location_code=row.location_code,
                location_name=row.location_name,
                last_seen_at=row.last_seen_at,
            )
            for row in StocktakeMissing.objects.iterator()
        ),
        batch_size=1000,
    )
    for stocktake in Stocktake.objects.filter(status__in=["open", "review"]):
        started = stocktake.created_at
        items = Item.objects.filter(branch_id=stocktake.branch_id, status="available", created_at__lte=started)
        if stocktake.location_id:
            items = items.filter(location_id=stocktake.location_id)
        items = items.filter(_range(stocktake)).filter(
            Q(status_changed_at__isnull=True) | Q(status_changed_at__lte=started)
        )
        StocktakeEntry.objects.bulk_create(
            (
                StocktakeEntry(stocktake_id=stocktake.pk, item_id=pk, location_id_then=location_id, shelf_key_then=key)
                for pk, location_id, key in items.values_list("pk", "location_id", "shelf_key").iterator()
            ),
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("holdings", "0004_item_barcode_upper_idx"),
        ("maintenance", "0004_technicians_mark_missing"),
    ]

    operations = [
        migrations.AddField(
            model_name="stocktakescan",
            name="item_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="item status then"),
        ),
        migrations.CreateModel(
            name="StocktakeEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("location_id_then", models.BigIntegerField(blank=True, null=True, verbose_name="location then")),
                ("shelf_key_then", models.CharField(blank=True, max_length=255, verbose_name="shelf key then")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("expected", "Expected"),
                            ("seen", "Seen"),
                            ("missing", "Marked missing"),
                            ("gone", "Left the shelf during the stocktake"),
                        ],
                        default="expected",
                        max_length=10,
                        verbose_name="outcome",
                    ),
                ),
                ("position", models.PositiveIntegerField(blank=True, null=True, verbose_name="position")),
                ("barcode", models.CharField(blank=True, max_length=32, verbose_name="barcode")),
                ("call_number", models.CharField(blank=True, max_length=200, verbose_name="call number")),
                ("title", models.CharField(blank=True, max_length=500, verbose_name="title")),
                ("location_code", models.CharField(blank=True, max_length=32, verbose_name="location code")),
                ("location_name", models.CharField(blank=True, max_length=200, verbose_name="location")),
                ("last_seen_at", models.DateTimeField(blank=True, null=True, verbose_name="last seen")),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="holdings.item",
                        verbose_name="item",
                    ),
                ),
                (
                    "stocktake",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="maintenance.stocktake",
                        verbose_name="stocktake",
                    ),
                ),
            ],
            options={
                "verbose_name": "stocktake entry",
                "verbose_name_plural": "stocktake entries",
                "ordering": ["stocktake", "position", "id"],
            },
        ),
        migrations.AddIndex(
            model_name="stocktakeentry",
            index=models.Index(fields=["stocktake", "outcome"], name="stocktake_entry_outcome_idx"),
        ),
        migrations.AddConstraint(
            model_name="stocktakeentry",
            constraint=models.UniqueConstraint(fields=("stocktake", "item"), name="stocktake_entry_once"),
        ),
        migrations.RunPython(entries_from_before, migrations.RunPython.noop),
        migrations.DeleteModel(name="StocktakeMissing"),
    ]

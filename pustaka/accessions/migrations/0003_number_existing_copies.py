"""Copies that existed before the register get their accession numbers, oldest acquisition first.

Numbered with the default pattern (``{seq:05}/{source}/{year}``, source purchase, year of acquisition
or, without a date, of entry), one counter per year, as new copies are numbered."""

from django.db import migrations

from pustaka.accessions.pattern import DEFAULT_PATTERN, parse


def number_existing(apps, schema_editor):
    Item = apps.get_model("holdings", "Item")
    Accession = apps.get_model("accessions", "Accession")
    Counter = apps.get_model("accessions", "AccessionCounter")
    pattern = parse(DEFAULT_PATTERN)
    last: dict[int, int] = dict(Counter.objects.values_list("year", "last"))
    rows = []
    items = (
        Item.objects.filter(accession__isnull=True)
        .select_related("record")
        .only("id", "barcode", "acquired_on", "created_at", "price", "record__title")
        .order_by("acquired_on", "created_at", "pk")
    )
    for item in items.iterator(chunk_size=2000):
        acquired_on = item.acquired_on or item.created_at.date()
        year = acquired_on.year
        last[year] = last.get(year, 0) + 1
        rows.append(
            Accession(
                number=pattern.render(seq=last[year], year=year, source="B"),
                counter_year=year,
                sequence=last[year],
                year=year,
                item_id=item.pk,
                barcode=item.barcode,
                title=(item.record.title or "")[:300],
                source="purchase",
                price=item.price,
                acquired_on=acquired_on,
            )
        )
        if len(rows) >= 2000:
            Accession.objects.bulk_create(rows)
            rows = []
    Accession.objects.bulk_create(rows)
    for year, value in last.items():
        Counter.objects.update_or_create(year=year, defaults={"last": value})


class Migration(migrations.Migration):
    dependencies = [("accessions", "0002_roles")]

    operations = [migrations.RunPython(number_existing, migrations.RunPython.noop)]

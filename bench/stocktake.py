"""Benchmark: a stocktake of 20,000 scanned barcodes against a 100,000-item catalogue.

    python bench/stocktake.py [--items 100000] [--scans 20000] [--batch 1000] [--sample 1000]

Builds synthetic data (bulk_create, allowed here) in a temporary PUSTAKA_HOME with SQLite: one branch,
five locations; the stocktake covers one location of 24,000 items. The
20,000 barcodes are scanned in shelf order with a realistic share of problems (out of order, wrong
shelf, withdrawn or on loan, unknown, scanned twice) and sent in batches as a handheld uploads its
memory; a sample of 1,000 goes through the one-scan path (one call per barcode, as at the scan page).
Then the report (result counts, missing count and the first page of missing items) and the
librarian's confirmation (every missing item moved to ``missing`` through the lifecycle table).

Prints the figures and writes them to bench/results/stocktake-<date>.txt.
"""

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"


def setup(home: str):
    os.environ["PUSTAKA_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build(n_items: int, seed: int):
    """Records, locations and items in shelf order per location; returns (branch, locations, staff)."""
    from django.contrib.auth.models import Group

    from pustaka.catalog.callnumbers import shelf_key
    from pustaka.catalog.models import Record
    from pustaka.core.models import Branch, Location, User
    from pustaka.holdings.models import Item, ItemType

    rng = random.Random(seed)
    branch = Branch.objects.create(code="MAIN", name="Main")
    locations = [Location.objects.create(branch=branch, code=f"L{n}", name=f"Shelf {n}") for n in range(5)]
    item_type = ItemType.objects.create(code="BOOK", name="Book")
    n_records = n_items // 4
    records = Record.objects.bulk_create(
        [Record(title=f"Title {n}", call_number=f"{n % 1000:03d}.{n:06d} AUT t") for n in range(n_records)],
        batch_size=5000,
    )
    items = []
    first = int(n_items * 0.24)  # the location counted is a little larger than the others
    per_location = (n_items - first) // (len(locations) - 1) + 1
    for index in range(n_items):
        place = 0 if index < first else 1 + (index - first) // per_location
        location = locations[place]
        record = records[index % n_records]
        call_number = f"{index % per_location:06d} {record.pk % 97:02d}"
        status = "available"
        roll = rng.random()
        if roll < 0.03:
            status = "on_loan"
        elif roll < 0.035:
            status = "withdrawn"
        items.append(
            Item(
                barcode=f"B{index:07d}",
                record=record,
                branch=branch,
                location=location,
                item_type=item_type,
                call_number=call_number,
                status=status,
                shelf_key=shelf_key(call_number),
            )
        )
    Item.objects.bulk_create(items, batch_size=5000)
    staff = User.objects.create_user(username="bench", password="x")
    staff.groups.add(*Group.objects.filter(name__in=["technician", "librarian"]))
    staff = User.objects.get(pk=staff.pk)
    return branch, locations, staff


def scan_list(location, n_scans: int, seed: int) -> list[str]:
    """What a technician scans along the location's shelves: mostly in order, with real-life problems."""
    from pustaka.holdings.models import Item

    rng = random.Random(seed)
    on_shelf = list(
        Item.objects.filter(location=location).order_by("shelf_key", "barcode").values_list("barcode", "status")
    )
    others = list(Item.objects.exclude(location=location).values_list("barcode", flat=True)[:5000])
    codes = []
    for barcode, status in on_shelf:
        if status == "on_loan" and rng.random() < 0.9:
            continue  # lent items are mostly away
        if rng.random() < 0.05:
            continue  # not found on the shelf: missing
        codes.append(barcode)
        roll = rng.random()
        if roll < 0.005:
            codes.append(rng.choice(others))  # on the wrong shelf
        elif roll < 0.007:
            codes.append(f"X{rng.randrange(10**6):06d}")  # unknown label
        elif roll < 0.009:
            codes.append(barcode)  # scanned twice
    for _ in range(len(codes) // 200):  # a few books put back in the wrong place
        i, j = rng.randrange(len(codes)), rng.randrange(len(codes))
        codes[i], codes[j] = codes[j], codes[i]
    return codes[:n_scans]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--sample", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="pustaka-bench-stocktake-")
    setup(home)
    from django.db import connection

    from pustaka.technical.actions import (
        confirm_stocktake,
        finish_stocktake,
        scan_barcodes,
        start_stocktake,
    )
    from pustaka.technical.queries.stocktake import items_in_scope, missing_items, result_counts

    started = time.perf_counter()
    branch, locations, staff = build(args.items, args.seed)
    build_s = time.perf_counter() - started
    target = locations[0]
    codes = scan_list(target, args.scans, args.seed)
    assert len(codes) == args.scans, f"only {len(codes)} barcodes; use more items"

    stocktake = start_stocktake(branch=branch, location=target, actor=staff)
    in_scope = items_in_scope(stocktake).count()
    batch_times = []
    started = time.perf_counter()
    for start in range(0, len(codes), args.batch):
        t0 = time.perf_counter()
        scan_barcodes(stocktake=stocktake, barcodes=codes[start : start + args.batch], actor=staff)
        batch_times.append(time.perf_counter() - t0)
    batch_s = time.perf_counter() - started

    sample = start_stocktake(branch=branch, location=locations[1], actor=staff)
    sample_codes = scan_list(locations[1], args.sample, args.seed + 1)
    one_times = []
    for code in sample_codes:
        t0 = time.perf_counter()
        scan_barcodes(stocktake=sample, barcodes=[code], actor=staff)
        one_times.append(time.perf_counter() - t0)

    finish_stocktake(stocktake=stocktake, actor=staff)
    t0 = time.perf_counter()
    counts = result_counts(stocktake)
    missing_count = missing_items(stocktake).count()
    first_page = list(missing_items(stocktake)[:50])
    report_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    marked = confirm_stocktake(stocktake=stocktake, actor=staff)
    confirm_s = time.perf_counter() - t0
    assert len(marked) == missing_count and first_page

    one_times.sort()
    lines = [
        f"Stocktake benchmark, {dt.date.today().isoformat()}",
        f"machine: {platform.machine()} {platform.system()} Python {platform.python_version()}, "
        f"database: {connection.vendor} (temporary PUSTAKA_HOME)",
        f"catalogue: {args.items:,} items in 5 locations, {args.items // 4:,} records (built in {build_s:.1f} s)",
        f"stocktake scope: one location, {in_scope:,} items",
        f"scanned: {len(codes):,} barcodes in {len(batch_times)} batches of {args.batch:,}",
        f"  batch path: {batch_s:.2f} s total, {len(codes) / batch_s:,.0f} barcodes/s, "
        f"per batch median {statistics.median(batch_times) * 1000:.0f} ms, max {max(batch_times) * 1000:.0f} ms",
        f"  one-scan path (sample of {len(one_times):,}): median {statistics.median(one_times) * 1000:.2f} ms, "
        f"p95 {one_times[int(len(one_times) * 0.95) - 1] * 1000:.2f} ms per scan, "
        f"total {sum(one_times):.2f} s",
        "  results: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
        f"report (result counts + missing count + first page of missing): {report_s * 1000:.0f} ms, "
        f"{missing_count:,} missing",
        f"confirmation ({len(marked):,} items moved to missing, one transaction): {confirm_s:.2f} s "
        f"({confirm_s / max(1, len(marked)) * 1000:.2f} ms per item)",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"stocktake-{dt.date.today().isoformat()}.txt"
    out.write_text(text)
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""Benchmark: a weeding proposal over 250,000 records (one item each).

    python bench/weeding_proposal.py [--records N]

Builds a synthetic catalogue in a temporary PUSTAKA_HOME (SQLite) with bulk_create (the benchmark
writes directly; it is not product code), then times
``pustaka.technical.actions.propose_weeding_candidates`` for broad criteria (a class range over most
of the collection, published 15+ years ago, not lent for 5 years, lent at most 10 times). Prints records,
items, candidates and seconds, and writes them to ``bench/results/weeding-<date>.txt``.
"""

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"


def build(records: int) -> None:
    from django.utils import timezone

    from pustaka.catalog.models import Record
    from pustaka.core.models import Branch, Location
    from pustaka.holdings.models import Item, ItemType

    rng = random.Random(42)
    branch = Branch.objects.create(code="MAIN", name="Main")
    locations = [Location.objects.create(branch=branch, code=f"L{n}", name=f"Shelf {n}") for n in range(5)]
    item_type = ItemType.objects.create(code="BOOK", name="Book")
    classes = [f"{rng.randint(0, 999):03d}.{rng.randint(0, 999)}" for _ in range(5000)]
    now = timezone.now()
    batch = 10_000
    for start in range(0, records, batch):
        recs = Record.objects.bulk_create(
            [
                Record(
                    title=f"Title {n}",
                    year=rng.randint(1950, 2024),
                    class_number=(cn := rng.choice(classes)),
                    call_number=f"{cn} ABC t",
                )
                for n in range(start, min(start + batch, records))
            ]
        )
        from pustaka.catalog.callnumbers import shelf_key

        items = []
        for rec in recs:
            lent = rng.random() < 0.7
            items.append(
                Item(
                    barcode=f"B{rec.pk:08d}",
                    record=rec,
                    branch=branch,
                    location=rng.choice(locations),
                    item_type=item_type,
                    status="available",
                    acquired_on=dt.date(rng.randint(1990, 2024), 1, 1),
                    loan_count=rng.randint(0, 30) if lent else 0,
                    last_loan_at=now - dt.timedelta(days=rng.randint(1, 6000)) if lent else None,
                    shelf_key=shelf_key(rec.call_number),
                )
            )
        Item.objects.bulk_create(items)


def run(records: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from pustaka.catalog.models import Record
    from pustaka.core.models import Branch
    from pustaka.holdings.models import Item
    from pustaka.technical.actions import create_weeding_criteria, propose_weeding_candidates

    started = time.perf_counter()
    build(records)
    built = time.perf_counter() - started
    criteria = create_weeding_criteria(
        name="Broad",
        branch=Branch.objects.get(code="MAIN"),
        actor=None,
        class_from="100",
        class_to="899",
        min_years_since_publication=15,
        min_years_since_last_loan=5,
        max_loan_count=10,
    )
    started = time.perf_counter()
    result = propose_weeding_candidates(criteria=criteria, actor=None)
    first = time.perf_counter() - started
    started = time.perf_counter()
    propose_weeding_candidates(criteria=criteria, actor=None)
    again = time.perf_counter() - started
    return {
        "records": Record.objects.count(),
        "items": Item.objects.count(),
        "candidates": result["proposed"],
        "seconds": first,
        "rerun_seconds": again,
        "build_seconds": built,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=250_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="pustaka-weeding-") as home:
        os.environ["PUSTAKA_HOME"] = home
        os.environ.pop("DATABASE_URL", None)
        figures = run(args.records)
    lines = [
        f"weeding proposal, {dt.date.today().isoformat()}, SQLite, "
        f"Python {platform.python_version()}, {platform.machine()}",
        "criteria: class 100-899, published 15+ years ago, not lent for 5 years, lent at most 10 times",
        f"records: {figures['records']:,}",
        f"items: {figures['items']:,}",
        f"candidates: {figures['candidates']:,}",
        f"seconds: {figures['seconds']:.2f}",
        f"re-run seconds (decisions kept, proposals refreshed): {figures['rerun_seconds']:.2f}",
        f"(catalogue built in {figures['build_seconds']:.1f} s, not timed)",
    ]
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if args.records == 250_000 else f"-{args.records}"
    (RESULTS / f"weeding-{dt.date.today().isoformat()}{suffix}.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

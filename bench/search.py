"""Benchmark: the tantivy search engine over the 250,000 LoC records of the pymarc 5.4.0 sdist.

    python bench/search.py [--limit N] [--rounds N]

Imports the records into a fresh SQLite PUSTAKA_HOME (reusing bench/import_marc.py), rebuilds the
index (``pustaka reindex``), then times ``engine.search`` with facets for one-word, two-word and
phrase queries (p50/p95 over several rounds, after a warm-up), and one edit applied through the
change log. Writes the figures to ``bench/results/search-<date>.txt``.
"""

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import import_marc  # noqa: E402

ONE_WORD = [
    "history",
    "poetry",
    "music",
    "china",
    "economics",
    "children",
    "art",
    "law",
    "religion",
    "france",
    "women",
    "education",
    "science",
    "war",
    "philosophy",
    "japan",
    "biography",
    "novel",
    "language",
    "health",
]
TWO_WORDS = [
    "united states",
    "world war",
    "american history",
    "english poetry",
    "civil war",
    "social policy",
    "art history",
    "german literature",
    "foreign relations",
    "children stories",
    "political science",
    "economic conditions",
    "church history",
    "french language",
    "computer programs",
    "public health",
]
PHRASES = [
    '"united states"',
    '"world war"',
    '"civil war"',
    '"foreign relations"',
    '"economic conditions"',
    '"political science"',
    '"public health"',
    '"social conditions"',
    '"english language"',
    '"natural history"',
]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="only the first N records")
    parser.add_argument("--rounds", type=int, default=20, help="times each query is run (default 20)")
    parser.add_argument("--keep", metavar="DIR", help="build the library in DIR and keep it (for bench/search_http.py)")
    args = parser.parse_args(argv)

    source = import_marc.fetch()
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="pustaka-bench-search-"))
    os.environ["PUSTAKA_HOME"] = str(work / "home")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from pustaka.catalog.importer import import_marc as run_import
        from pustaka.core.models import Library
        from pustaka.search import engine
        from pustaka.search.changes import record_changed
        from pustaka.search.query import SearchQuery

        call_command("migrate", interactive=False, verbosity=0)
        Library.current()
        path = import_marc.first_records(source, args.limit, work) if args.limit else source
        started = time.perf_counter()
        result = run_import(source=path, actor=None, batch_size=1000)
        import_seconds = time.perf_counter() - started
        records = result.created + result.updated

        started = time.perf_counter()
        indexed = engine.rebuild()
        build_seconds = time.perf_counter() - started
        size = engine.index_size_bytes()

        figures = {}
        totals = {}
        for label, queries in (("one word", ONE_WORD), ("two words", TWO_WORDS), ("phrase", PHRASES)):
            for text in queries:  # warm-up: first reader open, caches
                engine.search(SearchQuery(text=text, limit=20))
            times = []
            for _ in range(args.rounds):
                for text in queries:
                    t0 = time.perf_counter()
                    found = engine.search(SearchQuery(text=text, limit=20, facets=True))
                    times.append((time.perf_counter() - t0) * 1000)
                    totals[text] = found.total
            figures[label] = times

        from pustaka.catalog.models import Record

        record = Record.objects.order_by("id").first()
        Record.objects.filter(id=record.id).update(title="Zyxwvut benchmark edit")
        record_changed(record.id)
        t0 = time.perf_counter()
        engine.apply_changes()
        while engine.search(SearchQuery(text="zyxwvut", facets=False)).ids != [record.id]:
            time.sleep(0.01)
        edit_ms = (time.perf_counter() - t0) * 1000
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    lines = [
        f"Pustaka search engine benchmark, {dt.datetime.now().isoformat(timespec='seconds')}",
        f"machine: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores,"
        f" load average {os.getloadavg()[0]:.2f}, {platform.platform()}",
        f"file: {import_marc.SOURCE.name}{f' (first {args.limit} records)' if args.limit else ''}; database sqlite",
        f"records imported:     {records} in {import_seconds:.1f} s",
        f"index build (reindex): {indexed} records in {build_seconds:.1f} s ({indexed / build_seconds:,.0f} rec/s),"
        f" index {size / 2**20:.0f} MB",
        f"edit searchable after: {edit_ms:.0f} ms (apply_changes + reader reload)",
        f"engine latency with facets (6 facets, 20 ids), {args.rounds} rounds per query:",
    ]
    for label, times in figures.items():
        lines.append(
            f"  {label:10s} n={len(times):4d}  p50 {percentile(times, 0.5):6.2f} ms"
            f"  p95 {percentile(times, 0.95):6.2f} ms  max {max(times):6.2f} ms  mean {statistics.mean(times):6.2f} ms"
        )
    lines.append(
        "target: engine p95 <= 10 ms: "
        + ("met" if all(percentile(t, 0.95) <= 10 for t in figures.values()) else "NOT met")
    )
    lines.append("hits: " + ", ".join(f"{text} {count}" for text, count in list(totals.items())[:12]))
    text = "\n".join(lines) + "\n"
    print(text, end="")
    import_marc.RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"search-{dt.date.today().isoformat()}" + (f"-first{args.limit}" if args.limit else "")
    with open(import_marc.RESULTS / f"{name}.txt", "a", encoding="utf-8") as out:
        out.write(text + "\n")


if __name__ == "__main__":
    main()

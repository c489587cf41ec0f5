"""Benchmark: OPDS feed latency with 10,000 digital resources.

    python bench/opds.py [--resources 10000] [--rounds 40]

Builds synthetic data (bulk_create, allowed here) in a temporary PUSTAKA_HOME with SQLite: one record
per resource, half open access and half under a restricted licence, each with a content file (EPUB or
PDF) and every other one a cover. Then, in-process through Django's test client (the whole view,
template-free XML building and serialisation, no network), times:

- the "new titles" acquisition feed, first page (25 entries);
- a deep page (the last page, offset 9,975);
- search: ``/opds/search?q=...`` with the database fallback (no index) and with the tantivy index
  built (``pustaka.search.engine.rebuild``).

Prints p50/p95 per feed and writes them to bench/results/opds-<date>.txt.
"""

import argparse
import datetime as dt
import hashlib
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
WORDS = ("sejarah", "bahasa", "teknik", "hukum", "ekonomi", "sastra", "kimia", "fisika", "budaya", "pertanian",
         "kesehatan", "pendidikan", "matematika", "geografi", "politik", "agama", "musik", "arsitektur")  # fmt: skip
SEARCHES = ["sejarah", "teknik sipil", "bahasa indonesia", "kimia", "pertanian modern"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def setup(home: str):
    os.environ["PUSTAKA_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    os.environ.setdefault("PUSTAKA_ALLOWED_HOSTS", "testserver,localhost")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build(n: int, seed: int) -> None:
    from pustaka.catalog.models import Record
    from pustaka.digital.models import DigitalResource, Licence, ResourceFile, StoredFile

    rng = random.Random(seed)
    open_access = Licence.objects.create(name="Open", is_open_access=True)
    restricted = Licence.objects.create(name="Restricted", concurrent_users=3)
    records = Record.objects.bulk_create(
        [
            Record(
                title=" ".join(rng.sample(WORDS, 3)).capitalize() + f" jilid {i}",
                contributors=[{"name": f"Penulis {i % 997}", "role": "author"}],
                subjects=[w.capitalize() for w in rng.sample(WORDS, 2)],
                language="ind",
                year=1950 + i % 75,
                publisher="Penerbit Bench",
                summary="Ringkasan " + " ".join(rng.choices(WORDS, k=20)),
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    resources = DigitalResource.objects.bulk_create(
        [DigitalResource(record=r, kind="ebook", licence=open_access if i % 2 else restricted)
         for i, r in enumerate(records)],
        batch_size=2000,
    )  # fmt: skip
    files, covers = [], []
    for i in range(n):
        epub = i % 3 == 0
        files.append(StoredFile(sha256=hashlib.sha256(f"content{i}".encode()).hexdigest(), size=100_000 + i,
                                mime_type="application/epub+zip" if epub else "application/pdf",
                                original_name=f"buku-{i}.{'epub' if epub else 'pdf'}"))  # fmt: skip
        if i % 2 == 0:
            covers.append(StoredFile(sha256=hashlib.sha256(f"cover{i}".encode()).hexdigest(), size=5000,
                                     mime_type="image/jpeg", original_name=f"cover-{i}.jpg"))  # fmt: skip
    files = StoredFile.objects.bulk_create(files, batch_size=2000)
    covers = StoredFile.objects.bulk_create(covers, batch_size=2000)
    links = [ResourceFile(resource=res, file=f, role="content") for res, f in zip(resources, files, strict=True)]
    links += [ResourceFile(resource=resources[2 * k], file=c, role="cover") for k, c in enumerate(covers)]
    ResourceFile.objects.bulk_create(links, batch_size=2000)


def measure(client, path: str, rounds: int) -> tuple[float, float, int, int]:
    client.get(path)  # warm
    times = []
    size = entries = 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.content)
        entries = response.content.count(b"<entry>")
    return percentile(times, 0.5), percentile(times, 0.95), size, entries


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    home = tempfile.mkdtemp(prefix="bench-opds-")
    setup(home)
    t0 = time.perf_counter()
    build(args.resources, args.seed)
    built = time.perf_counter() - t0
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    last_page = (args.resources + 24) // 25
    lines = [
        f"OPDS feed latency, {args.resources:,} resources, {args.rounds} rounds each, in-process test client",
        f"date {dt.date.today()}, Python {platform.python_version()}, {platform.machine()}, SQLite, "
        f"data built in {built:.1f} s",
        "",
        f"{'feed':<52} {'p50 ms':>8} {'p95 ms':>8} {'KB':>6} {'entries':>7}",
    ]

    def row(label, path):
        p50, p95, size, entries = measure(client, path, args.rounds)
        lines.append(f"{label:<52} {p50:>8.1f} {p95:>8.1f} {size / 1024:>6.1f} {entries:>7}")
        print(lines[-1], flush=True)

    print("\n".join(lines), flush=True)
    row("/opds (navigation)", "/opds")
    row("/opds/new (first page)", "/opds/new")
    row(f"/opds/new?page={last_page} (deep: last page)", f"/opds/new?page={last_page}")
    row("/opds/new?page=200 (middle)", "/opds/new?page=200")
    for q in SEARCHES:
        row(f"/opds/search?q={q} (database fallback)", f"/opds/search?q={q.replace(' ', '+')}")
    from pustaka.search import engine

    t1 = time.perf_counter()
    engine.rebuild()
    lines.append(f"(search index built in {time.perf_counter() - t1:.1f} s)")
    print(lines[-1])
    for q in SEARCHES:
        row(f"/opds/search?q={q} (tantivy)", f"/opds/search?q={q.replace(' ', '+')}")
    row("/opds/search?q=sejarah&page=20 (tantivy, page 20)", "/opds/search?q=sejarah&page=20")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"opds-{dt.date.today()}.txt"
    out.write_text("\n".join(lines) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()

"""Benchmark: the patron list/search (staff page and API query), card lookup, blocks and the CSV import.

    python bench/patrons.py [--patrons 50000] [--import-rows 2000] [--rounds 20]

Builds a temporary PUSTAKA_HOME (SQLite unless DATABASE_URL is set), creates ``--patrons`` patrons
directly with bulk_create (allowed in a bench; half at MAIN, half at NORTH, every 20th with an open
manual block), then times, as a desk member at MAIN sees them:

- the first page (50 rows) of the list with its count, unfiltered;
- a search by the start of a card number and by a name word (``icontains``);
- ``get_by_card`` (spaces and lower case) and ``blocks(patron)``;
- ``import_patrons_csv`` of ``--import-rows`` new rows (all through the action: validation, audit).

Prints median and p95 in milliseconds (import: rows per second); writes bench/results/patrons-<date>.txt.
"""

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
FIRST = ["Dewi", "Budi", "Siti", "Agus", "Rina", "Ahmad", "Putri", "Eko", "Sri", "Yusuf", "Indah", "Rizky"]
LAST = ["Lestari", "Santoso", "Nurhaliza", "Salim", "Wulandari", "Fauzi", "Pratama", "Saputra", "Hidayat", "Susanto"]


def setup(home: str):
    os.environ["PUSTAKA_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build(count: int):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from pustaka.core.models import Branch, User
    from pustaka.patrons.models import Patron, PatronBlock, PatronCategory

    main = Branch.objects.create(code="MAIN", name="Pusat")
    north = Branch.objects.create(code="NORTH", name="Utara")
    category = PatronCategory.objects.create(code="PUBLIC", name="Umum")
    today = timezone.localdate()
    rows = [
        Patron(
            card_number=f"M{n:07d}",
            first_name=FIRST[n % len(FIRST)],
            last_name=f"{LAST[(n // 7) % len(LAST)]} {n % 997}",
            category=category,
            home_branch=main if n % 2 else north,
            expires_on=today + dt.timedelta(days=n % 700 - 100),
        )
        for n in range(count)
    ]
    Patron.objects.bulk_create(rows, batch_size=5000)
    admin = User.objects.create_superuser("bench-admin", password="x" * 12)
    ids = list(Patron.objects.values_list("pk", flat=True))[::20]
    PatronBlock.objects.bulk_create([PatronBlock(patron_id=i, note="bench", created_by=admin) for i in ids])
    desk = User.objects.create_user("bench-desk", password="x" * 12, home_branch=main)
    desk.groups.add(Group.objects.get(name="circulation"))
    librarian = User.objects.create_user("bench-librarian", password="x" * 12, home_branch=main)
    librarian.groups.add(Group.objects.get(name="librarian"))
    return desk, librarian


def timed(fn, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(name: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return f"{name:<44} median {statistics.median(times):8.2f} ms   p95 {p95:8.2f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--patrons", type=int, default=50_000)
    parser.add_argument("--import-rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="pustaka-bench-patrons-")
    setup(home)
    from django.core.paginator import Paginator
    from django.db import connection

    from pustaka.patrons import actions, queries

    start = time.perf_counter()
    desk, librarian = build(args.patrons)
    lines = [
        f"Patrons benchmark {dt.date.today()} · {platform.node()} · {connection.vendor} · "
        f"{args.patrons:,} patrons (built in {time.perf_counter() - start:.1f} s) · {args.rounds} rounds"
    ]

    def page(q: str):
        p = Paginator(queries.search(desk, q), 50).get_page(1)
        return p.paginator.count, list(p.object_list)

    lines.append(summary("list, first page of 50 + count", timed(lambda: page(""), args.rounds)))
    lines.append(summary("search card prefix 'm00012'", timed(lambda: page("m00012"), args.rounds)))
    lines.append(summary("search name word 'santoso'", timed(lambda: page("santoso"), args.rounds)))
    lines.append(summary("search two words 'dewi lestari'", timed(lambda: page("dewi lestari"), args.rounds)))
    lines.append(summary("get_by_card(' m0012345 ')", timed(lambda: queries.get_by_card(" m0012345 "), args.rounds)))
    patron = queries.get_by_card("M0000020")
    lines.append(summary("blocks(patron)", timed(lambda: queries.blocks(patron), args.rounds)))

    csv = "card_number,first_name,last_name,category,home_branch,email,expires_on\n" + "".join(
        f"N{n:07d},Baru,Anggota {n},PUBLIC,MAIN,baru{n}@contoh.id,2028-01-31\n" for n in range(args.import_rows)
    )
    start = time.perf_counter()
    result = actions.import_patrons_csv(source=csv, actor=librarian)
    took = time.perf_counter() - start
    lines.append(
        f"{'import_patrons_csv, new rows':<44} {result.created:,} rows in {took:.2f} s = "
        f"{result.created / took:,.0f} rows/s"
    )
    start = time.perf_counter()
    result = actions.import_patrons_csv(source=csv, actor=librarian)
    took = time.perf_counter() - start
    lines.append(
        f"{'import_patrons_csv, same rows again (update)':<44} {result.updated:,} rows in {took:.2f} s = "
        f"{result.updated / took:,.0f} rows/s"
    )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if connection.vendor == "sqlite" else f"-{connection.vendor}"
    (RESULTS / f"patrons-{dt.date.today():%Y-%m-%d}{suffix}.txt").write_text(text)


if __name__ == "__main__":
    main()

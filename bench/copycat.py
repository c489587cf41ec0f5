"""Benchmark: from an ISBN scan to a catalogued copy at the desk, through copy cataloguing.

    python bench/copycat.py [--runs 30]

Starts the two remote catalogues the copy cataloguing tests use, on this machine (never the internet):
a second Pustaka serving ``/sru`` from its own home (``pustaka init``, ``import-marc`` of
``pustaka/copycat/tests/data/loc-copycat.mrc``, ``pustaka serve``) and a Zebra Z39.50 server
(``idzebra-2.0``) holding the same records plus a MARC-8 one. Builds a temporary library home for the
desk (migrated; a branch, an item type, a librarian; both catalogues as targets), then, ``--runs``
times, does what the librarian does, through the staff pages with Django's test client:

1. *search*: ``GET /staff/copycat/?isbn=<scanned ISBN>``: both catalogues asked in parallel, the
   results rendered beside the local records they may duplicate;
2. *import*: ``POST /staff/copycat/import/`` with the first result's token and one copy (the next
   B000123 barcode, the librarian's branch), which creates the record, the copy with its accession
   number and the audit rows, and the redirect to the new record.

The ISBNs cycle through the seven test records (ISBN-13 as a scanner reads it). Prints p50 / p95 /
max of each step and of the total in ms, with the load average, and appends them to
``bench/results/copycat-<date>.txt``. The Z39.50 client is Pustaka's own ctypes binding of YAZ's
ZOOM API (Debian ``libyaz5``, :mod:`pustaka.copycat.z3950`).
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
ISBNS = ["9780836932720", "9789201026002", "9780965406338", "9780780363175", "9780780363595", "9780836931693"]
ISBNS.append("9780804809672")  # the MARC-8 record (Zebra only)


def setup_desk(home: str) -> None:
    os.environ["PUSTAKA_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ["PUSTAKA_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def make_desk(sru_url: str, zebra_address):
    from django.contrib.auth.models import Group

    from pustaka.copycat import actions
    from pustaka.core.models import Branch, User
    from pustaka.holdings.models import ItemType

    branch = Branch.objects.create(code="MAIN", name="Perpustakaan Pusat")
    item_type = ItemType.objects.create(code="BOOK", name="Buku")
    librarian = User.objects.create_user(username="bench-librarian", password="bench-password", home_branch=branch)
    librarian.groups.add(Group.objects.get(name="librarian"))
    host, port, database = zebra_address
    actions.create_target(actor=librarian, name="Remote Pustaka", protocol="sru", base_url=sru_url, priority=1)
    actions.create_target(
        actor=librarian, name="Local Zebra", protocol="z3950", host=host, port=port, database=database, priority=2
    )
    return librarian, branch, item_type


def one_run(client, isbn: str, branch, item_type) -> tuple[float, float]:
    started = time.perf_counter()
    page = client.get("/staff/copycat/", {"isbn": isbn})
    searched = time.perf_counter()
    body = page.content.decode()
    assert page.status_code == 200 and 'name="result" value="' in body, f"nothing found for {isbn}"
    token = body.split('name="result" value="')[1].split('"')[0]
    done = client.post(
        "/staff/copycat/import/",
        {
            "result": token,
            "copies": "1",
            "barcodes": "",
            "branch": branch.pk,
            "item_type": item_type.pk,
            "status": "in_processing",
        },
    )
    finished = time.perf_counter()
    assert done.status_code == 302 and "/staff/catalog/" in done["Location"], done.content[:500]
    return (searched - started) * 1000, (finished - searched) * 1000


def figures(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{name:<8} p50 {statistics.median(ordered):8.1f} ms   p95 {p95:8.1f} ms   max {ordered[-1]:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from pustaka.copycat.tests import servers

    with tempfile.TemporaryDirectory(prefix="bench-copycat-") as folder:
        base = Path(folder)
        (base / "desk").mkdir()
        (base / "remote").mkdir()
        (base / "zebra").mkdir()
        print("Starting the remote Pustaka (/sru) and Zebra (Z39.50) ...", flush=True)
        with servers.remote_pustaka(base / "remote") as sru_url, servers.zebra(base / "zebra") as zebra_address:
            setup_desk(str(base / "desk"))
            from django.test import Client

            librarian, branch, item_type = make_desk(sru_url, zebra_address)
            client = Client()
            client.force_login(librarian)
            one_run(client, ISBNS[0], branch, item_type)  # warm-up: imports, templates, first connections
            searches, imports, totals = [], [], []
            for n in range(args.runs):
                search_ms, import_ms = one_run(client, ISBNS[n % len(ISBNS)], branch, item_type)
                searches.append(search_ms)
                imports.append(import_ms)
                totals.append(search_ms + import_ms)
            from pustaka.holdings.models import Item

            copies = Item.objects.count()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"copy cataloguing, ISBN scan to a catalogued copy: {args.runs} runs (+1 warm-up), {copies} copies made",
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load}",
        figures("search", searches),
        figures("import", imports),
        figures("total", totals),
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / f"copycat-{dt.date.today().isoformat()}.txt", "a") as out:
        out.write(text + "\n\n")


if __name__ == "__main__":
    main()

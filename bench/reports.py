"""Benchmark: every report's query on a large library (target: each under 1 s).

    python bench/reports.py                                  # 250,000 records, 500,000 items, 2,000,000 loans
    python bench/reports.py --scale 0.1                      # a tenth of each
    python bench/reports.py --database-url postgres://postgres@127.0.0.1:5432/pustaka_bench --reset
    python bench/reports.py --home DIR --keep                # keep the SQLite library to time it again

Builds synthetic data with plain multi-row inserts (``executemany``, not the actions: this is a
benchmark, not product code) in a temporary PUSTAKA_HOME (SQLite in WAL mode, as installed) or in the
PostgreSQL database ``--database-url`` names (migrated first; ``--reset`` empties the tables the
benchmark fills, and it refuses a database that already has loans without it):

- 5 branches, 5 patron categories, 4 item types, 50,000 patrons (joined over six years);
- ``--records`` records with DDC class numbers over the ten classes and three languages;
- ``--items`` copies (two per record on average) acquired over ten years, 3 % withdrawn (with the
  withdrawal in the audit trail), their loan counts skewed (a few titles lent very often, a third of
  the copies never);
- ``--loans`` loans spread over the last five years, 1 % still out (most of them overdue), up to
  two renewals each; 100,000 holds; 500,000 visitor-book entries (when the visitors app is there).

Then each report of ``pustaka.reports.specs`` (and each "by" choice of the reports that have one)
is computed ``--runs`` times for the last twelve months, by month, and the p50/p95 of the wall time
are printed, with the desk's dashboard figures. The lines are appended to
``bench/results/reports-<date>[-scale<s>][-postgresql].txt``.
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
BATCH = 20_000


def setup(home: str, database_url: str | None):
    os.environ["PUSTAKA_HOME"] = home
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


class Inserter:
    """Multi-row inserts into one model's table: every column gets its field default, ``fields``
    are given per row (already in the database's form)."""

    def __init__(self, model, fields: list[str]):
        from django.db import connection

        self.model = model
        concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
        by_name = {f.name: f for f in concrete}
        self.columns = [f.column for f in concrete]
        template = []
        for f in concrete:
            default = f.get_default() if f.has_default() or f.null else ""
            if f.name in fields:
                template.append(None)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                template.append(stamp(dt.datetime.now(dt.UTC)))
            else:
                template.append(f.get_db_prep_save(default, connection))
        self.template = template
        self.positions = [self.columns.index(by_name[name].column) for name in fields]
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        self.sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({quoted}) VALUES ({marks})"
        self.rows: list = []
        self.count = 0

    def add(self, *values):
        row = list(self.template)
        for position, value in zip(self.positions, values, strict=True):
            row[position] = value
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self):
        from django.db import connection, transaction

        if not self.rows:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(self.sql, self.rows)
        self.count += len(self.rows)
        self.rows = []


POSTGRES = False


def stamp(when: dt.datetime) -> str:
    """A UTC datetime in the form the database reads."""
    text = when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    return text + "+00" if POSTGRES else text


def build(args, rng: random.Random) -> dict:
    from django.contrib.contenttypes.models import ContentType

    from pustaka.catalog.models import Record
    from pustaka.circulation.models import Hold, Loan
    from pustaka.core.models import AuditEvent, Branch, Location
    from pustaka.holdings.models import Item, ItemType
    from pustaka.patrons.models import Patron, PatronCategory

    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    branches = [Branch.objects.create(code=f"BR{n}", name=f"Cabang {n}") for n in range(5)]
    for b in branches:
        Location.objects.create(branch=b, code="RAK", name="Rak umum")
    categories = [PatronCategory.objects.create(code=f"CAT{n}", name=f"Kategori {n}") for n in range(5)]
    types = [ItemType.objects.create(code=f"T{n}", name=f"Jenis {n}") for n in range(4)]

    records = Inserter(Record, ["title", "class_number", "call_number", "language", "year"])
    languages = ["ind"] * 6 + ["eng"] * 3 + ["jav"]
    for n in range(args.records):
        cls = f"{rng.randrange(1000):03d}.{rng.randrange(100):02d}"
        records.add(f"Judul buku {n}", cls, f"{cls} ABC j", rng.choice(languages), 1950 + n % 75)
    records.flush()
    first_record = Record.objects.order_by("pk").values_list("pk", flat=True).first()

    patrons = Inserter(Patron, ["card_number", "last_name", "category", "home_branch", "expires_on", "created_at"])
    n_patrons = max(100, int(50_000 * args.scale))
    for n in range(n_patrons):
        joined = now - dt.timedelta(days=rng.randrange(6 * 365))
        expires = (joined + dt.timedelta(days=365 * rng.randint(1, 4))).date()
        patrons.add(f"A{n:07d}", f"Anggota {n}", categories[n % 5].pk, branches[n % 5].pk, expires.isoformat(),
                    stamp(joined))  # fmt: skip
    patrons.flush()
    first_patron = Patron.objects.order_by("pk").values_list("pk", flat=True).first()

    # Loan counts: a third of the copies never lent, the rest skewed so a few are lent very often.
    weights = [0.0 if rng.random() < 0.33 else rng.paretovariate(1.5) for _ in range(args.items)]
    scale = args.loans / sum(weights)
    counts = [int(w * scale) for w in weights]
    short = args.loans - sum(counts)
    lent = [i for i, c in enumerate(counts) if c or weights[i]]
    for i in rng.sample(lent, min(len(lent), max(0, short))):
        counts[i] += 1
    items = Inserter(Item, ["barcode", "record", "branch", "item_type", "status", "acquired_on", "loan_count",
                            "shelf_key"])  # fmt: skip
    gone = set()
    for n in range(args.items):
        status = "available"
        if rng.random() < 0.03:
            status = "withdrawn"
            gone.add(n)
        acquired = (now - dt.timedelta(days=rng.randrange(10 * 365))).date()
        items.add(f"B{n:08d}", first_record + n % args.records, branches[n % 5].pk, types[n % 4].pk, status,
                  acquired.isoformat(), counts[n], "")  # fmt: skip
    items.flush()
    first_item = Item.objects.order_by("pk").values_list("pk", flat=True).first()

    content_type = ContentType.objects.get_for_model(Item)
    audit = Inserter(AuditEvent, ["occurred_at", "verb", "content_type", "object_id", "object_repr", "actor_name"])
    for n in gone:
        when = now - dt.timedelta(days=rng.randrange(5 * 365))
        audit.add(stamp(when), "holdings.item.withdraw", content_type.pk, str(first_item + n), f"B{n:08d}", "bench")
    audit.flush()

    loans = Inserter(Loan, ["item", "patron", "branch", "checked_out_at", "due_at", "returned_at", "return_branch",
                            "renewals"])  # fmt: skip
    span = 5 * 365 * 86400
    on_loan = []
    for n, k in enumerate(counts):
        if not k:
            continue
        item_id, branch_id = first_item + n, branches[n % 5].pk
        # k loans one after another across five years, each kept 3 to 20 days
        starts = sorted(rng.randrange(span - 30 * 86400) for _ in range(k))
        for j, offset in enumerate(starts):
            out = now - dt.timedelta(seconds=span - offset)
            due = out + dt.timedelta(days=14)
            is_open = j == k - 1 and rng.random() < 0.01 * k and n not in gone
            back = None if is_open else stamp(out + dt.timedelta(days=rng.randint(3, 20)))
            loans.add(item_id, first_patron + rng.randrange(n_patrons), branch_id, stamp(out), stamp(due), back,
                      None if is_open else branch_id, rng.choice((0, 0, 0, 1, 2)))  # fmt: skip
            if is_open:
                on_loan.append(item_id)
    loans.flush()
    Item.objects.filter(pk__in=on_loan).update(status="on_loan")

    holds = Inserter(Hold, ["record", "patron", "pickup_branch", "status", "placed_at"])
    for _n in range(int(100_000 * args.scale)):
        when = now - dt.timedelta(seconds=rng.randrange(span))
        status = rng.choice(("fulfilled", "fulfilled", "cancelled", "expired", "waiting", "ready"))
        holds.add(first_record + rng.randrange(args.records), first_patron + rng.randrange(n_patrons),
                  branches[rng.randrange(5)].pk, status, stamp(when))  # fmt: skip
    holds.flush()

    n_visits = 0
    try:
        from pustaka.visitors.models import Visit, VisitPurpose
    except ImportError:
        Visit = None
    if Visit is not None:
        purposes = [VisitPurpose.objects.create(code=f"P{n}", name_id=f"Tujuan {n}") for n in range(5)]
        visits = Inserter(Visit, ["branch", "visited_at", "patron", "category", "patron_category", "purpose", "count",
                                  "name"])  # fmt: skip
        for _n in range(int(500_000 * args.scale)):
            when = now - dt.timedelta(seconds=rng.randrange(2 * 365 * 86400))
            member = rng.random() < 0.6
            patron = first_patron + rng.randrange(n_patrons) if member else None
            visits.add(branches[rng.randrange(5)].pk, stamp(when), patron, "member" if member else "public",
                       categories[rng.randrange(5)].pk if member else None, purposes[rng.randrange(5)].pk,
                       1 if rng.random() < 0.97 else rng.randint(2, 40), "" if member else "Pengunjung")  # fmt: skip
        visits.flush()
        n_visits = visits.count

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "records": records.count, "items": items.count, "loans": loans.count, "patrons": patrons.count,
        "holds": holds.count, "withdrawals": audit.count, "visits": n_visits,
        "build_s": time.perf_counter() - started,
    }  # fmt: skip


def measure(runs: int) -> list[tuple[str, float, float]]:
    from django.utils import timezone

    from pustaka.reports import specs
    from pustaka.reports.periods import Period
    from pustaka.reports.queries import Filters, today_figures

    today = timezone.localdate()
    last_year = Period(today - dt.timedelta(days=365), today, "month")
    cases = []
    for spec in specs.REPORTS:
        if spec.dimensions:
            for key, _label in spec.dimensions:
                cases.append((f"{spec.slug} by {key}", spec.function, Filters(last_year, by=key)))
        else:
            cases.append((spec.slug, spec.function, Filters(last_year)))
    from pustaka.core.models import Branch

    one = Branch.objects.order_by("code").first()
    cases.append(("circulation by day, one month, one branch", specs.BY_SLUG["circulation"].function,
                  Filters(Period(today - dt.timedelta(days=30), today, "day"), branch=one)))  # fmt: skip
    cases.append(("overdue (every row, as exported)", specs.BY_SLUG["overdue"].function, Filters(last_year, full=True)))
    cases.append(("dashboard: the desk's figures today", lambda f: today_figures(one), None))
    results = []
    for name, function, filters in cases:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            function(filters)
            times.append(time.perf_counter() - started)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        results.append((name, statistics.median(times), p95))
        print(f"  {name:<48} p50 {statistics.median(times) * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms", flush=True)
    return results


def summaries(force: bool) -> dict:
    """Rebuild the report summaries (``rebuild_report_stats``) when they miss loans or visits, as after
    this benchmark's plain inserts, or when ``force``; returns how long it took."""
    from pustaka.reports import stats
    from pustaka.reports.actions import rebuild_report_stats

    if not force and stats.loans_counted() and stats.visits_counted():
        print("  the report summaries hold every loan and visit", flush=True)
        return {}
    started = time.perf_counter()
    counts = rebuild_report_stats(actor=None)
    took = time.perf_counter() - started
    print(f"  rebuilt the report summaries in {took:.1f} s: {counts['loan_rows']:,} loan rows, "
          f"{counts['visit_rows']:,} visit rows", flush=True)  # fmt: skip
    return {"rebuild_stats_s": took, "loan_summary_rows": counts["loan_rows"]}


def reset():
    from django.db import connection

    tables = ["reports_dailyloanstat", "reports_dailyvisitstat", "visitors_visit", "visitors_visitpurpose",
              "circulation_hold", "circulation_loan", "core_auditevent",
              "holdings_item", "patrons_patron", "catalog_record"]  # fmt: skip
    with connection.cursor() as cursor:
        for table in tables:
            if table in connection.introspection.table_names():
                cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM core_location WHERE code = 'RAK'")
        for table, column in [("patrons_patroncategory", "code"), ("holdings_itemtype", "code"),
                              ("core_branch", "code")]:  # fmt: skip
            cursor.execute(f"DELETE FROM {table} WHERE {column} LIKE %s", ["CAT%" if "category" in table else "T%"
                           if "itemtype" in table else "BR%"])  # fmt: skip


def main():
    global POSTGRES
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=250_000)
    parser.add_argument("--items", type=int, default=500_000)
    parser.add_argument("--loans", type=int, default=2_000_000)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (0.1: a tenth)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument("--reset", action="store_true", help="PostgreSQL: empty the benchmark's tables first")
    parser.add_argument("--home", help="PUSTAKA_HOME to use (default: a new temporary one)")
    parser.add_argument("--reuse", action="store_true", help="time the library already in --home, build nothing")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild-stats", action="store_true", help="rebuild the report summaries even if complete")
    args = parser.parse_args()
    if args.scale != 1.0:
        args.records, args.items, args.loans = (int(n * args.scale) for n in (args.records, args.items, args.loans))
    POSTGRES = bool(args.database_url)
    home = args.home or tempfile.mkdtemp(prefix="pustaka-bench-reports-")
    setup(home, args.database_url)
    from pustaka.circulation.models import Loan

    if not args.reuse:
        if args.reset:
            reset()
        if Loan.objects.exists():
            sys.exit("This database already has loans: use --reset (PostgreSQL) or a new --home.")
        print(f"Building {args.records:,} records, {args.items:,} items, {args.loans:,} loans in {home}", flush=True)
        built = build(args, random.Random(args.seed))
        print("  built: " + ", ".join(f"{k} {v:,.0f}" for k, v in built.items()), flush=True)
    else:
        built = {"loans": Loan.objects.count()}
    built.update(summaries(args.rebuild_stats))
    from django.db import connection

    print(f"Timing each report ({args.runs} runs, the last twelve months, {connection.vendor}):", flush=True)
    results = measure(args.runs)
    worst = max(results, key=lambda r: r[2])
    print(f"Slowest p95: {worst[0]} {worst[2] * 1000:.1f} ms (target under 1,000 ms)")
    RESULTS.mkdir(exist_ok=True)
    suffix = ("" if args.scale == 1.0 else f"-scale{args.scale:g}") + ("-postgresql" if POSTGRES else "")
    out = RESULTS / f"reports-{dt.date.today():%Y-%m-%d}{suffix}.txt"
    with out.open("a") as f:
        f.write(f"# {dt.datetime.now():%Y-%m-%d %H:%M} {platform.node()} load {os.getloadavg()[0]:.2f} "
                f"{connection.vendor} {' '.join(sys.argv[1:])}\n")  # fmt: skip
        f.write("# " + ", ".join(f"{k} {v:,.0f}" for k, v in built.items()) + "\n")
        for name, p50, p95 in results:
            f.write(f"{name:<48} p50 {p50 * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms\n")
    print(f"Written to {out}")


if __name__ == "__main__":
    main()

"""Benchmark: check-out and check-in latency for a patron who already has 500 loans.

    python bench/circulation.py [--loans 500] [--rounds 200] [--database-url postgres://...]

Builds synthetic data (bulk_create, allowed here) in a temporary PUSTAKA_HOME (SQLite in WAL mode, as
installed, unless --database-url names a PostgreSQL database, which is then emptied of circulation
rows first): one branch, a loan rule allowing 10,000 items, a patron holding ``--loans`` open loans
and ``--rounds`` copies to lend. Each round lends one copy to that patron and returns it, first
through the actions (``checkout`` / ``checkin``), then through the HTTP API
(``POST /api/v1/circulation/checkout`` and ``/checkin`` with a bearer token, Django's test client,
the whole middleware stack). Prints p50/p95/max per path and the number of SQL queries one
check-out and one check-in take (they must not grow with the patron's loans), and writes the
figures to bench/results/circulation-<date>.txt. Target: p95 <= 20 ms each.
"""

import argparse
import datetime as dt
import json
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


def setup(home: str, database_url: str | None):
    os.environ["PUSTAKA_HOME"] = home
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["PUSTAKA_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build(n_loans: int, rounds: int):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from pustaka.catalog.models import Record
    from pustaka.circulation.models import Loan, LoanRule
    from pustaka.core.models import Branch, User
    from pustaka.holdings.models import Item, ItemType
    from pustaka.patrons.models import Patron, PatronCategory

    hours = {str(d): [["08:00", "20:00"]] for d in range(7)}
    branch, _ = Branch.objects.get_or_create(code="BENCH", defaults={"name": "Bench branch", "opening_hours": hours})
    item_type, _ = ItemType.objects.get_or_create(code="BBOOK", defaults={"name": "Bench book"})
    category, _ = PatronCategory.objects.get_or_create(
        code="BENCH", defaults={"name": "Bench", "max_overdues": 0, "max_fines": 10**9}
    )
    LoanRule.objects.get_or_create(
        patron_category=category, item_type=None, branch=None, defaults={"max_items": 100_000}
    )
    record = Record.objects.create(title="Benchmark title", language="ind", call_number="000 BEN b")
    stamp = int(time.time())
    patron = Patron.objects.create(
        card_number=f"BEN{stamp}",
        last_name="Peminjam Banyak",
        category=category,
        home_branch=branch,
        expires_on=timezone.localdate() + dt.timedelta(days=365),
    )
    held = Item.objects.bulk_create(
        [
            Item(barcode=f"H{stamp}{n:05d}", record=record, branch=branch, item_type=item_type, status="on_loan")
            for n in range(n_loans)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    Loan.objects.bulk_create(
        [
            Loan(item=i, patron=patron, branch=branch, checked_out_at=now, due_at=now + dt.timedelta(days=14))
            for i in held
        ],
        batch_size=1000,
    )
    fresh = Item.objects.bulk_create(
        [Item(barcode=f"F{stamp}{n:05d}", record=record, branch=branch, item_type=item_type) for n in range(rounds)],
        batch_size=1000,
    )
    staff = User.objects.create_user(username=f"bench-desk-{stamp}", password="bench-password-123", home_branch=branch)
    staff.groups.add(Group.objects.get(name="circulation"))
    return branch, patron, fresh, staff


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def summary(name, ms):
    p50, p95 = statistics.median(ms), pct(ms, 95)
    return f"{name:<22} n={len(ms):<4} p50={p50:6.2f} ms  p95={p95:6.2f} ms  max={max(ms):6.2f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loans", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--show-sql", action="store_true", help="print the statements of one check-out and check-in")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="pustaka-bench-circ-")
    setup(home, args.database_url)

    from contextlib import contextmanager

    from django.db import connection
    from django.test import Client

    @contextmanager
    def CaptureQueriesContext(conn):  # noqa: N802 - counts statements whatever DEBUG says
        box = type("Box", (), {"captured_queries": []})()

        def wrapper(execute, sql, params, many, context):
            box.captured_queries.append({"sql": sql})
            return execute(sql, params, many, context)

        with conn.execute_wrapper(wrapper):
            yield box

    from pustaka.circulation import actions
    from pustaka.core.actions import issue_api_token

    branch, patron, fresh, staff = build(args.loans, args.rounds * 2)
    action_items, api_items = fresh[: args.rounds], fresh[args.rounds :]
    out, co, ci = [], [], []
    cpu = {"co": [], "ci": [], "hco": [], "hci": []}
    clock = time.process_time

    # Warm up (permission cache, content types, first statements).
    actions.checkin(
        item=actions.checkout(item=action_items[0], patron=patron, branch=branch, actor=staff).item,
        branch=branch,
        actor=staff,
    )
    with CaptureQueriesContext(connection) as q_out:
        loan = actions.checkout(item=action_items[1], patron=patron, branch=branch, actor=staff)
    with CaptureQueriesContext(connection) as q_in:
        actions.checkin(item=loan.item, branch=branch, actor=staff)
    for item in action_items[2:]:
        c0, t0 = clock(), time.perf_counter()
        loan = actions.checkout(item=item, patron=patron, branch=branch, actor=staff)
        c1, t1 = clock(), time.perf_counter()
        actions.checkin(item=item, branch=branch, actor=staff)
        c2, t2 = clock(), time.perf_counter()
        cpu["co"].append((c1 - c0) * 1000)
        cpu["ci"].append((c2 - c1) * 1000)
        co.append((t1 - t0) * 1000)
        ci.append((t2 - t1) * 1000)

    token = issue_api_token(user=staff, actor=None, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    hco, hci = [], []

    def post(path, body):
        response = client.post("/api/v1" + path, json.dumps(body), content_type="application/json")
        if response.status_code >= 300:
            raise SystemExit(f"{path}: {response.status_code} {response.content[:300]!r}")
        return response

    post(
        "/circulation/checkout", {"barcode": api_items[0].barcode, "card_number": patron.card_number, "branch": "BENCH"}
    )
    post("/circulation/checkin", {"barcode": api_items[0].barcode, "branch": "BENCH"})
    with CaptureQueriesContext(connection) as q_http_out:
        post(
            "/circulation/checkout",
            {"barcode": api_items[1].barcode, "card_number": patron.card_number, "branch": "BENCH"},
        )
    with CaptureQueriesContext(connection) as q_http_in:
        post("/circulation/checkin", {"barcode": api_items[1].barcode, "branch": "BENCH"})
    if args.show_sql:
        for name, box in (
            ("checkout", q_out),
            ("checkin", q_in),
            ("HTTP checkout", q_http_out),
            ("HTTP checkin", q_http_in),
        ):
            print(f"--- {name}: {len(box.captured_queries)} statements")
            for n, q in enumerate(box.captured_queries, 1):
                print(f"{n:3}. {q['sql'][:230]}")
    for item in api_items[2:]:
        c0, t0 = clock(), time.perf_counter()
        post("/circulation/checkout", {"barcode": item.barcode, "card_number": patron.card_number, "branch": "BENCH"})
        c1, t1 = clock(), time.perf_counter()
        post("/circulation/checkin", {"barcode": item.barcode, "branch": "BENCH"})
        c2, t2 = clock(), time.perf_counter()
        cpu["hco"].append((c1 - c0) * 1000)
        cpu["hci"].append((c2 - c1) * 1000)
        hco.append((t1 - t0) * 1000)
        hci.append((t2 - t1) * 1000)

    engine = connection.vendor
    out.append(
        f"Circulation benchmark, {dt.date.today():%Y-%m-%d}, {engine}, Python {platform.python_version()}, "
        f"{platform.machine()} with {os.cpu_count()} CPUs"
    )
    out.append(f"Patron with {args.loans} open loans; {args.rounds - 2} rounds per path (after warm-up).")
    out.append(summary("checkout (action)", co))
    out.append(summary("checkin (action)", ci))
    out.append(summary("checkout (HTTP API)", hco))
    out.append(summary("checkin (HTTP API)", hci))
    out.append("CPU time of this process per operation (SQLite runs in-process; less sensitive to other load):")
    out.append(summary("  checkout (action)", cpu["co"]))
    out.append(summary("  checkin (action)", cpu["ci"]))
    out.append(summary("  checkout (HTTP API)", cpu["hco"]))
    out.append(summary("  checkin (HTTP API)", cpu["hci"]))
    out.append(f"Machine load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    from pustaka.core.models import Branch

    base = []
    for _ in range(500):
        c0 = clock()
        Branch.objects.filter(code="BENCH").first()
        base.append((clock() - c0) * 1000)
    unit = statistics.median(base)
    co_units, ci_units = statistics.median(cpu["co"]) / unit, statistics.median(cpu["ci"]) / unit
    out.append(
        f"Yardstick: one trivial ORM query costs {unit:.3f} ms CPU here; checkout (action) = "
        f"{co_units:.0f} of them, checkin (action) = {ci_units:.0f}."
    )
    out.append(
        f"SQL queries: checkout action {len(q_out.captured_queries)}, checkin action {len(q_in.captured_queries)}, "
        f"checkout HTTP {len(q_http_out.captured_queries)}, checkin HTTP {len(q_http_in.captured_queries)}"
    )
    biggest = max((len(q["sql"]), q["sql"][:160]) for q in q_out.captured_queries)
    out.append(f"Longest checkout statement ({biggest[0]} chars): {biggest[1]}")
    ok = all(pct(v, 95) <= 20 for v in (co, ci, hco, hci))
    ok_cpu = all(pct(v, 95) <= 20 for v in cpu.values())
    out.append("Target p95 <= 20 ms each (wall): " + ("met" if ok else "NOT met"))
    out.append("Target p95 <= 20 ms each (CPU): " + ("met" if ok_cpu else "NOT met"))
    text = "\n".join(out) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if engine == "sqlite" else f"-{engine}"
    (RESULTS / f"circulation-{dt.date.today():%Y-%m-%d}{suffix}.txt").write_text(text)


if __name__ == "__main__":
    main()

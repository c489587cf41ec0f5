"""Benchmark: SIP2 checkout and check-in latency, and checkout throughput with 8 self-check machines.

    python bench/sip2.py [--loans 500] [--rounds 200] [--clients 8] [--per-client 100]
                         [--database-url postgres://...]

Builds a temporary PUSTAKA_HOME (SQLite unless ``--database-url``), migrates, and creates the data
directly (allowed in a bench): one branch, one record, items, patrons with PINs, a loan rule allowing
many loans, and ``--loans`` open loans for the patron under test. A SIP2 account is made through the
action, and the real server (``Sip2Server``) runs in a background thread on a free port.

1. Latency: one machine logs in, the patron (holding ``--loans`` loans) proves their PIN once (63),
   then ``--rounds`` checkouts (11, with the PIN each time, as machines do) and as many check-ins (09),
   each timed from sending the frame to reading the answer. p50 / p95 / max in ms.
2. Throughput: ``--clients`` machines on their own connections, each with its own patron, lend
   ``--per-client`` items each as fast as they can. Checkouts per second overall.

Writes the figures to bench/results/sip2-<date>.txt (``-postgresql`` appended on PostgreSQL).
"""

import argparse
import datetime as dt
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
NOW = "20261122    120000"
PIN = "1234"
PASSWORD = "bench-password"


def setup(home: str, database_url: str | None) -> None:
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

    if database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)


def make_data(*, loans: int, rounds: int, clients: int, per_client: int):
    """Branch, record, items, patrons, loans, a loan rule, the SIP2 account. Returns what the runs need."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from pustaka.catalog.models import Record
    from pustaka.circulation.actions_sip import create_sip_account
    from pustaka.circulation.models import Loan, LoanRule
    from pustaka.core.models import Branch, Location, User
    from pustaka.holdings.models import Item, ItemType
    from pustaka.patrons.models import Patron, PatronCategory

    week = {str(d): [["08:00", "20:00"]] for d in range(7)}
    branch = Branch.objects.create(code="MAIN", name="Perpustakaan Pusat", opening_hours=week)
    location = Location.objects.create(branch=branch, code="STACKS", name="Rak umum")
    item_type = ItemType.objects.create(code="BOOK", name="Buku")
    record = Record.objects.create(title="Buku uji kecepatan", language="ind")
    LoanRule.objects.create(max_items=100_000, loan_days=14, renewals=5)
    category = PatronCategory.objects.create(code="PUBLIC", name="Umum", max_overdues=0, max_fines=10**9)
    pin_hash = make_password(PIN)
    expires = timezone.localdate() + dt.timedelta(days=365)
    patrons = Patron.objects.bulk_create(
        Patron(
            card_number=f"P{n:05d}",
            last_name=f"Anggota {n}",
            category=category,
            home_branch=branch,
            expires_on=expires,
            pin=pin_hash,
            language="en",
        )
        for n in range(clients + 1)
    )
    total_items = loans + rounds + clients * per_client
    Item.objects.bulk_create(
        Item(
            barcode=f"B{n:07d}",
            record=record,
            branch=branch,
            location=location,
            item_type=item_type,
            status="on_loan" if n < loans else "available",
        )
        for n in range(total_items)
    )
    items = list(Item.objects.order_by("barcode").values_list("pk", "barcode"))
    now = timezone.now()
    Loan.objects.bulk_create(
        Loan(
            item_id=pk,
            patron=patrons[0],
            branch=branch,
            checked_out_at=now - dt.timedelta(days=1),
            due_at=now + dt.timedelta(days=13),
        )
        for pk, _barcode in items[:loans]
    )
    barcodes = [barcode for _pk, barcode in items]
    machine = User.objects.create_user(username="selfcheck-bench", password=PASSWORD, home_branch=branch)
    machine.groups.add(Group.objects.get(name="circulation"))
    create_sip_account(
        actor=None, login="selfcheck", password=PASSWORD, institution="MAIN", branch=branch, acts_as=machine
    )
    latency_items = barcodes[loans : loans + rounds]
    throughput_items = barcodes[loans + rounds :]
    return patrons, latency_items, throughput_items


class Machine:
    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = b""
        self.seq = 0

    def ask(self, text: str) -> str:
        from pustaka.protocols.sip2.codec import checksum

        data = text.encode() + f"AY{self.seq}AZ".encode()
        self.seq = (self.seq + 1) % 10
        self.sock.sendall(data + checksum(data).encode() + b"\r")
        while b"\r" not in self.pending:
            self.pending += self.sock.recv(65536)
        frame, _, self.pending = self.pending.partition(b"\r")
        return frame.decode()


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=100)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="pustaka-bench-sip2-")
    started = time.monotonic()
    setup(home, args.database_url)
    patrons, latency_items, throughput_items = make_data(
        loans=args.loans, rounds=args.rounds, clients=args.clients, per_client=args.per_client
    )
    prepared = time.monotonic() - started
    from django.db import connection

    from pustaka.protocols.sip2.server import ServerThread

    engine = connection.vendor
    connection.close()
    lines = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    with ServerThread(port=0, workers=max(8, args.clients)) as server:
        # 1. Latency for the patron with many loans.
        machine = Machine(server.port)
        assert machine.ask("9300CNselfcheck|CO" + PASSWORD + "|CPMAIN|").startswith("941")
        card = patrons[0].card_number
        assert machine.ask(f"63001{NOW}          AOMAIN|AA{card}|AD{PIN}|")[:2] == "64"
        out_ms, in_ms = [], []
        cpu = time.process_time()
        for barcode in latency_items:
            t = time.perf_counter()
            answer = machine.ask(f"11NN{NOW}{' ' * 18}AOMAIN|AA{card}|AB{barcode}|AC|AD{PIN}|")
            out_ms.append((time.perf_counter() - t) * 1000)
            assert answer.startswith("121"), answer
        out_cpu = (time.process_time() - cpu) * 1000 / len(latency_items)
        cpu = time.process_time()
        for barcode in latency_items:
            t = time.perf_counter()
            answer = machine.ask(f"09N{NOW}{NOW}APMAIN|AOMAIN|AB{barcode}|AC|")
            in_ms.append((time.perf_counter() - t) * 1000)
            assert answer.startswith("101"), answer
        in_cpu = (time.process_time() - cpu) * 1000 / len(latency_items)
        # Patron information of the patron with many loans (counts; no list asked for).
        info_ms = []
        for _ in range(20):
            t = time.perf_counter()
            machine.ask(f"63001{NOW}          AOMAIN|AA{card}|AD{PIN}|")
            info_ms.append((time.perf_counter() - t) * 1000)

        # 2. Throughput with several machines at once.
        chunks = [throughput_items[i * args.per_client : (i + 1) * args.per_client] for i in range(args.clients)]
        errors = []
        barrier = threading.Barrier(args.clients + 1)

        def run(index: int):
            client = Machine(server.port)
            client.ask("9300CNselfcheck|CO" + PASSWORD + "|CPMAIN|")
            who = patrons[index + 1].card_number
            client.ask(f"63001{NOW}          AOMAIN|AA{who}|AD{PIN}|")
            barrier.wait()
            for barcode in chunks[index]:
                answer = client.ask(f"11NN{NOW}{' ' * 18}AOMAIN|AA{who}|AB{barcode}|AC|AD{PIN}|")
                if not answer.startswith("121"):
                    errors.append(answer)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        barrier.wait()
        t = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - t
        done = args.clients * args.per_client - len(errors)

    say(
        f"SIP2 benchmark, {dt.date.today().isoformat()} — {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, database {engine}"
    )
    say(f"Data prepared in {prepared:.1f} s. Server: asyncio + {max(8, args.clients)} database threads.")
    say("")
    say(f"1. One machine, patron holding {args.loans} loans, {args.rounds} items (PIN sent every time):")
    for name, values in (("checkout (11→12)", out_ms), ("check-in (09→10)", in_ms), ("patron info (63→64)", info_ms)):
        say(
            f"   {name:<20} p50 {statistics.median(values):6.1f} ms   p95 {pct(values, 95):6.1f} ms   "
            f"max {max(values):6.1f} ms   (n={len(values)})"
        )
    say("   CPU time of this process per request (server and client together; about what an idle")
    say(f"   machine would need): checkout {out_cpu:.1f} ms, check-in {in_cpu:.1f} ms")
    load = os.getloadavg()
    say(f"   load average at the end of the run: {load[0]:.1f} (on {os.cpu_count()} CPUs)")
    say(
        f"   target: p95 <= 20 ms -> checkout {'met' if pct(out_ms, 95) <= 20 else 'NOT met'}, "
        f"check-in {'met' if pct(in_ms, 95) <= 20 else 'NOT met'}"
    )
    say("")
    say(f"2. {args.clients} machines at once, {args.per_client} checkouts each:")
    say(f"   {done} checkouts in {elapsed:.2f} s = {done / elapsed:.0f} checkouts/s ({len(errors)} refused)")
    if errors:
        say(f"   first refusal: {errors[0][:200]}")
    RESULTS.mkdir(exist_ok=True)
    suffix = "-postgresql" if engine == "postgresql" else ""
    out = RESULTS / f"sip2-{dt.date.today():%Y-%m-%d}{suffix}.txt"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"(written to {out.relative_to(ROOT)})")


if __name__ == "__main__":
    main()

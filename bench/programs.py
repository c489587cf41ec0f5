"""Benchmark: program registration with a long waiting list, cancellation with promotion, reminders.

    python bench/programs.py [--patrons 1000] [--capacity 50] [--database-url postgres://...]

Builds synthetic data (bulk_create, allowed here) in a temporary PUSTAKA_HOME (SQLite in WAL mode
unless --database-url names a PostgreSQL database): one branch, ``--patrons`` patrons, a program with
``--capacity`` places and a session tomorrow. Then, through the actions:

- registers every patron (the first ``capacity`` get a place, the rest go on the waiting list);
- cancels 50 places, each promoting the first on the waiting list (and queueing its e-mail);
- sends the reminders for tomorrow (one logged notice per registered patron) and runs it again
  (nothing sent twice);
- renders the public /programs/ list and the staff help queue with 200 programs / 500 questions.

Prints p50/p95/max per step, SQL queries per call (they must not grow with the waiting list), and
writes the figures to bench/results/programs-<date>.txt.
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
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def line(name, ms):
    p50, p95 = statistics.median(ms), pct(ms, 95)
    return f"{name:<44} n={len(ms):>5}  p50={p50:7.2f} ms  p95={p95:7.2f} ms  max={max(ms):7.2f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--patrons", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup(tempfile.mkdtemp(prefix="bench-programs-"), args.database_url)

    from django.db import connection, reset_queries, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pustaka.core.models import Branch, User
    from pustaka.patrons.models import Patron, PatronCategory
    from pustaka.programs import actions
    from pustaka.programs.models import HelpRequest, Program, ProgramSession, Registration

    admin = User.objects.create_superuser("bench-admin", "", "bench-password-123")
    branch = Branch.objects.create(code="BENCH", name="Bench")
    category = PatronCategory.objects.create(code="BENCHP", name="Bench")
    expires = timezone.localdate() + dt.timedelta(days=365)
    Patron.objects.bulk_create(
        [
            Patron(
                card_number=f"BP{n:06d}",
                last_name=f"P{n}",
                category=category,
                home_branch=branch,
                expires_on=expires,
                email=f"p{n}@example.org",
            )
            for n in range(args.patrons)
        ]
    )
    patrons = list(Patron.objects.filter(category=category).order_by("card_number"))
    program = actions.create_program(actor=admin, title="Bench program", branch=branch, capacity=args.capacity)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    actions.add_session(program=program, actor=admin, date=tomorrow, start_time=dt.time(9), end_time=dt.time(10))
    out = [
        f"bench/programs.py  {dt.datetime.now():%Y-%m-%d %H:%M}  {connection.vendor}"
        f"  python {platform.python_version()}",
        f"patrons={args.patrons} capacity={args.capacity}",
    ]

    timings, queries = [], []
    for patron in patrons:
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            actions.register(program=program, patron=patron, actor=admin)
            timings.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    out.append(line("register (place or waiting list)", timings))
    out.append(f"  queries per registration: first {queries[0]}, last {queries[-1]}, max {max(queries)}")

    registered = list(Registration.objects.filter(program=program, status="registered")[:50])
    timings, queries = [], []
    for registration in registered:
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            with transaction.atomic():
                actions.cancel_registration(registration=registration, actor=admin)
            timings.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    out.append(line("cancel + promote the first waiting", timings))
    out.append(f"  queries per cancellation (incl. promotion e-mail): max {max(queries)}")
    waiting = Registration.objects.filter(program=program, status="waiting").count()
    out.append(f"  still waiting after 50 promotions: {waiting}")

    start = time.perf_counter()
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        sent = actions.send_reminders()
    reminder_ms = (time.perf_counter() - start) * 1000
    out.append(f"send_reminders: {sent} reminders in {reminder_ms:.0f} ms, {len(ctx.captured_queries)} queries")
    start = time.perf_counter()
    again = actions.send_reminders()
    out.append(f"send_reminders again: {again} sent in {(time.perf_counter() - start) * 1000:.0f} ms (never twice)")

    Program.objects.bulk_create([Program(title=f"Program {n}", branch=branch, capacity=20) for n in range(200)])
    ProgramSession.objects.bulk_create(
        [
            ProgramSession(program=p, date=tomorrow, start_time=dt.time(9), end_time=dt.time(10), branch=branch)
            for p in Program.objects.all()
        ]
    )
    HelpRequest.objects.bulk_create(
        [HelpRequest(name="N", email="n@example.org", question=f"Q{n}", asked_at=timezone.now()) for n in range(500)]
    )
    client = Client()
    timings = []
    for _ in range(20):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            assert client.get("/programs/").status_code == 200
            timings.append((time.perf_counter() - start) * 1000)
    out.append(line("GET /programs/ (201 programs)", timings) + f"  queries={len(ctx.captured_queries)}")
    client.force_login(admin)
    timings = []
    for _ in range(20):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            assert client.get("/staff/help/").status_code == 200
            timings.append((time.perf_counter() - start) * 1000)
    out.append(line("GET /staff/help/ (500 open questions)", timings) + f"  queries={len(ctx.captured_queries)}")

    text = "\n".join(out) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if connection.vendor == "sqlite" else f"-{connection.vendor}"
    (RESULTS / f"programs-{dt.date.today():%Y-%m-%d}{suffix}.txt").write_text(text)


if __name__ == "__main__":
    main()

"""Benchmark: import the 250,000 LoC records of the pymarc 5.4.0 source distribution.

    python bench/import_marc.py [--limit N] [--database-url URL] [--batch-size N] [--reset]

Prints the bare pymarc parse rate of the file and the import rate (parse + map + store, through
``pustaka.catalog.importer.import_marc``) measured in the same run, their ratio, the import's wall
time and its peak memory (RSS sampled every 0.2 s, with the curve over the run), and writes the same
lines to ``bench/results/import-marc-<date>.txt``. See bench/README.md.
"""

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "results"
SDIST = "pymarc-5.4.0.tar.gz"
SDIST_SHA256_PREFIX = "b2016b16"
MEMBER = "pymarc-5.4.0/BooksAll.2016.part01.utf8"
SOURCE = DATA / "BooksAll.2016.part01.utf8"
TARGET_SECONDS = 120
TARGET_RATIO = 0.25


def fetch() -> Path:
    """The LoC file, fetched (pip download of the pymarc sdist) and extracted once into bench/data/."""
    if SOURCE.exists():
        return SOURCE
    DATA.mkdir(parents=True, exist_ok=True)
    sdist = DATA / SDIST
    if not sdist.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "pymarc==5.4.0", "-d", DATA],
            check=True,
        )
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if not digest.startswith(SDIST_SHA256_PREFIX):
        sys.exit(f"{sdist} has sha256 {digest}, expected {SDIST_SHA256_PREFIX}...; delete it and run again")
    with tarfile.open(sdist) as archive:
        member = archive.getmember(MEMBER)
        with archive.extractfile(member) as src, open(SOURCE.with_suffix(".part"), "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    SOURCE.with_suffix(".part").rename(SOURCE)
    return SOURCE


def first_records(source: Path, limit: int, folder: Path) -> Path:
    """A copy of the first ``limit`` records (ISO 2709 framing: five-digit length)."""
    target = folder / f"first-{limit}.mrc"
    with open(source, "rb") as src, open(target, "wb") as out:
        for _ in range(limit):
            head = src.read(5)
            if len(head) < 5:
                break
            out.write(head + src.read(int(head) - 5))
    return target


def bare_parse(path: Path) -> tuple[int, float]:
    """pymarc's own rate: a MARCReader loop over the file, nothing stored."""
    import pymarc

    count = 0
    start = time.perf_counter()
    with open(path, "rb") as stream:
        for record in pymarc.MARCReader(stream, to_unicode=True, force_utf8=False, utf8_handling="strict"):
            if record is not None:
                count += 1
    return count, time.perf_counter() - start


def child(path: str, batch_size: int, reset: bool, processes: int | None) -> None:
    """Runs in a fresh process with PUSTAKA_HOME (and DATABASE_URL) set: migrate, import, print JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    import resource

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from pustaka.catalog.importer import import_marc
    from pustaka.catalog.models import Record
    from pustaka.core.models import AuditEvent, Library
    from pustaka.search.models import ChangeLog

    call_command("migrate", interactive=False, verbosity=0)
    existing = Record.objects.count()
    if existing and not reset:
        sys.exit(f"the database already has {existing} records; pass --reset to empty its catalogue first")
    if reset:  # TRUNCATE (cascading to items): deleting row by row would load every record first
        from django.core.management.color import no_style

        tables = [ChangeLog._meta.db_table, AuditEvent._meta.db_table, Record._meta.db_table]
        with connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True):
                cursor.execute(sql)
    Library.current()
    from pustaka.catalog.importer import _use_processes

    with open(path, "rb") as stream:
        used = _use_processes(stream, processes)
    progress = []
    start = time.perf_counter()

    def on_progress(done: int) -> None:
        progress.append((round(time.perf_counter() - start, 2), done))

    result = import_marc(source=path, actor=None, batch_size=batch_size, progress=on_progress, processes=processes)
    seconds = time.perf_counter() - start
    size = None
    if connection.vendor == "sqlite":
        db = Path(connection.settings_dict["NAME"])
        size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    else:
        with connection.cursor() as cursor:
            cursor.execute("select pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    print(
        "RESULT "
        + json.dumps(
            {
                "created": result.created,
                "updated": result.updated,
                "rejected": result.rejected,
                "seconds": seconds,
                "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "database": connection.vendor,
                "database_bytes": size,
                "records_in_db": Record.objects.count(),
                "processes": used,
                "progress": progress[-1:] if progress else [],
            }
        ),
        flush=True,
    )


def run_import(
    path: Path, *, database_url: str | None, batch_size: int, reset: bool, home: Path, processes: int | None
) -> dict:
    """Run the import in a child process and sample its memory while it runs."""
    import psutil

    env = {**os.environ, "PUSTAKA_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, __file__, "--child", str(path), "--batch-size", str(batch_size)]
    if reset:
        command.append("--reset")
    if processes:
        command += ["--processes", str(processes)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    watched = psutil.Process(proc.pid)
    family: list = []
    samples: list[tuple[float, int]] = []
    start = time.perf_counter()
    tick = 0
    while proc.poll() is None:
        # RSS of the import process and of its reading process (the child list is looked up now and
        # then only: scanning /proc on every sample would take CPU from the import being measured).
        try:
            if tick % 10 == 0:
                family = watched.children(recursive=True)
            rss = watched.memory_info().rss
        except psutil.Error:
            break
        for sub in family:
            with contextlib.suppress(psutil.Error):
                rss += sub.memory_info().rss
        samples.append((time.perf_counter() - start, rss))
        tick += 1
        time.sleep(0.2)
    out = proc.stdout.read()
    if proc.returncode != 0:
        sys.exit(f"the import failed (exit {proc.returncode}):\n{out}")
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    data = json.loads(line[len("RESULT ") :])
    data["rss_samples"] = samples
    return data


def rss_curve(samples: list[tuple[float, int]]) -> str:
    """RSS at 10 %, 25 %, 50 %, 75 % and 100 % of the run: flat memory shows as equal numbers."""
    if not samples:
        return "-"
    end = samples[-1][0]
    points = []
    for share in (0.10, 0.25, 0.50, 0.75, 1.0):
        at = min(samples, key=lambda s: abs(s[0] - end * share))
        points.append(f"{int(share * 100)}%: {at[1] / 2**20:.0f}")
    return ", ".join(points) + " MB"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="only the first N records")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temporary PUSTAKA_HOME)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--reset", action="store_true", help="empty the catalogue of --database-url first")
    parser.add_argument(
        "--processes",
        type=int,
        choices=[1, 2],
        help="1: read and write in one process; default: as the command chooses",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.batch_size, args.reset, args.processes)
        return

    source = fetch()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="pustaka-bench-"))
    try:
        path = first_records(source, args.limit, work) if args.limit else source
        records, parse_seconds = bare_parse(path)
        result = run_import(
            path,
            database_url=args.database_url,
            batch_size=args.batch_size,
            reset=args.reset,
            home=work / "home",
            processes=args.processes,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    parse_rate = records / parse_seconds
    seconds = result["seconds"]
    imported = result["created"] + result["updated"] + result["rejected"]
    import_rate = imported / seconds
    ratio = import_rate / parse_rate
    peak = max((s[1] for s in result["rss_samples"]), default=0)
    peak = max(peak, result["maxrss_kb"] * 1024)
    full = not args.limit
    lines = [
        f"Pustaka MARC import benchmark, {dt.datetime.now().isoformat(timespec='seconds')}",
        f"machine: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores,"
        f" load average {load_before:.2f} before and {os.getloadavg()[0]:.2f} after, {platform.platform()}",
        f"file: {SOURCE.name}{f' (first {args.limit} records)' if args.limit else ''}",
        f"database: {result['database']}"
        + (f" ({result['database_bytes'] / 2**20:.0f} MB after import)" if result["database_bytes"] else "")
        + f", batch size {args.batch_size}, processes {result['processes']}",
        f"records:              {records}",
        f"bare parse (pymarc):  {parse_rate:,.0f} rec/s ({parse_seconds:.1f} s)",
        f"import:               {import_rate:,.0f} rec/s ({seconds:.1f} s) created {result['created']},"
        f" updated {result['updated']}, rejected {result['rejected']}",
        f"import seconds:       {seconds:.1f}",
        f"ratio import/parse:   {ratio:.1%}",
        f"peak RSS (import):    {peak / 2**20:.0f} MB (import process + its reading process);"
        f" over the run {rss_curve(result['rss_samples'])}",
    ]
    if full:
        lines.append(
            ("targets (set for SQLite): " if result["database"] != "sqlite" else "targets: ")
            + f"250k in < {TARGET_SECONDS} s: {'met' if seconds < TARGET_SECONDS else 'NOT met'};"
            f" >= {TARGET_RATIO:.0%} of bare parse: {'met' if ratio >= TARGET_RATIO else 'NOT met'}"
        )
    text = "\n".join(lines) + "\n"
    print(text, end="")
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"import-marc-{dt.date.today().isoformat()}"
    if args.limit:
        name += f"-first{args.limit}"
    if result["database"] != "sqlite":
        name += f"-{result['database']}"
    with open(RESULTS / f"{name}.txt", "a", encoding="utf-8") as out:
        out.write(text + "\n")


if __name__ == "__main__":
    main()

"""Benchmark: fixity throughput on 2 GB of stored files next to ``sha256sum`` on the same files.

    python bench/fixity.py [--files 40] [--mb 50] [--rounds 3]

Builds a temporary PUSTAKA_HOME (SQLite), writes ``--files`` files of ``--mb`` MB of random bytes into
the content-addressed store and creates their StoredFile rows directly (allowed in a bench). The page
cache cannot be dropped here, so ``sha256sum`` runs once first to warm it; then each round alternates:

- ``sha256sum`` over every file, one process (the usual way to run it);
- ``sha256sum`` in two processes (``xargs -P2``), the fair comparison for two cores;
- ``pustaka fixity`` as the worker runs it (``run_fixity``: hashing, one FixityCheck per file, state
  updates, the audit event), with 1 and with 2 hashing threads.

Prints MB/s (10^6 bytes per second) per round, the best round of each, and the ratios; writes them to
bench/results/fixity-<date>.txt.
"""

import argparse
import datetime as dt
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"


def setup(home: str):
    os.environ["PUSTAKA_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def make_files(count: int, mb: int) -> list[Path]:
    from django.conf import settings

    from pustaka.digital.models import StoredFile

    store = Path(settings.PUSTAKA_FILES_DIR)
    rows, paths = [], []
    size = mb * 1_000_000
    for n in range(count):
        data = os.urandom(size)
        sha = hashlib.sha256(data).hexdigest()
        path = store / sha[:2] / sha[2:4] / sha
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
        rows.append(StoredFile(sha256=sha, size=size, mime_type="application/octet-stream", original_name=f"f{n}.bin"))
    StoredFile.objects.bulk_create(rows)
    return paths


def time_sha256sum(paths: list[Path], processes: int = 1) -> float:
    started = time.perf_counter()
    if processes == 1:
        subprocess.run(["sha256sum", *map(str, paths)], check=True, stdout=subprocess.DEVNULL)
    else:
        subprocess.run(
            ["xargs", "-0", f"-P{processes}", "-n", str(max(1, len(paths) // processes)), "sha256sum"],
            input=b"\0".join(str(p).encode() for p in paths),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return time.perf_counter() - started


def time_fixity(workers: int) -> tuple[float, object]:
    from pustaka.digital.actions.preservation import run_fixity

    started = time.perf_counter()
    run = run_fixity(actor=None, workers=workers, notify=False)
    seconds = time.perf_counter() - started
    assert run.ok == run.checked, run.as_dict()
    return seconds, run


def _links_libcrypto() -> str:
    done = subprocess.run(["ldd", shutil.which("sha256sum") or "sha256sum"], capture_output=True, text=True)
    return "yes" if "libcrypto" in done.stdout else "no"


def _has_sha_ni() -> str:
    try:
        return "yes" if " sha_ni" in Path("/proc/cpuinfo").read_text() else "no"
    except OSError:
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="pustaka-bench-fixity-")
    try:
        setup(home)
        print(f"Writing {args.files} files × {args.mb} MB of random bytes into {home}/files …", flush=True)
        paths = make_files(args.files, args.mb)
        total = args.files * args.mb * 1_000_000
        time_sha256sum(paths)  # warm the page cache

        series: dict[str, list[float]] = {
            "sha256sum": [],
            "sha256sum x2": [],
            "fixity 1 thread": [],
            "fixity 2 threads": [],
        }
        for n in range(1, args.rounds + 1):
            series["sha256sum"].append(total / 1e6 / time_sha256sum(paths))
            series["sha256sum x2"].append(total / 1e6 / time_sha256sum(paths, processes=2))
            series["fixity 1 thread"].append(total / 1e6 / time_fixity(1)[0])
            series["fixity 2 threads"].append(total / 1e6 / time_fixity(2)[0])
            print(f"round {n}: " + ", ".join(f"{k} {v[-1]:.0f} MB/s" for k, v in series.items()), flush=True)

        from django.db import connection

        from pustaka.digital.models import FixityCheck

        sha_version = subprocess.run(["sha256sum", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        best = {k: max(v) for k, v in series.items()}
        median = {k: statistics.median(v) for k, v in series.items()}
        lines = [
            f"Fixity benchmark, {dt.date.today().isoformat()}",
            f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"OpenSSL {__import__('ssl').OPENSSL_VERSION}",
            f"sha256sum: {sha_version}",
            f"data: {args.files} files × {args.mb} MB = {total / 1e9:.2f} GB random bytes, page cache warm "
            f"(cannot drop caches here); database {connection.vendor}",
            f"load average at the end (other processes share the machine): {os.getloadavg()[0]:.1f}",
            f"command: python bench/fixity.py --files {args.files} --mb {args.mb} --rounds {args.rounds}",
            f"fixity checks recorded: {FixityCheck.objects.count()} ({args.rounds * 2} runs × {args.files} files)",
            "",
            f"{'':18} {'best MB/s':>10} {'median MB/s':>12}   rounds",
        ]
        for key in series:
            rounds = ", ".join(f"{v:.0f}" for v in series[key])
            lines.append(f"{key:18} {best[key]:10.0f} {median[key]:12.0f}   {rounds}")
        lines += [
            "",
            f"fixity 1 thread  / sha256sum (1 process):   {best['fixity 1 thread'] / best['sha256sum']:.0%} (best), "
            f"{median['fixity 1 thread'] / median['sha256sum']:.0%} (median)",
            f"fixity 2 threads / sha256sum (1 process):   {best['fixity 2 threads'] / best['sha256sum']:.0%} (best), "
            f"{median['fixity 2 threads'] / median['sha256sum']:.0%} (median)",
            f"fixity 2 threads / sha256sum (2 processes): "
            f"{best['fixity 2 threads'] / best['sha256sum x2']:.0%} (best), "
            f"{median['fixity 2 threads'] / median['sha256sum x2']:.0%} (median)",
            "target: fixity ≥ 90 % of sha256sum",
            "",
            "notes:",
            "- the page cache cannot be dropped here; both tools read warm files, rounds alternate the tools so",
            "  a busy machine (other builds share it: see the load average) affects them alike.",
            f"- sha256sum links libcrypto: {_links_libcrypto()}; CPU SHA extensions (sha_ni): {_has_sha_ni()}.",
            "  Python's hashlib uses OpenSSL, which uses them when present; Debian's coreutils does not.",
            "- 'fixity' is the whole job as the worker runs it: hashing, one FixityCheck row per file, the",
            "  state updates and the audit event (SQLite).",
        ]
        text = "\n".join(lines)
        print()
        print(text)
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"fixity-{dt.date.today().isoformat()}.txt"
        out.write_text(text + "\n")
        print(f"\nwritten to {out}")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Benchmark and check: the servers always start and always stop.

    python bench/serve_start.py [--starts 20] [--ready-within 10] [--stop-within 5]
                                [--only serve,worker,sip2] [--database-url postgres://...]

Builds one demo home (``pustaka init --demo``; on PostgreSQL with ``--database-url``), then, for each
program, starts it ``--starts`` times as a user would (a fresh ``pustaka`` process each time, every
start on a copy of the demo home so no start inherits the last one's index):

- ``pustaka serve``: ready when ``/health`` answers 200 and a search page answers 200 (a worker has
  opened the index while the indexer writes it); then SIGTERM, stopped when the process has exited.
  While it runs, no web worker may hold a descriptor of a file in the index folder's lock files.
- ``pustaka worker``: ready when its indexer has applied the whole change log (the index's stored
  sequence reaches the log's last row); then SIGTERM.
- ``pustaka sip2``: ready when a self-check status message (99) gets its answer (98); then SIGTERM.
- ``pustaka demo`` (only when asked: ``--only demo``): on an empty home, loads the demo library,
  builds the index in the same process and then serves; checked like ``serve``.

Prints each start's time to ready and time to stop, and exits 1 if any start was not ready within
``--ready-within`` seconds or any stop took longer than ``--stop-within`` seconds (``.ci/run`` runs
it). Writes the figures to bench/results/serve-start-<date>.txt.
"""

import argparse
import datetime as dt
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
PUSTAKA = str(Path(sys.executable).with_name("pustaka"))
LOCK_FILES = (".tantivy-meta.lock", ".tantivy-writer.lock", ".pustaka-writer.lock")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_for(home: Path, database_url: str | None) -> dict:
    env = {**os.environ, "PUSTAKA_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def build_demo(home: Path, database_url: str | None) -> None:
    if database_url:
        reset_postgres(database_url)
    subprocess.run([PUSTAKA, "init", "--demo"], env=env_for(home, database_url), check=True, stdout=subprocess.DEVNULL)


def reset_postgres(database_url: str) -> None:
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def fresh_copy(demo: Path, into: Path) -> Path:
    """A copy of the demo home whose index is empty, so the indexer has the whole log to apply."""
    home = into / "home"
    shutil.copytree(demo, home)
    shutil.rmtree(home / "index", ignore_errors=True)
    return home


def http_ok(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return []
    return [int(p) for p in out.split()]


def lock_descriptors(pid: int, index: Path) -> list[str]:
    """Descriptors of ``pid`` that point at one of the index's lock files."""
    held = []
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        for fd in fd_dir.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith(str(index)) and Path(target).name in LOCK_FILES:
                held.append(target)
    except OSError:
        pass
    return held


def stop(proc: subprocess.Popen, limit: float) -> float:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=max(limit * 3, 15))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return float("inf")
    return time.monotonic() - started


def start_serve(home: Path, env: dict, limit: float) -> tuple[subprocess.Popen, float | None, list[str]]:
    port = free_port()
    proc = subprocess.Popen(
        [PUSTAKA, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    started = time.monotonic()
    base = f"http://127.0.0.1:{port}"
    ready = None
    while time.monotonic() - started < limit:
        if proc.poll() is not None:
            break
        if http_ok(f"{base}/health", 2) and http_ok(f"{base}/?q=sejarah", 5):
            ready = time.monotonic() - started
            break
        time.sleep(0.1)
    problems = []
    if ready is not None:
        for worker in children(proc.pid):
            if held := lock_descriptors(worker, home / "index"):
                problems.append(f"process {worker} holds {', '.join(sorted(set(held)))}")
    return proc, ready, problems


def start_worker(home: Path, env: dict, limit: float) -> tuple[subprocess.Popen, float | None, list[str]]:
    import sqlite3

    proc = subprocess.Popen([PUSTAKA, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    last = None
    if "DATABASE_URL" not in env:
        with sqlite3.connect(home / "pustaka.sqlite3") as db:
            last = db.execute("SELECT max(id) FROM search_changelog").fetchone()[0]
    ready = None
    while time.monotonic() - started < limit:
        if proc.poll() is not None:
            break
        applied = applied_sequence(home, env)
        if applied is not None and (last is None or applied >= last):
            ready = time.monotonic() - started
            break
        time.sleep(0.2)
    return proc, ready, []


def applied_sequence(home: Path, env: dict) -> int | None:
    """Ask a separate Python for the index's stored sequence (the bench itself never opens it)."""
    code = (
        "import tantivy,sys\n"
        "from pathlib import Path\n"
        "p=Path(sys.argv[1])\n"
        "if not (p/'meta.json').exists(): print(-1); raise SystemExit\n"
        "from pustaka.search import engine\n"
        "print(engine._read_sequence(tantivy.Index.open(str(p))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(home / "index")], env=env, capture_output=True, text=True, timeout=10
    )
    try:
        value = int(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    return value if value > 0 else None


def start_sip2(home: Path, env: dict, limit: float) -> tuple[subprocess.Popen, float | None, list[str]]:
    port = free_port()
    proc = subprocess.Popen(
        [PUSTAKA, "sip2", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    started = time.monotonic()
    ready = None
    while time.monotonic() - started < limit:
        if proc.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                sock.sendall(b"9900302.00\r")
                sock.settimeout(5)
                if sock.recv(1024).startswith(b"98"):
                    ready = time.monotonic() - started
                    break
        except OSError:
            pass
        time.sleep(0.1)
    return proc, ready, []


def start_demo(home: Path, env: dict, limit: float) -> tuple[subprocess.Popen, float | None, list[str]]:
    """``pustaka demo`` on an empty home, as the README's first command runs it: init, load the demo,
    build the index, serve. Its time to ready includes loading the demo (``--demo-ready-within``)."""
    empty = home.parent / "empty-home"
    empty.mkdir()
    env = {**env, "PUSTAKA_HOME": str(empty)}
    port = free_port()
    proc = subprocess.Popen(
        [PUSTAKA, "demo", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    started = time.monotonic()
    base = f"http://127.0.0.1:{port}"
    ready = None
    while time.monotonic() - started < limit:
        if proc.poll() is not None:
            break
        if http_ok(f"{base}/health", 2) and http_ok(f"{base}/?q=sejarah", 5):
            ready = time.monotonic() - started
            break
        time.sleep(0.2)
    problems = []
    if ready is not None:
        for worker in children(proc.pid):
            if held := lock_descriptors(worker, empty / "index"):
                problems.append(f"process {worker} holds {', '.join(sorted(set(held)))}")
    return proc, ready, problems


PROGRAMS = {"serve": start_serve, "worker": start_worker, "sip2": start_sip2, "demo": start_demo}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=20)
    parser.add_argument("--ready-within", type=float, default=10.0)
    parser.add_argument("--stop-within", type=float, default=5.0)
    parser.add_argument("--only", default="serve,worker,sip2")
    parser.add_argument("--demo-ready-within", type=float, default=180.0, help="pustaka demo loads the demo first")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    lines = [f"# pustaka start/stop, {dt.datetime.now():%Y-%m-%d %H:%M}, {args.starts} starts each"]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="pustaka-start-") as tmp:
        demo = Path(tmp) / "demo"
        build_demo(demo, args.database_url)
        for name in [n.strip() for n in args.only.split(",") if n.strip()]:
            starter = PROGRAMS[name]
            readies, stops, bad = [], [], 0
            for attempt in range(1, args.starts + 1):
                with tempfile.TemporaryDirectory(prefix="start-", dir=tmp) as run:
                    home = fresh_copy(demo, Path(run))
                    env = env_for(home, args.database_url)
                    limit = args.demo_ready_within if name == "demo" else args.ready_within
                    proc, ready, problems = starter(home, env, limit)
                    took = stop(proc, args.stop_within)
                    ok = ready is not None and took <= args.stop_within and not problems
                    readies.append(ready if ready is not None else float("inf"))
                    stops.append(took)
                    shown_ready = f"{ready:.2f} s" if ready is not None else "NOT READY"
                    line = f"{name} start {attempt:2}: ready {shown_ready}, stopped in {took:.2f} s"
                    if problems:
                        line += "; " + "; ".join(problems)
                    if not ok:
                        bad += 1
                        line += "  <-- FAILED"
                    print(line, flush=True)
            good = [r for r in readies if r != float("inf")]
            summary = (
                f"{name}: {args.starts - bad} of {args.starts} good; ready median "
                f"{statistics.median(good) if good else float('nan'):.2f} s, max {max(readies):.2f} s; "
                f"stop median {statistics.median(stops):.2f} s, max {max(stops):.2f} s"
            )
            print(summary, flush=True)
            lines.append(summary)
            failures += bad
    RESULTS.mkdir(exist_ok=True)
    suffix = "-postgresql" if args.database_url else ""
    if args.only != "serve,worker,sip2":
        suffix += "-" + args.only.replace(",", "-")
    (RESULTS / f"serve-start-{dt.date.today():%Y-%m-%d}{suffix}.txt").write_text("\n".join(lines) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

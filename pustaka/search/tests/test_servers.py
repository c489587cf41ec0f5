"""The index writer never lives in a process that forks, and no index lock crosses a fork.

The first wave's production server hung on about 4 starts in 10: the indexer thread ran in gunicorn's
master, so workers forked while it held the index's file locks. These tests start the real programs
(``bench/serve_start.py`` starts them 20 times each in ``.ci/run``).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from pustaka.search import engine

PUSTAKA = str(Path(sys.executable).with_name("pustaka"))


def lock_descriptors(pid: int | str, folder: Path) -> list[str]:
    """The lock files of the index ``folder`` that process ``pid`` holds a descriptor of."""
    held = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if os.path.dirname(target) == str(folder.resolve()) and os.path.basename(target) in engine.LOCK_FILES:
            held.append(os.path.basename(target))
    return sorted(held)


def test_a_forked_child_holds_no_descriptor_of_the_writers_locks(db, index_dir):
    with engine.Indexer(index_dir) as indexer:
        assert indexer.writer is not None
        assert engine.LOCK_NAME in lock_descriptors("self", index_dir)  # the writer holds its lock
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            os.close(read)
            held = ",".join(lock_descriptors("self", index_dir))
            usable = "writer" if indexer.writer is not None else "none"
            os.write(write, f"{held}|{usable}".encode())
            os._exit(0)
        os.close(write)
        answer = os.read(read, 1000).decode()
        os.close(read)
        os.waitpid(child, 0)
        held, usable = answer.split("|")
        assert held == ""  # neither our lock nor tantivy's crossed the fork
        assert usable == "none"  # the child cannot write with the parent's writer
        assert engine.LOCK_NAME in lock_descriptors("self", index_dir)  # the parent still holds it
    # The parent's lock was never lost: another writer can take it only now.
    with engine.Indexer(index_dir):
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server_home(tmp_path_factory):
    """A library home made by ``pustaka init`` on its own SQLite database (the server under test runs
    in other processes, so it cannot use the test database)."""
    home = tmp_path_factory.mktemp("served-home")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["PUSTAKA_HOME"] = str(home)  # a production process: not in test mode, not on the test database
    subprocess.run([PUSTAKA, "init", "--admin-password", "served-password"], env=env, check=True, capture_output=True)
    return home, env


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except OSError:
        return 0, ""


def wait_for(check, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    return None


def child_pids(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_serve_runs_the_indexer_as_its_own_program_and_stops_it(server_home):
    home, env = server_home
    port = free_port()
    server = subprocess.Popen(
        [PUSTAKA, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: get(f"{base}/health")[0] == 200), "the server never answered /health"
        kids = wait_for(lambda: (k := child_pids(server.pid)) and len(k) >= 3 and k)
        assert kids, "gunicorn's master has no indexer and two workers"
        indexers = [pid for pid in kids if "reindex --follow" in command_of(pid)]
        workers = [pid for pid in kids if pid not in indexers]
        assert len(indexers) == 1 and len(workers) == 2

        # A record catalogued now (another process, as a librarian would) becomes searchable: the
        # indexer program follows the change log while the web workers only read.
        subprocess.run(
            [
                PUSTAKA,
                "manage",
                "shell",
                "-c",
                "from pustaka.core.models import User; from pustaka.catalog.actions import create_record;"
                " create_record(actor=User.objects.get(username='admin'), title='Hikayat pelanduk jenaka')",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        query = urllib.parse.urlencode({"q": "pelanduk"})
        assert wait_for(lambda: "Hikayat pelanduk jenaka" in get(f"{base}/?{query}")[1]), "the edit never showed"

        index = home / "index"
        # The indexer holds the writer's locks (it stands by a moment when another process briefly has
        # them, as the shell above may have had)...
        assert wait_for(lambda: lock_descriptors(indexers[0], index)), "the indexer never took the writer"
        for worker in workers:
            assert lock_descriptors(worker, index) == []  # ...and no web worker holds any of them
        assert lock_descriptors(server.pid, index) == []  # nor the master that forks them
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            pytest.fail("pustaka serve did not stop on SIGTERM")
    assert server.returncode == 0
    assert wait_for(lambda: all(not Path(f"/proc/{pid}").exists() for pid in kids), 10), "a child outlived serve"


def test_worker_runs_the_indexer_as_its_own_program_and_stops_it(server_home):
    home, env = server_home
    worker = subprocess.Popen([PUSTAKA, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        indexer = wait_for(
            lambda: next((p for p in child_pids(worker.pid) if "reindex --follow" in command_of(p)), None)
        )
        assert indexer, "pustaka worker started no indexer program"
        assert wait_for(lambda: lock_descriptors(indexer, home / "index")), "the indexer never took the writer"
        assert lock_descriptors(worker.pid, home / "index") == []
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            pytest.fail("pustaka worker did not stop on SIGTERM")
    assert wait_for(lambda: not Path(f"/proc/{indexer}").exists(), 10), "the indexer outlived the worker"

"""Two ``pustaka serve`` nodes and a worker on one PostgreSQL database, each node with its own home and
index replica: an edit through node A's API is found searching node B; B stopped, an edit, B started
again catches up from the log; the log is pruned once every replica has passed it; a replica silent past
the timeout is dropped, the log is pruned past it, and it rebuilds its index when it returns.

Real programs, real PostgreSQL (database ``pustaka_nodes`` at 127.0.0.1:5432, created and dropped here)
and Redis (a private ``redis-server`` on a free port, else db 7 of 127.0.0.1:6379). Skipped only when
PostgreSQL is not there. How long an edit takes to reach the other node is printed (``-s`` shows it);
``bench/`` measures speed, the test only that it happens.
"""

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

PUSTAKA = str(Path(sys.executable).with_name("pustaka"))
SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
DATABASE = "pustaka_nodes"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"


def _postgres(dbname="postgres"):
    import psycopg

    return psycopg.connect(dbname=dbname, connect_timeout=3, autocommit=True, **SERVER)


def _postgres_is_there() -> bool:
    try:
        _postgres().close()
        return True
    except Exception:  # noqa: BLE001 - any failure means: no server to test against
        return False


pytestmark = pytest.mark.skipif(not _postgres_is_there(), reason="PostgreSQL is not running at 127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, seconds: float = 60.0, pause: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(pause)
    return None


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def api(base: str, method: str, path: str, token: str, body: dict) -> dict:
    request = urllib.request.Request(
        f"{base}/api/v1{path}",
        data=json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def sql(query: str, *params):
    with _postgres(DATABASE) as connection:
        cursor = connection.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"{process.args} did not stop on SIGTERM")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The shared database and Redis, and a way to start nodes; everything is stopped and dropped after."""
    lock = open("/tmp/pustaka-nodes-test.lock", "w")  # noqa: SIM115 - one run of this test at a time
    fcntl.flock(lock, fcntl.LOCK_EX)
    admin = _postgres()
    admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {DATABASE}")
    redis = None
    if shutil.which("redis-server"):
        redis_port = free_port()
        redis = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
    else:
        redis_url = "redis://127.0.0.1:6379/7"
    root = tmp_path_factory.mktemp("nodes")
    base = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_") and k != "DJANGO_SETTINGS_MODULE"}
    base |= {
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": redis_url,
        "PUSTAKA_SECRET_KEY": "nodes-test-" + "k" * 40,  # every node of a library shares the key
        "PUSTAKA_CHANGELOG_KEEP_SECONDS": "0",
        "PUSTAKA_CHANGELOG_PRUNE_EVERY": "1",
        "PUSTAKA_REPLICA_HEARTBEAT": "0.5",
        "PUSTAKA_REPLICA_TIMEOUT": "3600",
        "PUSTAKA_DB_CONN_MAX_AGE": "0",
    }

    def env(name: str) -> dict:
        return base | {"PUSTAKA_HOME": str(root / name), "PUSTAKA_NODE_NAME": name}

    started = []

    def serve(name: str, port: int) -> subprocess.Popen:
        process = subprocess.Popen(
            [PUSTAKA, "serve", "--port", str(port), "--workers", "1", "--threads", "4"],
            env=env(name),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        assert wait_for(lambda: get(f"http://127.0.0.1:{port}/health")[0] == 200, 90), f"{name} never answered"
        return process

    def worker() -> subprocess.Popen:
        process = subprocess.Popen(
            [PUSTAKA, "worker"], env=env("worker"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        started.append(process)
        return process

    init = subprocess.run(
        [PUSTAKA, "init", "--admin-password", "nodes-password"], env=env("node-a"), capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    subprocess.run([PUSTAKA, "init"], env=env("node-b"), check=True, capture_output=True)
    token = subprocess.run(
        [PUSTAKA, "api-token", "admin"], env=env("node-a"), check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    try:
        yield {"serve": serve, "worker": worker, "token": token, "redis_url": redis_url}
    finally:
        for process in reversed(started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if redis is not None:
            redis.terminate()
            redis.wait(10)
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.close()
        lock.close()


def finds(base: str, word: str, title: str) -> bool:
    status, html = get(f"{base}/?{urllib.parse.urlencode({'q': word})}")
    return status == 200 and title in html


def replica(name: str) -> dict:
    rows = sql("SELECT sequence, dropped_at, rebuilds FROM search_indexreplica WHERE name = %s", name)
    return dict(zip(("sequence", "dropped_at", "rebuilds"), rows[0], strict=True)) if rows else {}


def log_end() -> int:
    return sql("SELECT COALESCE(MAX(id), 0) FROM search_changelog")[0][0]


def pruned_through() -> int:
    return sql("SELECT COALESCE(MAX(through), 0) FROM search_changelogprune")[0][0]


def test_two_nodes_and_a_worker_search_the_same_library(cluster):
    port_a, port_b = free_port(), free_port()
    node_a, node_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    cluster["serve"]("node-a", port_a)
    b = cluster["serve"]("node-b", port_b)
    worker = cluster["worker"]()
    for name in ("node-a", "node-b", "worker"):  # each index replica registers under its node's name
        assert wait_for(lambda name=name: replica(name), 60), f"{name} never registered its replica"

    # An edit through node A's API is found searching node B.
    token = cluster["token"]
    record = api(node_a, "POST", "/records", token, {"title": "Hikayat Hang Tuah", "language": "ind"})
    started = time.monotonic()
    assert wait_for(lambda: finds(node_b, "tuah", "Hikayat Hang Tuah")), "node B never found node A's record"
    print(f"\nnew record on node A found on node B after {time.monotonic() - started:.2f} s")
    api(node_a, "PATCH", f"/records/{record['id']}", token, {"title": "Hikayat Hang Jebat"})
    started = time.monotonic()
    assert wait_for(lambda: finds(node_b, "jebat", "Hikayat Hang Jebat")), "node B never saw the edit"
    print(f"edit on node A found on node B after {time.monotonic() - started:.2f} s")
    assert not finds(node_b, "tuah", "Hikayat Hang Tuah")
    assert finds(node_a, "jebat", "Hikayat Hang Jebat")

    # Node B stops; an edit meanwhile; B started again catches up from its own sequence.
    stop(b)
    b_sequence = replica("node-b")["sequence"]
    api(node_a, "PATCH", f"/records/{record['id']}", token, {"title": "Syair Siti Zubaidah"})
    assert wait_for(lambda: finds(node_a, "zubaidah", "Syair Siti Zubaidah"))
    assert log_end() > b_sequence
    time.sleep(2.5)  # node A prunes every second: B's sequence holds the horizon, its rows stay
    assert sql("SELECT COUNT(*) FROM search_changelog WHERE id > %s", b_sequence)[0][0] >= 1
    b = cluster["serve"]("node-b", port_b)
    assert wait_for(lambda: finds(node_b, "zubaidah", "Syair Siti Zubaidah")), "node B did not catch up"
    assert replica("node-b")["rebuilds"] == 0  # it followed the log, it did not rebuild

    # Pruned once every replica (both nodes and the worker's) has passed the rows.
    end = log_end()
    assert wait_for(lambda: all(replica(n)["sequence"] >= end for n in ("node-a", "node-b", "worker")), 30)
    assert wait_for(lambda: pruned_through() >= end, 30), "the change log was never pruned"
    assert sql("SELECT COUNT(*) FROM search_changelog WHERE id <= %s", end)[0][0] == 0

    # Node B is silent past the timeout: dropped from the horizon, the log is pruned past it, and on its
    # return it rebuilds its index from the database.
    stop(b)
    b_sequence = replica("node-b")["sequence"]
    sql("UPDATE search_indexreplica SET heartbeat_at = NOW() - INTERVAL '2 hours' WHERE name = 'node-b'")
    api(node_a, "PATCH", f"/records/{record['id']}", token, {"title": "Babad Diponegoro"})
    assert wait_for(lambda: replica("node-b")["dropped_at"] is not None, 30), "node B was never dropped"
    assert wait_for(lambda: pruned_through() > b_sequence, 30), "the log was not pruned past the dropped node"
    b = cluster["serve"]("node-b", port_b)
    assert wait_for(lambda: finds(node_b, "diponegoro", "Babad Diponegoro")), "node B did not rebuild"
    assert not finds(node_b, "zubaidah", "Syair Siti Zubaidah")
    # Its indexer reports once the rebuild is done: back in the horizon, one rebuild counted.
    assert wait_for(lambda: (r := replica("node-b"))["dropped_at"] is None and r["rebuilds"] == 1, 30), replica(
        "node-b"
    )
    verbs = {row[0] for row in sql("SELECT verb FROM core_auditevent WHERE verb LIKE 'search.%%'")}
    assert {"search.replica.register", "search.replica.drop", "search.replica.rebuild"} <= verbs
    assert "search.changelog.prune" in verbs
    assert worker.poll() is None  # the worker ran throughout on the shared database and Redis

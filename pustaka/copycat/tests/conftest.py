"""Fixtures of the copy cataloguing tests: two real remote catalogues on this machine, never the internet.

- ``remote_sru``: Pustaka's own ``/sru``, served by ``pustaka serve`` from a second library home that
  holds the Library of Congress records of ``data/loc-copycat.mrc`` (the first carries an 856 cover link).
- ``zebra``: Index Data's Zebra (Debian ``idzebra-2.0``) serving the same records plus one in MARC-8
  (``data/loc-marc8.mrc``) over Z39.50, indexed with the stock MARC 21 profile plus ISBN (020).
- ``silent_server``: a port that accepts connections and never answers (a target that times out).
- ``closed_port``: a port where nothing listens (a target that is down).
"""

import socket
import threading

import pytest

from . import servers
from .servers import DATA, free_port

__all__ = ["DATA", "free_port"]

#: The records both servers hold: (ISBN-10 in the record, ISBN-13, title).
LOOM = ("0836932722", "9780836932720", "The loom of destiny")
MONK = ("0836931696", "9780836931693", "The monk and the dancer")
SHADOWINGS_MARC8 = ("0804809674", "9780804809672", "Shadowings")
COVER = "https://covers.example.org/0836932722.jpg"


@pytest.fixture(scope="session")
def remote_sru(tmp_path_factory):
    """The base URL of a second Pustaka's ``/sru`` (its own home and SQLite database, its own processes)."""
    try:
        with servers.remote_pustaka(tmp_path_factory.mktemp("remote-library")) as base_url:
            yield base_url
    except servers.ServerFailed as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def zebra(tmp_path_factory):
    """(host, port, database) of a local Zebra Z39.50 server holding the test records."""
    try:
        with servers.zebra(tmp_path_factory.mktemp("zebra")) as address:
            yield address
    except servers.ServerFailed as exc:
        pytest.fail(str(exc))


@pytest.fixture
def silent_server():
    """A port that accepts connections and never says a word (what a hung catalogue looks like)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


@pytest.fixture
def closed_port():
    return free_port()


@pytest.fixture
def sru_target(db, remote_sru):
    from pustaka.copycat.models import Target

    return Target.objects.create(name="Remote Pustaka", protocol="sru", base_url=remote_sru, timeout=10, priority=1)


@pytest.fixture
def z3950_target(db, zebra):
    from pustaka.copycat.models import Target

    host, port, database = zebra
    return Target.objects.create(
        name="Local Zebra", protocol="z3950", host=host, port=port, database=database, timeout=5, priority=2
    )

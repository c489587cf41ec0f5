"""The two real remote catalogues the copy cataloguing tests and ``bench/copycat.py`` search, on this machine.

- :func:`remote_pustaka`: a second Pustaka (its own home and SQLite database) holding the Library of
  Congress records of ``data/loc-copycat.mrc`` (the first carries an 856 cover link), serving ``/sru``
  with ``pustaka serve``.
- :func:`zebra`: Index Data's Zebra (Debian ``idzebra-2.0``) serving the same records plus one in
  MARC-8 (``data/loc-marc8.mrc``) over Z39.50, indexed with the stock MARC 21 profile plus ISBN (020).

Both are context managers that stop their server on the way out; a set-up step that fails raises
:class:`ServerFailed` with what the command printed.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
PUSTAKA = str(Path(sys.executable).with_name("pustaka"))
ZEBRA_TAB = Path("/usr/share/idzebra-2.0/tab")
ZEBRA_MODULES = Path("/usr/lib/x86_64-linux-gnu/idzebra-2.0/modules")


class ServerFailed(RuntimeError):
    """A test server could not be set up or never answered."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, seconds: float = 90.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    return None


def accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _health(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def run(command: list[str], **kwargs) -> None:
    """Run a set-up command; when it fails, say what it printed (not only its exit status)."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode:
        tail = f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        raise ServerFailed(f"{' '.join(command)} failed ({done.returncode}):\n{tail}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def remote_pustaka(home: Path, *, port: int | None = None):
    """Yield the base URL of a second Pustaka's ``/sru`` built in ``home``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["PUSTAKA_HOME"] = str(home)
    run([PUSTAKA, "init", "--admin-password", "remote-password"], env=env)
    run([PUSTAKA, "import-marc", str(DATA / "loc-copycat.mrc")], env=env)
    run([PUSTAKA, "reindex"], env=env)
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    for attempt in (1, 2):  # a second time when the code's migrations changed under a running checkout
        log = open(Path(home) / "serve.log", "wb")  # noqa: SIM115 (closed below)
        server = subprocess.Popen(
            [PUSTAKA, "serve", "--port", str(port), "--workers", "1"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        if wait_for(lambda s=server: s.poll() is not None or _health(f"{base}/health")) and server.poll() is None:
            break
        stop(server)
        log.close()
        said = (Path(home) / "serve.log").read_text(errors="replace")
        if attempt == 2 or "not up to date" not in said:
            raise ServerFailed(f"the remote Pustaka never answered /health:\n{said[-3000:]}")
        run([PUSTAKA, "init", "--admin-password", "remote-password"], env=env)
    try:
        yield f"{base}/sru"
    finally:
        stop(server)
        log.close()


@contextlib.contextmanager
def zebra(folder: Path, *, port: int | None = None):
    """Yield (host, port, database) of a local Zebra Z39.50 server holding the test records."""
    if not shutil.which("zebrasrv") or not shutil.which("zebraidx"):
        raise ServerFailed("Debian's idzebra-2.0 is needed (./dev test installs it): apt-get install idzebra-2.0")
    folder = Path(folder)
    for name in ("tab", "register", "records"):
        (folder / name).mkdir(exist_ok=True)
    abs_text = (ZEBRA_TAB / "marc21.abs").read_text() + "melm 020\t\tISBN\nmelm 001\t\tLocal-number\n"
    (folder / "tab" / "marc21.abs").write_text(abs_text)
    for name in ("loc-copycat.mrc", "loc-marc8.mrc"):
        shutil.copy(DATA / name, folder / "records" / name)
    (folder / "zebra.cfg").write_text(
        f"profilePath: {folder / 'tab'}:{ZEBRA_TAB}\n"
        f"modulePath: {ZEBRA_MODULES}\n"
        "attset: bib1.att\nattset: explain.att\n"
        "recordType: grs.marcxml.marc21\n"
        f"register: {folder / 'register'}:20M\n"
        f"lockDir: {folder / 'register'}\nkeyTmpDir: {folder / 'register'}\n"
        "database: LCDB\n"
    )
    run(["zebraidx", "-c", "zebra.cfg", "-d", "LCDB", "update", "records"], cwd=folder)
    port = port or free_port()
    server = subprocess.Popen(
        ["zebrasrv", "-c", "zebra.cfg", f"tcp:127.0.0.1:{port}"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_for(lambda: accepts(port), 20):
            raise ServerFailed("zebrasrv never listened")
        yield "127.0.0.1", port, "LCDB"
    finally:
        stop(server)

"""Fixtures of the preservation tests (fixity, link checks, backups); imported by those test modules.

(Not in conftest.py: three helpers share this app's tests folder.)
"""

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@pytest.fixture
def store(settings, tmp_path):
    """A private content-addressed store for the test."""
    settings.PUSTAKA_FILES_DIR = tmp_path / "files"
    settings.PUSTAKA_FILES_DIR.mkdir(exist_ok=True)
    return settings.PUSTAKA_FILES_DIR


@pytest.fixture
def make_stored_file(db, store):
    """``make_stored_file(b"bytes", name="x.pdf")``: the bytes in the store and their StoredFile row."""
    from pustaka.digital.models import StoredFile

    def make(content: bytes, name: str = "file.pdf", **fields):
        sha = hashlib.sha256(content).hexdigest()
        path = store / sha[:2] / sha[2:4] / sha
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return StoredFile.objects.create(
            sha256=sha, size=len(content), mime_type="application/pdf", original_name=name, **fields
        )

    return make


def path_of(stored_file):
    from pustaka.digital.queries_preservation import file_path

    return file_path(stored_file)


def flip_a_byte(stored_file, offset: int = 10) -> None:
    """Damage a stored file in place: one bit of one byte changes."""
    path = path_of(stored_file)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture
def it_manager_with_email(it_manager):
    it_manager.email = "it@perpustakaan.example"
    it_manager.save(update_fields=["email"])
    return it_manager


class LinkHandler(BaseHTTPRequestHandler):
    """A little web site with every kind of link a checker meets."""

    seen: list = []

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status: int, headers: dict | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET" and body:
            self.wfile.write(body)

    def _route(self):
        self.seen.append((self.command, self.path, self.headers.get("User-Agent", "")))
        path = self.path
        if path == "/ok":
            return self._answer(200, body=b"hello " * 100)
        if path == "/missing":
            return self._answer(404)
        if path == "/error":
            return self._answer(500)
        if path == "/moved":
            return self._answer(301, {"Location": "/ok"})
        if path == "/moved-to-missing":
            return self._answer(308, {"Location": "/missing"})
        if path == "/temporary":
            return self._answer(302, {"Location": "/ok"})
        if path == "/loop":
            return self._answer(302, {"Location": "/loop"})
        if path == "/slow":
            time.sleep(2)
            return self._answer(200)
        if path == "/no-head":
            if self.command == "HEAD":
                return self._answer(405)
            return self._answer(200, body=b"x" * 100_000)
        if path == "/forbidden-head":
            return self._answer(403 if self.command == "HEAD" else 200, body=b"ok")
        return self._answer(404)

    do_HEAD = _route
    do_GET = _route


@pytest.fixture
def link_server():
    """A local HTTP server (never the internet); ``link_server.url("/ok")``; ``.seen`` requests."""
    LinkHandler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), LinkHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Site:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        seen = LinkHandler.seen

        def url(self, path: str) -> str:
            return self.base + path

    yield Site()
    server.shutdown()
    server.server_close()


@pytest.fixture
def make_linked(record):
    """``make_linked(url, kind="ejournal")``: an active resource with that remote link."""
    from pustaka.digital.models import DigitalResource

    def make(url: str, kind: str = "ejournal", **fields):
        return DigitalResource.objects.create(
            record=record, kind=kind, remote_url=url, label=fields.pop("label", url), **fields
        )

    return make

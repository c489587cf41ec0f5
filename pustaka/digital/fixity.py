"""Fixity: re-hashing stored files fast, without touching the database.

The hashing itself lives here (pure functions over paths); :mod:`pustaka.digital.actions.preservation`
picks the files, records the results and reports problems.

Speed: each worker thread reads with ``readinto`` into its own reusable 1 MiB buffer and feeds
``hashlib.sha256`` a memoryview (no copies); hashlib releases the GIL on large updates, so two threads
hash two files on two cores at once. ``posix_fadvise(SEQUENTIAL)`` asks the kernel for a large
read-ahead and ``DONTNEED`` afterwards keeps a nightly run from evicting the web server's cache.
``bench/fixity.py`` compares the throughput with ``sha256sum``.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .check_messages import NO_SUCH_FILE
from .choices import CheckOutcome

BUFFER_SIZE = 1 << 20  # 1 MiB reads
DEFAULT_WORKERS = 2

_local = threading.local()


def _buffer() -> memoryview:
    view = getattr(_local, "view", None)
    if view is None:
        view = _local.view = memoryview(bytearray(BUFFER_SIZE))
    return view


def sha256_of(path: str | os.PathLike, *, buffer: memoryview | None = None) -> tuple[str, int]:
    """The SHA-256 (hex) and size in bytes of the file at ``path``, read in 1 MiB blocks.

    Raises ``FileNotFoundError`` (or another ``OSError``) when the file cannot be read.
    """
    view = buffer if buffer is not None else _buffer()
    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        advise = getattr(os, "posix_fadvise", None)
        if advise is not None:
            advise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
        with open(fd, "rb", buffering=0, closefd=False) as stream:
            readinto = stream.readinto
            update = digest.update
            while True:
                n = readinto(view)
                if not n:
                    break
                update(view[:n])
                size += n
        if advise is not None:
            advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    return digest.hexdigest(), size


@dataclass(frozen=True)
class FileToCheck:
    """What a worker needs to check one file: its id, the hash it should have, where it lies.

    ``path`` for the local store; for a remote store (S3) ``path`` is None and the bytes are streamed
    through ``store.open(relative_path)``.
    """

    file_id: int
    expected_sha256: str
    path: Path | None
    relative_path: str = ""
    store: object = None


def _sha256_of_stream(stream) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with stream:
        while block := stream.read(BUFFER_SIZE):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


@dataclass(frozen=True)
class FixityResult:
    """What one re-hash found: ``ok``, ``changed`` (another hash), ``missing``, or ``error`` (unreadable)."""

    file_id: int
    expected_sha256: str
    outcome: str
    found_sha256: str = ""
    size: int = 0
    note: str = ""

    @property
    def is_problem(self) -> bool:
        return self.outcome != CheckOutcome.OK


def check_file(item: FileToCheck) -> FixityResult:
    """Re-hash one file and compare it with the hash it is named by."""
    try:
        if item.path is None:  # a remote store
            if not item.store.exists(item.relative_path):
                return FixityResult(item.file_id, item.expected_sha256, CheckOutcome.MISSING, note=NO_SUCH_FILE)
            found, size = _sha256_of_stream(item.store.open(item.relative_path))
        elif not item.path.is_file():
            return FixityResult(item.file_id, item.expected_sha256, CheckOutcome.MISSING, note=NO_SUCH_FILE)
        else:
            found, size = sha256_of(item.path)
    except FileNotFoundError:
        return FixityResult(item.file_id, item.expected_sha256, CheckOutcome.MISSING, note=NO_SUCH_FILE)
    except OSError as error:
        return FixityResult(item.file_id, item.expected_sha256, CheckOutcome.ERROR, note=str(error)[:300])
    outcome = CheckOutcome.OK if found == item.expected_sha256 else CheckOutcome.CHANGED
    return FixityResult(item.file_id, item.expected_sha256, outcome, found_sha256=found, size=size)


def check_files(items: Iterable[FileToCheck], *, workers: int = DEFAULT_WORKERS) -> Iterator[FixityResult]:
    """Check many files on ``workers`` threads; results come back in the order of ``items``."""
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        yield from map(check_file, items)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fixity") as pool:
        yield from pool.map(check_file, items)

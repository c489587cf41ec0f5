"""The readers (one per index folder, reloaded after a commit) and what a forked child inherits.

Web processes only read. A process that forks (gunicorn, a process pool) must not share its index
objects or a writer's lock with its children: ``_after_fork_in_child`` gives each child fresh readers
and disowns every writer it inherited (``Indexer._disown``).
"""

import os
import threading
from pathlib import Path

import tantivy

from .schema import _read_sequence, index_dir

_open_indexers: set = set()  # the writers open in this process (see _after_fork_in_child)

_readers: dict[str, list] = {}
_readers_lock = threading.Lock()
_inherited: list = []  # a parent's index objects in a forked child: kept, never used, never dropped


def _after_fork_in_child() -> None:
    """A forked child (a web worker of gunicorn, a process pool) starts with no index of its parent's:
    fresh readers, a fresh lock (another thread may have held it at the fork), and every writer it
    inherited closed on its side and refused, so no index lock lives on in two processes."""
    global _readers_lock
    _inherited.extend(entry[0] for entry in _readers.values())
    _readers.clear()
    _readers_lock = threading.Lock()
    for indexer in list(_open_indexers):
        indexer._disown()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _reader(path: Path | None = None) -> tantivy.Index | None:
    """The index of ``path``, reloaded when a commit changed ``meta.json``; None if there is no index yet."""
    path = Path(path or index_dir())
    meta = path / "meta.json"
    try:
        info = meta.stat()  # meta.json is replaced (new inode) on every commit
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
    except FileNotFoundError:
        return None
    key = str(path)
    with _readers_lock:
        entry = _readers.get(key)
        if entry is None:
            entry = _readers[key] = [tantivy.Index.open(key), stamp]
        elif entry[1] != stamp:
            entry[0].reload()
            entry[1] = stamp
        return entry[0]


def applied_sequence(path: Path | None = None) -> int | None:
    """The last change-log sequence stored in the index (None when there is no index)."""
    index = _reader(path)
    return None if index is None else _read_sequence(index)

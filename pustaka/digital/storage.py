"""The content-addressed file store: bytes named by their SHA-256, on disk or in S3.

A file is first *spooled*: streamed in chunks into a temporary file inside the store's own folder
while it is hashed and counted (a file over the size limit stops there). Then :meth:`FileStore.put`
moves it to ``<sha[:2]>/<sha[2:4]>/<sha>`` (``StoredFile.relative_path``) with an atomic rename,
so a reader never sees half a file. Paths are only ever built from a hash (checked by
:func:`check_relative_path`), never from a name someone sent.

The store is chosen by configuration, ``settings.STORAGES["files"]``: a file-system backend is
:class:`LocalFileStore` under ``settings.PUSTAKA_FILES_DIR``; any other Django storage backend, such as
django-storages' S3 (the ``pustaka[s3]`` extra, set up by ``PUSTAKA_S3_BUCKET`` and
``PUSTAKA_S3_ENDPOINT_URL``), is :class:`StorageFileStore`, which every node of a library shares.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from django.conf import settings

from .errors_ingest import EmptyFile, FileTooLarge

CHUNK_SIZE = 1024 * 1024
RELATIVE_PATH_RE = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$")
INCOMING = ".incoming"


def relative_path_for(sha256: str) -> str:
    """``ab/cd/abcd…`` for a SHA-256 hex digest (the only way a store path is made)."""
    return check_relative_path(f"{sha256[:2]}/{sha256[2:4]}/{sha256}")


def check_relative_path(relative_path: str) -> str:
    """Refuse anything that is not exactly a hash path (no ``..``, no absolute path, no other name)."""
    value = relative_path or ""
    if not RELATIVE_PATH_RE.match(value) or value[:2] != value[6:8] or value[3:5] != value[8:10]:
        raise ValueError(f"not a store path: {relative_path!r}")
    return relative_path


def max_bytes() -> int:
    """The upload limit from ``settings.PUSTAKA_MAX_FILE_MB``."""
    return int(settings.PUSTAKA_MAX_FILE_MB) * 1024 * 1024


def clean_name(name: str) -> str:
    """The name a file arrived with, kept for display only: the last path part, no control characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if name in {".", ".."}:
        name = ""
    return name[:255]


@dataclass
class Spooled:
    """A file streamed into the store's incoming folder: where it is, its hash and size."""

    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def incoming_dir() -> Path:
    folder = Path(settings.PUSTAKA_FILES_DIR) / INCOMING
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def spool(source: BinaryIO | Path | str, *, limit: int | None = None) -> Spooled:
    """Stream ``source`` (a path or a readable binary stream) into a temporary file, hashing as it goes.

    Raises :class:`FileTooLarge` as soon as the limit is passed, :class:`EmptyFile` for no bytes.
    """
    limit = max_bytes() if limit is None else limit
    digest = hashlib.sha256()
    size = 0
    handle, name = tempfile.mkstemp(dir=incoming_dir(), prefix="in-")
    temp = Path(name)
    own = isinstance(source, str | Path)
    stream = open(source, "rb") if own else source  # noqa: SIM115 - closed below
    try:
        if hasattr(stream, "seek"):
            with contextlib.suppress(OSError, ValueError):
                stream.seek(0)
        with os.fdopen(handle, "wb") as out:
            while True:
                chunk = stream.read(CHUNK_SIZE)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise FileTooLarge(limit=limit // (1024 * 1024))
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise EmptyFile()
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        if own:
            stream.close()
    return Spooled(temp, digest.hexdigest(), size)


class FileStore(Protocol):
    """What the rest of Pustaka needs from a store. Paths are ``StoredFile.relative_path`` values."""

    def put(self, spooled: Spooled) -> str: ...

    def exists(self, relative_path: str) -> bool: ...

    def open(self, relative_path: str) -> BinaryIO: ...

    def size(self, relative_path: str) -> int: ...

    def delete(self, relative_path: str) -> None: ...

    def local_path(self, relative_path: str) -> Path | None: ...


class LocalFileStore:
    """Files under a folder (``$PUSTAKA_HOME/files``)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def _path(self, relative_path: str) -> Path:
        return self.root / check_relative_path(relative_path)

    def put(self, spooled: Spooled) -> str:
        """Move a spooled file into place (atomic rename); if the bytes are already there keep those."""
        relative = relative_path_for(spooled.sha256)
        target = self._path(relative)
        if target.exists():
            spooled.discard()
            return relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if spooled.path.parent.resolve() != (self.root / INCOMING).resolve():
            # not spooled inside this store (another file system): copy next to the target first
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out, open(spooled.path, "rb") as src:
                shutil.copyfileobj(src, out, CHUNK_SIZE)
            spooled.discard()
            os.replace(name, target)
        else:
            os.replace(spooled.path, target)
        os.chmod(target, 0o444)
        return relative

    def exists(self, relative_path: str) -> bool:
        return self._path(relative_path).is_file()

    def open(self, relative_path: str) -> BinaryIO:
        return open(self._path(relative_path), "rb")  # noqa: SIM115 - the caller closes it

    def size(self, relative_path: str) -> int:
        return self._path(relative_path).stat().st_size

    def delete(self, relative_path: str) -> None:
        self._path(relative_path).unlink(missing_ok=True)

    def local_path(self, relative_path: str) -> Path | None:
        return self._path(relative_path)


class StorageFileStore:
    """Files in a Django storage backend shared by every node, e.g. an S3 bucket through django-storages.

    The backend is ``STORAGES["files"]`` (for S3: ``storages.backends.s3.S3Storage``, whose bucket,
    endpoint and keys come from ``PUSTAKA_S3_*`` and boto3's ``AWS_*`` variables). Files are spooled
    locally first (hashed and counted), then uploaded under their hash path unless already there.
    """

    def __init__(self, storage):
        self.storage = storage

    def put(self, spooled: Spooled) -> str:
        relative = relative_path_for(spooled.sha256)
        try:
            if not self.storage.exists(relative):
                with open(spooled.path, "rb") as stream:
                    saved = self.storage.save(relative, stream)
                if saved != relative:  # a backend that renames on collision must not keep a second copy
                    self.storage.delete(saved)
                    raise OSError(f"the storage saved {relative} as {saved}")
        finally:
            spooled.discard()
        return relative

    def exists(self, relative_path: str) -> bool:
        return self.storage.exists(check_relative_path(relative_path))

    def open(self, relative_path: str) -> BinaryIO:
        return self.storage.open(check_relative_path(relative_path), "rb")

    def size(self, relative_path: str) -> int:
        return self.storage.size(check_relative_path(relative_path))

    def delete(self, relative_path: str) -> None:
        self.storage.delete(check_relative_path(relative_path))

    def local_path(self, relative_path: str) -> Path | None:
        return None


S3FileStore = StorageFileStore  # the name earlier code used

FILESYSTEM_BACKENDS = {
    "django.core.files.storage.FileSystemStorage",
    "django.core.files.storage.filesystem.FileSystemStorage",
}


def get_store() -> FileStore:
    """The configured store: ``STORAGES["files"]`` when it is not the local folder, else the folder."""
    from django.core.files.storage import storages

    backend = settings.STORAGES.get("files", {}).get("BACKEND", "")
    if backend and backend not in FILESYSTEM_BACKENDS:
        return StorageFileStore(storages["files"])
    return LocalFileStore(settings.PUSTAKA_FILES_DIR)

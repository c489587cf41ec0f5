"""Pages of a PDF as images, for "read online only" licences: the PDF itself never leaves the server.

A browser given a PDF can always save and print it, so a read-online-only licence is kept by showing
its pages one at a time as PNG images rendered here with poppler's ``pdftoppm``. Each page is rendered
once and kept in a cache folder beside the store (``PUSTAKA_PAGE_CACHE_DIR``, default
``$PUSTAKA_HOME/page-cache``), named by the file's SHA-256, so a page read again is not rendered again.
A reader can still keep a page image (a screenshot does as much); what the library promises is that the
file is not handed over, and that is what is done.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from .storage import get_store

PAGE_SIZE = 1600  # pixels of the longer side: readable on a large screen, small enough to send
TIMEOUT = 60  # seconds for one page (a huge scanned page of a big book)


class PageUnavailable(Exception):
    """The page cannot be rendered (a damaged or encrypted PDF, poppler missing, the file gone)."""


def cache_dir() -> Path:
    configured = getattr(settings, "PUSTAKA_PAGE_CACHE_DIR", None)
    if configured:
        return Path(configured)
    return Path(settings.PUSTAKA_FILES_DIR).parent / "page-cache"


def _cached(stored, number: int) -> Path:
    return cache_dir() / stored.sha256[:2] / stored.sha256 / f"{number}-{PAGE_SIZE}.png"


def _source(stored, folder: Path) -> Path:
    """A local path of the PDF's bytes (copied to ``folder`` when the store is not local)."""
    store = get_store()
    local = store.local_path(stored.relative_path)
    if local is not None:
        if not local.is_file():
            raise PageUnavailable("file missing")
        return local
    target = folder / "source.pdf"
    try:
        with store.open(stored.relative_path) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
    except OSError as error:
        raise PageUnavailable(str(error)) from error
    return target


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise PageUnavailable(f"{tool} is not installed (Debian package poppler-utils)")
    return found


def page_count(stored) -> int:
    """How many pages the PDF has: the count read at ingest, else asked of ``pdfinfo``."""
    if stored.page_count:
        return int(stored.page_count)
    with tempfile.TemporaryDirectory(prefix="pustaka-pages-") as folder:
        source = _source(stored, Path(folder))
        try:
            info = subprocess.run(
                [_poppler("pdfinfo"), str(source)], capture_output=True, timeout=TIMEOUT, check=False, text=True
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PageUnavailable(str(error)) from error
    match = re.search(r"^Pages:\s+(\d+)", info.stdout or "", re.MULTILINE)
    if info.returncode != 0 or not match or int(match.group(1)) < 1:
        raise PageUnavailable("pdfinfo cannot read the file")
    return int(match.group(1))


def page_png(stored, number: int) -> bytes:
    """Page ``number`` (from 1) of the PDF as PNG bytes, rendered once and then read from the cache."""
    cached = _cached(stored, number)
    if cached.is_file():
        return cached.read_bytes()
    with tempfile.TemporaryDirectory(prefix="pustaka-pages-") as folder:
        source = _source(stored, Path(folder))
        prefix = Path(folder) / "page"
        command = [_poppler("pdftoppm"), "-f", str(number), "-l", str(number), "-png", "-singlefile"]
        command += ["-scale-to", str(PAGE_SIZE), str(source), str(prefix)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PageUnavailable(str(error)) from error
        rendered = prefix.with_suffix(".png")
        if done.returncode != 0 or not rendered.is_file() or rendered.stat().st_size == 0:
            raise PageUnavailable((done.stderr or b"").decode("utf-8", "replace")[:300])
        data = rendered.read_bytes()
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, cached)  # two readers rendering one page at once: either file is whole
    return data

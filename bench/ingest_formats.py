"""Benchmark: how long identifying and examining a file takes (FIDO vs Pustaka's table), and hashing speed.

Run: ``.venv/bin/python bench/ingest_formats.py [FOLDER]`` (default: the demo's e-books). Prints figures;
nothing is asserted.
"""

import contextlib
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pustaka.settings")
import django  # noqa: E402

django.setup()

from pustaka.digital import formats, metadata  # noqa: E402

folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "pustaka/demo/data/ebooks"
files = sorted(p for p in folder.iterdir() if p.is_file())
ROUNDS = 5

t = time.perf_counter()
formats.identify_with_fido(files[0])
print(f"FIDO signature load (once per process): {(time.perf_counter() - t) * 1000:.0f} ms")


def timed(fn):
    samples = []
    for _ in range(ROUNDS):
        for path in files:
            start = time.perf_counter()
            fn(path)
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


for label, fn in [
    ("FIDO", formats.identify_with_fido),
    ("table", formats.identify_with_table),
    ("identify (FIDO, then table)", formats.identify),
]:
    median, worst = timed(fn)
    print(f"{label:<30} median {median:6.2f} ms/file, worst {worst:6.1f} ms ({len(files)} files x {ROUNDS})")


def examine(path):
    with contextlib.suppress(Exception):  # refusals are part of the work measured
        metadata.examine(path, formats.identify_with_table(path))


median, worst = timed(examine)
print(f"{'examine (PDF/EPUB metadata)':<30} median {median:6.2f} ms/file, worst {worst:6.1f} ms")

data = os.urandom(64 * 1024 * 1024)
start = time.perf_counter()
hashlib.sha256(data).hexdigest()
elapsed = time.perf_counter() - start
print(f"SHA-256: {64 / elapsed:.0f} MB/s")

"""Fixtures of the ingest tests: a store folder of the test's own, the real e-books, small made-up files."""

import shutil
import zipfile
from pathlib import Path

import pytest

EBOOKS = Path("/work/shared/data/ebooks")
LOCAL_EBOOKS = Path(__file__).resolve().parents[2] / "demo" / "data" / "ebooks"
DATA = Path(__file__).resolve().parent / "data"


def ebook(name: str) -> Path:
    """A real test file: the shared data folder when present, else the copy shipped with the demo."""
    for folder in (EBOOKS, LOCAL_EBOOKS):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"test file {name} is in neither {EBOOKS} nor {LOCAL_EBOOKS}")


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    """Every test has its own content-addressed store."""
    settings.PUSTAKA_FILES_DIR = tmp_path / "files"
    settings.PUSTAKA_S3_BUCKET = ""
    return settings.PUSTAKA_FILES_DIR


@pytest.fixture
def work_dir(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def copy_ebook(work_dir):
    """``copy_ebook("eng.epub", "renamed.pdf")``: a real file copied under another name."""

    def copy(name, as_name=None):
        target = work_dir / (as_name or name)
        shutil.copyfile(ebook(name), target)
        return target

    return copy


def make_zip(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def installer(work_dir):
    """A tiny Windows-executable-looking file (MZ header) for software tests."""
    path = work_dir / "setup.exe"
    path.write_bytes(b"MZ" + b"\x90\x00" * 30 + b"PE\x00\x00" + bytes(200))
    return path

"""Backup and restore: a library backed up and restored into an empty home is the same library."""

import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pustaka.digital.models import DigitalResource, FixityCheck, ResourceFile, StoredFile

from .preservation_fixtures import *  # noqa: F403

ROOT = Path(__file__).resolve().parents[3]
PUSTAKA = ROOT / ".venv" / "bin" / "pustaka"
PYTHON = ROOT / ".venv" / "bin" / "python"

READ_LIBRARY = textwrap.dedent(
    """
    import json, hashlib, os, django
    django.setup()
    from django.conf import settings
    from pustaka.catalog.models import Record
    from pustaka.holdings.models import Item
    from pustaka.patrons.models import Patron
    from pustaka.digital.models import StoredFile, FixityCheck
    from pustaka.search import engine
    from pustaka.search.query import SearchQuery
    files = {}
    for f in StoredFile.objects.order_by("sha256"):
        path = settings.PUSTAKA_FILES_DIR / f.relative_path
        files[f.sha256] = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    print(json.dumps({
        "records": Record.objects.count(), "items": Item.objects.count(), "patrons": Patron.objects.count(),
        "stored_files": StoredFile.objects.count(), "fixity_checks": FixityCheck.objects.count(),
        "titles": sorted(Record.objects.values_list("title", flat=True)),
        "barcodes": sorted(Item.objects.values_list("barcode", flat=True)),
        "cards": sorted(Patron.objects.values_list("card_number", flat=True)),
        "files": files,
        "search": engine.search(SearchQuery(text="Pelestarian")).total,
    }))
    """
)


def _env(home: Path, database_url: str = "") -> dict:
    unset = {"DATABASE_URL", "PYTEST_VERSION", "PYTEST_XDIST_WORKER", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= {"PUSTAKA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "pustaka.settings"}
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _pustaka(home: Path, *args, database_url: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PUSTAKA), "--home", str(home), *args],
        env=_env(home, database_url),
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def empty_database_url():
    """Where a restored library keeps its data: on SQLite its new home (""), on PostgreSQL a new, empty
    database on the same server, dropped after the test."""
    if connection.vendor != "postgresql":
        yield ""
        return
    import uuid

    import psycopg

    params = connection.get_connection_params()
    name = f"pustaka_restore_{uuid.uuid4().hex[:12]}"
    admin = {k: params[k] for k in ("host", "port", "user", "password") if params.get(k)}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['password']}" if params.get("password") else ""
    host, port = params.get("host") or "127.0.0.1", params.get("port") or 5432
    yield f"postgres://{params['user']}{password}@{host}:{port}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def library(transactional_db, make_stored_file, make_item, make_patron, settings, tmp_path):
    """A small library, committed (the backup reads the database from outside the test's connection)."""
    from pustaka.catalog.models import Record
    from pustaka.search import engine

    settings.PUSTAKA_INDEX_DIR = tmp_path / "index"
    second = Record.objects.create(title="Pelestarian Digital", contributors=[], publisher="Pustaka")
    make_item("B000001")
    make_item("B000002", record=second)
    make_patron("P0001")
    pdf = make_stored_file(b"%PDF-1.7 backup test " * 1000, name="a.pdf")
    epub = make_stored_file(b"PK\x03\x04 epub " * 2000, name="b.epub")
    resource = DigitalResource.objects.create(record=second, kind="ebook", label="E-book")
    ResourceFile.objects.create(resource=resource, file=pdf)
    ResourceFile.objects.create(resource=resource, file=epub, role="cover")
    FixityCheck.objects.create(file=pdf, checked_at="2026-11-01T00:00:00Z", outcome="ok", found_sha256=pdf.sha256)
    engine.rebuild()
    return {"files": [pdf, epub], "records": 2}


@pytest.mark.library_language("en")  # the command speaks the library's language; this test reads English
def test_backup_then_restore_into_an_empty_home_gives_the_same_library(library, tmp_path, empty_database_url):
    backup_dir = tmp_path / "backup"
    out = io.StringIO()
    call_command("backup", str(backup_dir), stdout=out)
    assert "Backed up to" in out.getvalue() and "records 2, items 2, patrons 1, files 2" in out.getvalue()

    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["database"]["method"] == ("sqlite" if connection.vendor == "sqlite" else "pg_dump")
    assert manifest["counts"]["catalog.Record"] == 2 and manifest["counts"]["digital.StoredFile"] == 2
    assert manifest["files"]["count"] == 2 and manifest["files"]["damaged"] == []
    assert manifest["index"]["copied"] is True
    assert manifest["versions"]["django"].startswith("5.2")
    for stored in library["files"]:
        copy = backup_dir / "files" / stored.relative_path
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == stored.sha256

    new_home = tmp_path / "new-home"
    done = _pustaka(new_home, "restore", str(backup_dir), database_url=empty_database_url)
    assert done.returncode == 0, done.stderr
    # the command speaks the library's language (Indonesian)
    assert "Dipulihkan dari" in done.stdout and "2 cantuman, 2 eksemplar, 1 anggota, 2 berkas" in done.stdout

    read = subprocess.run(
        [str(PYTHON), "-c", READ_LIBRARY],
        env=_env(new_home, empty_database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert read.returncode == 0, read.stderr
    restored = json.loads(read.stdout.strip().splitlines()[-1])
    from pustaka.catalog.models import Record
    from pustaka.holdings.models import Item
    from pustaka.patrons.models import Patron

    assert restored["records"] == Record.objects.count() == 2
    assert restored["items"] == Item.objects.count() == 2
    assert restored["patrons"] == Patron.objects.count() == 1
    assert restored["stored_files"] == 2 and restored["fixity_checks"] == 1
    assert restored["titles"] == sorted(Record.objects.values_list("title", flat=True))
    assert restored["barcodes"] == ["B000001", "B000002"] and restored["cards"] == ["P0001"]
    assert restored["files"] == {f.sha256: f.sha256 for f in library["files"]}
    assert restored["search"] == 1  # the index came back and answers

    # A second restore into the now non-empty library is refused, unless forced.
    again = _pustaka(new_home, "restore", str(backup_dir), database_url=empty_database_url)
    assert again.returncode != 0
    assert "Pemulihan ditolak: basis data sudah berisi" in again.stderr and "--force" in again.stderr
    forced = _pustaka(new_home, "restore", "--force", str(backup_dir), database_url=empty_database_url)
    assert forced.returncode == 0, forced.stderr


@pytest.mark.library_language("en")
def test_a_damaged_file_is_listed_in_the_manifest(library, tmp_path):
    damaged = library["files"][0]
    from .preservation_fixtures import flip_a_byte

    flip_a_byte(damaged)
    err = io.StringIO()
    call_command("backup", str(tmp_path / "b"), stdout=io.StringIO(), stderr=err)
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["files"]["damaged"] == [damaged.sha256]
    assert "1 damaged" in err.getvalue()


def test_the_database_is_backed_up_with_its_own_tool(library, tmp_path):
    call_command("backup", str(tmp_path / "b"), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["database"]["engine"] == connection.vendor
    # SQLite's online backup; on PostgreSQL pg_dump (the machines have the client tools)
    assert manifest["database"]["method"] == ("sqlite" if connection.vendor == "sqlite" else "pg_dump")
    assert (tmp_path / "b" / manifest["database"]["file"]).stat().st_size > 0
    assert manifest["counts"]["catalog.Record"] == 2 and manifest["files"]["count"] == 2


def test_dumpdata_backup_writes_json(library, tmp_path):
    call_command("backup", str(tmp_path / "b"), "--db-method", "dumpdata", stdout=io.StringIO())
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["database"]["method"] == "dumpdata"
    rows = json.loads((tmp_path / "b" / "database" / "data.json").read_text())
    assert {r["fields"]["barcode"] for r in rows if r["model"] == "holdings.item"} == {"B000001", "B000002"}


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "b"), stdout=io.StringIO())


def test_restore_refuses_a_folder_without_a_manifest(db, tmp_path):
    with pytest.raises(CommandError, match="manifest.json"):
        call_command("restore", str(tmp_path), stdout=io.StringIO())


def test_restore_refuses_a_library_that_is_not_empty(make_stored_file, tmp_path):
    make_stored_file(b"already here")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "manifest.json").write_text(
        json.dumps({"format": 1, "database": {"method": connection.vendor, "file": "database/x", "sha256": ""}})
    )
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(tmp_path / "b"), stdout=io.StringIO())
    assert StoredFile.objects.count() == 1


def test_restore_refuses_a_damaged_database_file(db, tmp_path):
    (tmp_path / "b" / "database").mkdir(parents=True)
    (tmp_path / "b" / "database" / "pustaka.sqlite3").write_bytes(b"not what was backed up")
    (tmp_path / "b" / "manifest.json").write_text(
        json.dumps(
            {"format": 1, "database": {"method": "sqlite", "file": "database/pustaka.sqlite3", "sha256": "0" * 64}}
        )
    )
    with pytest.raises(CommandError, match="damaged backup"):
        call_command("restore", str(tmp_path / "b"), stdout=io.StringIO())


def test_the_cli_knows_the_commands():
    done = subprocess.run([str(PUSTAKA), "--help"], capture_output=True, text=True, timeout=60)
    assert "backup DIR / restore DIR" in done.stdout and "fixity" in done.stdout and "link-check" in done.stdout
    assert sys.executable  # the tests run inside the project's virtualenv

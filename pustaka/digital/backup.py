"""Backing up and restoring a whole library: database, digital files and search index.

``pustaka backup DIR`` writes::

    DIR/manifest.json          versions, time, database method, row counts per table, file count/bytes
    DIR/database/...           pustaka.sqlite3 | pustaka.dump (pg_dump -Fc) | data.json (dumpdata)
    DIR/files/ab/cd/<sha256>   the content-addressed store, every file verified against its name
    DIR/index/                 the tantivy index (copied before the database, so it is never ahead)

Database, decided per engine:

- SQLite: sqlite3's online backup API. It copies a consistent snapshot while the application keeps
  running (WAL mode: readers and the one writer are not blocked). Counts and the file list are read
  from the snapshot itself, so the manifest matches it exactly.
- PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot; restore with ``pg_restore --clean``)
  when the client tools are installed and match the server; otherwise Django's ``dumpdata`` (natural
  keys; restore by ``migrate``, ``flush`` and ``loaddata``), which is slower and not a single
  snapshot on a busy library. ``--db-method`` forces one.

Files are copied (not hard-linked unless ``--link`` is given: a hard link shares the damaged bytes when
the original rots in place) while being hashed in one pass; a file whose bytes no longer match its
name is still copied but listed under ``files.damaged`` in the manifest, and restore skips it.

The index: copied first, then the database; on restore the index is put back and brought up to date
from the change log (``apply_changes``); when no usable index was backed up, restore rebuilds it
(``reindex``). Not backed up: the secret key (sessions end; API tokens keep working), the job queue,
mail and report files.

Restore refuses a library that already holds records, items, patrons, digital resources or files
unless ``force=True``. A SQLite backup restores into SQLite; a ``pg_dump`` backup into PostgreSQL; a
``dumpdata`` backup into either.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils.translation import gettext as _

from . import fixity
from .errors_preservation import BackupError, RestoreRefused

FORMAT = 1
MANIFEST = "manifest.json"
DB_METHODS = ("auto", "sqlite", "pg_dump", "dumpdata")
DUMP_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
NON_EMPTY_TABLES = (
    "catalog.Record",
    "holdings.Item",
    "patrons.Patron",
    "digital.DigitalResource",
    "digital.StoredFile",
)


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def counted_models() -> list:
    """Every model whose rows the manifest counts: the library's own apps and the users."""
    return [
        m
        for m in apps.get_models()
        if (m.__module__.startswith("pustaka.") and not m._meta.proxy and m._meta.managed)
        or m._meta.label == "auth.Group"
    ]


def _engine() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def _copy_hashed(src: Path, dst: Path, *, link: bool) -> tuple[str, int]:
    """Copy ``src`` to ``dst`` (or hard-link it) and return the SHA-256 and size of the source bytes."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if link:
        try:
            os.link(src, dst)
            return fixity.sha256_of(src)
        except OSError:
            pass  # another file system: copy instead
    digest = hashlib.sha256()
    size = 0
    with open(src, "rb") as inp, open(dst, "wb") as out:
        while block := inp.read(fixity.BUFFER_SIZE):
            digest.update(block)
            out.write(block)
            size += len(block)
    shutil.copystat(src, dst)
    return digest.hexdigest(), size


def _copy_store(shas: list[str], src_root: Path, dst_root: Path, *, link: bool) -> dict:
    """Copy the files named by ``shas`` between two stores, checking each against its name."""
    result = {"count": 0, "bytes": 0, "missing": [], "damaged": []}

    def one(sha: str):
        rel = Path(sha[:2]) / sha[2:4] / sha
        src = src_root / rel
        if not src.is_file():
            return sha, None, 0
        found, size = _copy_hashed(src, dst_root / rel, link=link)
        return sha, found, size

    with ThreadPoolExecutor(max_workers=fixity.DEFAULT_WORKERS) as pool:
        for sha, found, size in pool.map(one, shas):
            if found is None:
                result["missing"].append(sha)
                continue
            result["count"] += 1
            result["bytes"] += size
            if found != sha:
                result["damaged"].append(sha)
    return result


def _sqlite_snapshot(target: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    connection.close()
    src = sqlite3.connect(f"file:{name}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()


def _pg_env() -> tuple[list[str], dict]:
    s = connection.settings_dict
    args = []
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _pg_dump(target: Path) -> str | None:
    """Run pg_dump; the error text when it is missing or fails (the caller then falls back)."""
    if not shutil.which("pg_dump"):
        return "pg_dump is not installed"
    args, env = _pg_env()
    cmd = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args]
    cmd.append(str(connection.settings_dict["NAME"]))
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        return done.stderr.strip()[:500] or f"pg_dump exited with {done.returncode}"
    return None


def _dumpdata(target: Path) -> None:
    from django.apps import apps

    # Models with no table of their own (e.g. reports.ReportAccess, which only holds permissions).
    tableless = [m._meta.label for m in apps.get_models() if not m._meta.managed]
    call_command(
        "dumpdata",
        exclude=[*DUMP_EXCLUDE, *tableless],
        natural_foreign=True,
        natural_primary=False,
        output=str(target),
        verbosity=0,
    )


def _counts_from_sqlite(path: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    counts = {}
    try:
        for m in counted_models():
            try:
                counts[m._meta.label] = db.execute(f'SELECT COUNT(*) FROM "{m._meta.db_table}"').fetchone()[0]
            except sqlite3.OperationalError:  # a table not migrated yet
                continue
        return counts
    finally:
        db.close()


def _shas_from_sqlite(path: Path) -> list[str]:
    from .models import StoredFile

    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in db.execute(f'SELECT sha256 FROM "{StoredFile._meta.db_table}" ORDER BY sha256')]
    finally:
        db.close()


def live_counts() -> dict[str, int]:
    """Rows per table in the current database."""
    return {m._meta.label: m._default_manager.count() for m in counted_models()}


def _file_sha256(path: Path) -> str:
    return fixity.sha256_of(path)[0]


def backup(dest: str | os.PathLike, *, db_method: str = "auto", link: bool = False, stdout=None) -> dict:
    """Back up the database, the files and the index into ``dest`` (absent or empty); the manifest."""
    from pustaka.search import engine

    from .models import StoredFile

    dest = Path(dest).resolve()
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(error=f"{dest} is not empty")
    if db_method not in DB_METHODS:
        raise BackupError(error=f"unknown database method {db_method}")
    home = Path(settings.HOME).resolve()
    if dest == home or home in dest.parents:
        raise BackupError(error="the backup folder must be outside the library's home folder")
    (dest / "database").mkdir(parents=True)
    started = datetime.now(UTC)

    # 1. The index first: it must never be ahead of the database it is restored with.
    index_src = Path(settings.PUSTAKA_INDEX_DIR)
    index = {"copied": False, "sequence": None}
    if index_src.is_dir() and any(index_src.iterdir()):
        for _attempt in range(3):  # a merge may delete a segment while we copy it
            try:
                shutil.rmtree(dest / "index", ignore_errors=True)
                sequence = engine.applied_sequence()
                shutil.copytree(index_src, dest / "index", ignore=shutil.ignore_patterns("*.lock"))
                index = {"copied": True, "sequence": sequence}
                break
            except (OSError, shutil.Error, ValueError):
                continue
    _say(stdout, _("index: copied") if index["copied"] else _("index: not copied (restore rebuilds it)"))

    # 2. The database.
    engine_name = _engine()
    method = db_method
    fallback_reason = ""
    if method == "auto":
        method = "sqlite" if engine_name == "sqlite" else "pg_dump"
    if method == "sqlite" and engine_name != "sqlite":
        raise BackupError(error=_("the sqlite method needs a SQLite database"))
    if method == "pg_dump" and engine_name != "postgresql":
        raise BackupError(error=_("pg_dump needs a PostgreSQL database"))
    if method == "sqlite":
        db_file = dest / "database" / "pustaka.sqlite3"
        _sqlite_snapshot(db_file)
        counts = _counts_from_sqlite(db_file)
        shas = _shas_from_sqlite(db_file)
    else:
        if method == "pg_dump":
            db_file = dest / "database" / "pustaka.dump"
            fallback_reason = _pg_dump(db_file) or ""
            if fallback_reason:
                if db_method == "pg_dump":
                    raise BackupError(error=fallback_reason)
                method = "dumpdata"
        if method == "dumpdata":
            db_file = dest / "database" / "data.json"
            _dumpdata(db_file)
        counts = live_counts()
        shas = sorted(StoredFile.objects.values_list("sha256", flat=True))
    _say(
        stdout,
        _("database: %(engine)s, %(method)s") % {"engine": engine_name, "method": method}
        + (f" ({fallback_reason})" if fallback_reason else ""),
    )

    # 3. The files.
    files = _copy_store(shas, Path(settings.PUSTAKA_FILES_DIR), dest / "files", link=link)
    _say(
        stdout,
        _("files: %(count)s (%(bytes)s bytes), missing %(missing)s, damaged %(damaged)s")
        % {
            "count": files["count"],
            "bytes": files["bytes"],
            "missing": len(files["missing"]),
            "damaged": len(files["damaged"]),
        },
    )

    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "home": str(home),
        "versions": {
            "pustaka": _version("pustaka"),
            "django": _version("Django"),
            "tantivy": _version("tantivy"),
            "python": platform.python_version(),
        },
        "migrations": _latest_migrations(),
        "database": {
            "engine": engine_name,
            "method": method,
            "file": str(db_file.relative_to(dest)),
            "sha256": _file_sha256(db_file),
            "fallback_reason": fallback_reason,
        },
        "counts": counts,
        "files": files,
        "index": index,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _latest_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name"):
        latest[app] = name
    return latest


def read_manifest(src: str | os.PathLike) -> dict:
    """The manifest of a backup folder, checked for the parts restore needs."""
    src = Path(src).resolve()
    path = src / MANIFEST
    if not path.is_file():
        raise RestoreRefused(reason=f"{path} does not exist; is this a Pustaka backup folder?")
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise RestoreRefused(reason=f"{path} cannot be read: {error}") from error
    if manifest.get("format") != FORMAT or "database" not in manifest:
        raise RestoreRefused(reason=f"{path} is not a backup this version can restore")
    return manifest


def library_is_empty() -> tuple[bool, str]:
    """True when the current library has no records, items, patrons, resources or stored files."""
    from django.db.utils import DatabaseError

    tables = connection.introspection.table_names()
    for label in NON_EMPTY_TABLES:
        model = apps.get_model(label)
        if model._meta.db_table not in tables:
            continue
        try:
            if model._default_manager.exists():
                return False, _("the database already holds %(things)s") % {"things": model._meta.verbose_name_plural}
        except DatabaseError:  # pragma: no cover - a half-migrated database counts as empty
            continue
    store = Path(settings.PUSTAKA_FILES_DIR)
    if store.is_dir() and any(p.is_file() for p in store.rglob("*")):
        return False, _("%(folder)s already holds files") % {"folder": store}
    return True, ""


def restore(src: str | os.PathLike, *, force: bool = False, stdout=None) -> dict:
    """Restore a backup made by :func:`backup` into the current (empty) library; a report of the checks."""
    from pustaka.search import engine

    src = Path(src).resolve()
    manifest = read_manifest(src)
    empty, why = library_is_empty()
    if not empty and not force:
        raise RestoreRefused(reason=f"{why}; restore only into an empty library, or pass --force to replace it")
    db = manifest["database"]
    db_file = src / db["file"]
    if not db_file.is_file():
        raise RestoreRefused(reason=f"{db_file} is missing")
    if _file_sha256(db_file) != db.get("sha256"):
        raise RestoreRefused(reason=f"{db_file} does not match the manifest's SHA-256 (damaged backup)")
    engine_name = _engine()
    method = db["method"]
    if method == "sqlite" and engine_name != "sqlite":
        raise RestoreRefused(reason="this backup is a SQLite database; restore it into a library that uses SQLite")
    if method == "pg_dump" and engine_name != "postgresql":
        raise RestoreRefused(reason="this backup is a PostgreSQL dump; restore it into a library that uses PostgreSQL")

    # 1. The database.
    if method == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        connections.close_all()
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        dest = sqlite3.connect(target)
        try:
            with dest:
                source.backup(dest)
            dest.execute("PRAGMA journal_mode=WAL")
        finally:
            dest.close()
            source.close()
    elif method == "pg_dump":
        if not shutil.which("pg_restore"):
            raise RestoreRefused(reason="pg_restore is not installed")
        connections.close_all()
        args, env = _pg_env()
        cmd = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
        cmd += [*args, "--dbname", str(connection.settings_dict["NAME"]), str(db_file)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RestoreRefused(reason=f"pg_restore failed: {done.stderr.strip()[:500]}")
    else:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(db_file), verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)  # a backup of an older version catches up
    _say(stdout, _("database: restored (%(method)s)") % {"method": method})

    # 2. The files.
    from .models import StoredFile

    shas = sorted(StoredFile.objects.values_list("sha256", flat=True))
    files = _copy_store(shas, src / "files", Path(settings.PUSTAKA_FILES_DIR), link=False)
    for sha in files["damaged"]:  # never put back bytes that do not match their name
        (Path(settings.PUSTAKA_FILES_DIR) / sha[:2] / sha[2:4] / sha).unlink(missing_ok=True)
    _say(
        stdout,
        _("files: %(count)s restored, missing %(missing)s, damaged %(damaged)s")
        % {
            "count": files["count"] - len(files["damaged"]),
            "missing": len(files["missing"]),
            "damaged": len(files["damaged"]),
        },
    )

    # 3. The index: put back and caught up, or rebuilt.
    index_dst = Path(settings.PUSTAKA_INDEX_DIR)
    rebuilt = False
    shutil.rmtree(index_dst, ignore_errors=True)
    if manifest.get("index", {}).get("copied") and (src / "index").is_dir():
        shutil.copytree(src / "index", index_dst)
        try:
            engine.apply_changes()
            usable = engine.applied_sequence() is not None
        except Exception:  # noqa: BLE001 - any failure to open the copied index: rebuild it
            usable = False
        if not usable:
            shutil.rmtree(index_dst, ignore_errors=True)
    if not index_dst.is_dir() or not any(index_dst.iterdir()):
        index_dst.mkdir(parents=True, exist_ok=True)
        engine.rebuild()
        rebuilt = True
    _say(stdout, _("index: rebuilt") if rebuilt else _("index: restored"))

    counts = live_counts()
    expected = manifest.get("counts", {})
    mismatches = {k: (v, counts.get(k)) for k, v in expected.items() if counts.get(k) != v}
    return {
        "method": method,
        "files": files,
        "index_rebuilt": rebuilt,
        "counts": counts,
        "mismatches": mismatches,
        "python": sys.version.split()[0],
    }

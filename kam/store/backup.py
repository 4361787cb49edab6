"""Backups of a deployment while it runs, and bringing one back.

A backup is a folder laid out like the data folder: ``kam.duckdb`` (the app's database: visits
entered in the app, users, the audit log, ...), ``exports/<load_id>.duckdb`` with the ``current``
pointer (the exports file the app's views read), and ``backup.json`` (what it holds, written
last). The app's tables are copied in one read transaction of the process that holds the
database (the dashboard), so the copy is one consistent moment; the exports file never
changes once published and is copied as a file. A backup is built under a temporary name and
renamed into place when complete.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from kam.store import db, exports

MANIFEST = "backup.json"
APP_FILE = "kam.duckdb"
EXPORTS = "exports"
PREFIX = "kam-backup-"
_names = itertools.count(1)
# One backup at a time in a process (the daily one and one asked for may meet).
_MAKING = threading.Lock()


class BackupError(Exception):
    """A backup could not be made or brought back; str() says why and what to do."""


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def make(con: duckdb.DuckDBPyConnection, target: Path) -> dict[str, Any]:
    """Copy the app's database (one consistent moment) and its current exports file into the new folder target.

    con: a connection to the app's database (the dashboard's own while it runs). The manifest.
    """
    target = Path(target).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} is not an empty folder; name a new one")
    with _MAKING:
        partial = target.with_name(f".{target.name}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        (partial / EXPORTS).mkdir(parents=True)
        try:
            manifest = _copy(con, partial)
            (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            _sync_tree(partial)
            if target.exists():
                target.rmdir()
            os.replace(partial, target)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    return manifest


def _copy(con: duckdb.DuckDBPyConnection, into: Path) -> dict[str, Any]:
    app_copy = into / APP_FILE
    with duckdb.connect(str(app_copy)) as out:
        db.ensure_schema(out)
    name = f"kam_backup_{os.getpid()}_{next(_names)}"
    with con.cursor() as cur:
        [(app,)] = cur.execute("SELECT current_database()").fetchall()
        cur.execute(f"ATTACH '{_quoted(app_copy)}' AS {name}")
        try:
            # One transaction: every table as of the same moment, while visits go on being saved.
            cur.execute("BEGIN TRANSACTION")
            tables = [t for (t,) in cur.execute(_TABLES, [app]).fetchall()]
            copied = set(t for (t,) in cur.execute(_TABLES, [name]).fetchall())
            counts = {}
            for table in tables:
                # Names come from the database's own catalogue, not from input.
                if table in copied:
                    cur.execute(f"INSERT INTO {name}.main.{table} BY NAME SELECT * FROM {app}.main.{table}")
                else:
                    cur.execute(f"CREATE TABLE {name}.main.{table} AS SELECT * FROM {app}.main.{table}")
                [(counts[table],)] = cur.execute(f"SELECT count(*) FROM {app}.main.{table}").fetchall()
            sequences = cur.execute(
                "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = $1", [app]
            ).fetchall()
            viewed = exports.viewed_alias(cur)
            cur.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                cur.execute("ROLLBACK")
            raise
        finally:
            with contextlib.suppress(duckdb.Error):
                cur.execute(f"DETACH {name}")
    with duckdb.connect(str(app_copy)) as out:
        for sequence, last in sequences:
            if last is not None:
                # A sequence cannot be set; drawn up to where the original stands.
                out.execute(f"SELECT max(nextval('{sequence}')) FROM range({int(last)})")
        out.execute("CHECKPOINT")
    load_id = None
    if viewed is not None:
        load_id = int(viewed.removeprefix("exports_"))
        source = exports.folder_for(exports.app_path(con)) / f"{load_id}.duckdb"
        if not source.is_file():
            raise BackupError("the exports changed while the backup was made; try again")
        shutil.copyfile(source, into / EXPORTS / source.name)
        (into / EXPORTS / exports.POINTER).write_text(source.name, encoding="utf-8")
    return {"made_at": datetime.now().isoformat(timespec="seconds"), "load_id": load_id, "rows": counts}


_TABLES = "SELECT table_name FROM duckdb_tables() WHERE database_name = $1 AND schema_name = 'main' ORDER BY 1"


def _sync_tree(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    for path in [folder, folder / EXPORTS]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def manifest(folder: Path) -> dict[str, Any]:
    """What a backup folder holds; BackupError when it is no complete backup."""
    try:
        return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a complete backup (no readable {MANIFEST})") from error


def backups(root: Path) -> list[Path]:
    """The complete backups in root, oldest first."""
    if not Path(root).is_dir():
        return []
    return sorted(p for p in Path(root).glob(f"{PREFIX}*") if (p / MANIFEST).is_file())


def make_due(con: duckdb.DuckDBPyConnection, root: Path, every_hours: float, keep: int) -> Path | None:
    """A new backup in root when the newest is older than every_hours, keeping the newest `keep`; its folder or None."""
    if every_hours <= 0:
        return None
    made = backups(root)
    if made:
        last = datetime.fromisoformat(manifest(made[-1])["made_at"])
        if datetime.now() - last < timedelta(hours=every_hours):
            return None
    target = make_now(con, root, keep)
    return target


def make_now(con: duckdb.DuckDBPyConnection, root: Path, keep: int) -> Path:
    """A new backup in root named after this moment, keeping the newest `keep`; its folder."""
    target = Path(root) / f"{PREFIX}{datetime.now():%Y%m%d-%H%M%S-%f}"
    make(con, target)
    for old in backups(root)[: -keep if keep > 0 else None]:
        shutil.rmtree(old, ignore_errors=True)
    return target


def restore(source: Path, app_db: Path) -> dict[str, Any]:
    """Bring a backup back as the deployment's data; refused while another process holds the app's database.

    The database file it replaces is kept beside it (<name>.before-restore-<time>).
    """
    found = manifest(source)
    app_db = Path(app_db)
    if app_db.exists():
        try:
            duckdb.connect(str(app_db)).close()
        except duckdb.IOException as error:
            raise BackupError(
                f"{app_db} is in use (the dashboard is running?): stop it first, then restore. ({error})"
            ) from error
    app_db.parent.mkdir(parents=True, exist_ok=True)
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    for file in (app_db, app_db.with_name(app_db.name + ".wal")):
        if file.exists():
            os.replace(file, file.with_name(f"{file.name}.before-restore-{stamp}"))
    incoming = app_db.with_name(app_db.name + ".restoring")
    shutil.copyfile(Path(source) / APP_FILE, incoming)
    folder = exports.folder_for(app_db)
    folder.mkdir(parents=True, exist_ok=True)
    if found.get("load_id") is not None:
        name = f"{found['load_id']}.duckdb"
        with exports.load_lock(folder):
            shutil.copyfile(Path(source) / EXPORTS / name, folder / f"{name}.restoring")
            os.replace(folder / f"{name}.restoring", folder / name)
            exports.publish(folder, folder / name)
    os.replace(incoming, app_db)
    return found

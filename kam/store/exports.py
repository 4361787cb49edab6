"""The exports' data apart from the app's: one database file per load, attached read-only.

The app's database (``data/kam.duckdb``) holds what is entered in the app (visits, users, the
audit log, schedules, ...). Every load writes a complete new file ``data/exports/<load_id>.duckdb``
with the export tables and the record of every load so far, then publishes it by renaming a
pointer file (``data/exports/current``) into place: a load never opens the app's database, and a
load that fails or is killed leaves the pointer, and so the data, as it was.

A connection to the app's database attaches the published file read-only under the alias
``exports_<load_id>`` and shows its tables under their own names through views in the app's
database (``accounts`` reads ``exports_7.main.accounts``). ``follow`` moves the views to a newly
published file in one write of the app's database, with one audit row per new load; queries that
started before read the old file to their end, which stays attached until a later switch.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from kam.store import audit
from kam.store.schema import (
    APP_DB_DDL,
    EXPORT_DDL,
    EXPORT_FILE_TABLES,
    JOINED_VIEW_NAMES,
    JOINED_VIEWS,
    SUMMARY_DDL,
    SUMMARY_ROWS,
)
from kam.store.write import write

POINTER = "current"
FAILURES = "failed-loads.jsonl"
_ALIAS = re.compile(r"\b(exports_\d+)\.main\.")
# What goes with every load in the write that switches to it (the demo users' seeding or retirement).
_ON_EACH_LOAD: list[Callable[[duckdb.DuckDBPyConnection, dict[str, Any]], None]] = []
# One switch at a time in a process: each script-run thread may notice a new file at once.
_SWITCHING = threading.Lock()


def on_each_load(hook: Callable[[duckdb.DuckDBPyConnection, dict[str, Any]], None]) -> None:
    """Run hook(cursor, load) for each new load in the write that switches to it (a layer above registers it)."""
    if hook not in _ON_EACH_LOAD:
        _ON_EACH_LOAD.append(hook)


def folder_for(app_path: Path | str) -> Path:
    """The folder of the exports' files beside the app's database: data/exports for data/kam.duckdb.

    Another name gets a folder of its own (data/other.exports), so that two databases in one folder never share one.
    """
    path = Path(app_path)
    return path.parent / ("exports" if path.stem == "kam" else f"{path.stem}.exports")


def app_path(con: duckdb.DuckDBPyConnection) -> Path:
    """The file of the app's database this connection has open."""
    [(path,)] = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return Path(path)


def published(folder: Path) -> Path | None:
    """The exports file the pointer names, or None before the first load."""
    try:
        name = (folder / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    file = folder / name
    return file if name and file.is_file() else None


def load_id_of(file: Path) -> int:
    """The load id an exports file is named after."""
    return int(file.stem)


def publish(folder: Path, file: Path) -> None:
    """Name file as the current exports, atomically: readers see the old pointer or the new one."""
    pending = folder / f"{POINTER}.new"
    with open(pending, "w", encoding="utf-8") as out:
        out.write(file.name)
        out.flush()
        os.fsync(out.fileno())
    os.replace(pending, folder / POINTER)
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def load_lock(folder: Path) -> Iterator[None]:
    """One load at a time over every process; the lock goes with a killed process."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".load.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The export tables and the load's record, in a new exports file."""
    for statement in EXPORT_DDL:
        con.execute(statement)


def empty_file(folder: Path) -> Path:
    """Publish an exports file with no load yet (load id 0), so that a new deployment's views read something."""
    with load_lock(folder):
        if (current := published(folder)) is not None:
            return current
        return write_file(folder, 0, lambda con: None)


def write_file(folder: Path, load_id: int, fill: Callable[[duckdb.DuckDBPyConnection], None]) -> Path:
    """Build <load_id>.duckdb completely under a temporary name, then publish it; call under load_lock."""
    final = folder / f"{load_id}.duckdb"
    building = folder / f"{load_id}.duckdb.building"
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    with duckdb.connect(str(building)) as con:
        create_tables(con)
        fill(con)
        con.execute("CHECKPOINT")
    with open(building, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(building, final)
    publish(folder, final)
    remove_old(folder, keep=2)
    return final


def remove_old(folder: Path, keep: int) -> None:
    """Delete the exports files but the newest `keep` and the published one (a reader may hold the one before)."""
    current = published(folder)
    files = sorted(folder.glob("*.duckdb"), key=lambda p: int(p.stem) if p.stem.isdigit() else -1)
    for file in files[:-keep] if keep else files:
        if file != current and file.stem.isdigit():
            file.unlink(missing_ok=True)
            file.with_name(file.name + ".wal").unlink(missing_ok=True)


def alias(file: Path) -> str:
    return f"exports_{load_id_of(file)}"


def attach(con: duckdb.DuckDBPyConnection, file: Path, name: str | None = None) -> str:
    """Attach an exports file read-only (once per process); its alias."""
    name = name or alias(file)
    con.execute(f"ATTACH IF NOT EXISTS '{_quoted(file)}' AS {name} (READ_ONLY)")
    return name


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def viewed_alias(con: duckdb.DuckDBPyConnection) -> str | None:
    """The alias the app's views on the exports read, or None before they exist."""
    rows = con.execute(
        "SELECT sql FROM duckdb_views() WHERE database_name = current_database() AND view_name = 'load_history'"
    ).fetchall()
    found = _ALIAS.search(rows[0][0]) if rows else None
    return found.group(1) if found else None


def _views_on(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, str]:
    """What the view of each table of the exports file attached as name reads.

    A summary the file was loaded without (made before the summary existed) is computed from its
    orders on every read, as fast as before it existed, until the next load builds it.
    """
    held = {
        table
        for (table,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = $name", {"name": name}
        ).fetchall()
    }
    # Table names come from the fixed contract in kam.store.schema; the alias from a file name of digits.
    return {
        table: f"SELECT * FROM {name}.main.{table}"
        if table in held or table not in SUMMARY_ROWS
        else SUMMARY_ROWS[table].format(db=f"{name}.main.")
        for table in EXPORT_FILE_TABLES
    }


def _point_views(cur: duckdb.DuckDBPyConnection, name: str) -> None:
    for table, reads in _views_on(cur, name).items():
        cur.execute(f"CREATE OR REPLACE VIEW {table} AS {reads}")
    for view in JOINED_VIEWS:
        cur.execute(view)


def _views_missing(con: duckdb.DuckDBPyConnection) -> bool:
    """The app's database lacks a view of an exports file's table (it was made before that table existed), or has a
    view joining the exports with its own tables as an earlier version defined it."""
    [(views,)] = con.execute(
        """
        SELECT count(*) FROM duckdb_views()
        WHERE database_name = current_database() AND list_contains($tables, view_name)
        """,
        {"tables": list(EXPORT_FILE_TABLES)},
    ).fetchall()
    return views < len(EXPORT_FILE_TABLES) or _joined_views_changed(con)


def _joined_views_changed(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a joined view, made again now, would read otherwise than it does: tried, compared and undone."""

    def made() -> list[tuple[str, str]]:
        return con.execute(
            """
            SELECT view_name, sql FROM duckdb_views()
            WHERE database_name = current_database() AND list_contains($names, view_name)
            ORDER BY view_name
            """,
            {"names": list(JOINED_VIEW_NAMES)},
        ).fetchall()

    before = made()
    con.execute("BEGIN TRANSACTION")
    try:
        for view in JOINED_VIEWS:
            con.execute(view)
        return made() != before
    except duckdb.Error:
        return True  # made again in earnest, where an error is told
    finally:
        con.execute("ROLLBACK")


def loads_in(con: duckdb.DuckDBPyConnection, name: str, after: int) -> list[dict[str, Any]]:
    """The load records of an attached exports file newer than load id `after`."""
    cursor = con.execute(
        f"""
        SELECT load_id, loaded_at, source, files, rows_rejected, loaded_by, confirmed_losses
        FROM {name}.main.load_history WHERE load_id > $after ORDER BY load_id
        """,
        {"after": after},
    )
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def follow(
    con: duckdb.DuckDBPyConnection,
    on_load: Callable[[duckdb.DuckDBPyConnection, dict[str, Any]], None] | None = None,
    complete: bool = False,
) -> list[dict[str, Any]]:
    """Move the app's views to the published exports file if it is new; the loads that came with it.

    One write of the app's database: the views, an audit row per new load (and per failed load noted
    by another process), and on_load(cursor, load) for each. Nothing happens when nothing changed.
    complete: also make the views of exports tables added since the app's database was made.
    """
    folder = folder_for(app_path(con))
    file = published(folder)
    if file is None:
        file = empty_file(folder)
    viewed = viewed_alias(con)
    if viewed is not None and (folder / f"{viewed.removeprefix('exports_')}.duckdb").is_file():
        # A new connection: the file the views read, attached where they look for it.
        attach(con, folder / f"{viewed.removeprefix('exports_')}.duckdb", viewed)
    if viewed == alias(file) and not (folder / FAILURES).exists() and not (complete and _views_missing(con)):
        return []
    with _SWITCHING:
        old = viewed_alias(con)
        new = attach(con, file)
        missing = complete and _views_missing(con)
        seen = _last_switched(con)
        loads = loads_in(con, new, seen) if old != new else []
        failures = _read_failures(folder)

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            if old != new or missing:
                _point_views(cur, new)
            for row in loads:
                after = {"load_id": row["load_id"], "files": row["files"], "rejected": row["rows_rejected"]}
                # Only a load the admin confirmed despite lost rows says so: "none" on every other load was noise.
                if row["confirmed_losses"]:
                    after["confirmed_losses"] = row["confirmed_losses"]
                audit.record(cur, row["loaded_by"], "load", row["source"], after=after)
                for hook in (*_ON_EACH_LOAD, *([on_load] if on_load else [])):
                    hook(cur, row)
            if loads:
                cur.execute(
                    "INSERT INTO export_switches VALUES ($load_id, $at)",
                    {"load_id": loads[-1]["load_id"], "at": datetime.now()},
                )
            for failure in failures:
                audit.record(cur, failure.get("by"), "load.failed", failure.get("source"), after=failure.get("after"))

        write(con, work)
        if failures:
            (folder / FAILURES).unlink(missing_ok=True)
        if old and old != new:
            _detach_older(con, keep={old, new})
        return loads


def _last_switched(con: duckdb.DuckDBPyConnection) -> int:
    [(last,)] = con.execute("SELECT coalesce(max(load_id), 0) FROM export_switches").fetchall()
    return last


def _detach_older(con: duckdb.DuckDBPyConnection, keep: set[str]) -> None:
    # The file before the current one stays attached: a query that began on it finishes there.
    names = [
        name
        for (name,) in con.execute(
            "SELECT database_name FROM duckdb_databases() WHERE database_name LIKE 'exports_%'"
        ).fetchall()
        if name not in keep
    ]
    for name in names:
        with contextlib.suppress(duckdb.Error):
            con.execute(f"DETACH {name}")


def note_failure(folder: Path, by: str | None, source: str, after: dict[str, Any]) -> None:
    """A failed load of another process, for the dashboard's audit log at its next switch (after: its record)."""
    folder.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {"by": by, "source": source, "after": after, "at": datetime.now().isoformat()},
        ensure_ascii=False,
    )
    with load_lock(folder), open(folder / FAILURES, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def _read_failures(folder: Path) -> list[dict[str, Any]]:
    try:
        text = (folder / FAILURES).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    failures = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):
            failures.append(json.loads(line))
    return failures


class AppDataLocked(Exception):
    """The app's database is held by the running dashboard; str() says what that means."""


def read_only(app_db: Path, require_app: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only view of the deployment in memory: the published exports file, the app's database beside it.

    Both attached read-only, under the names the metrics use. Another process may hold the app's
    database for writing (the dashboard): AppDataLocked unless require_app is False, when the
    app's tables are shown empty.
    """
    con = duckdb.connect(":memory:")
    file = published(folder_for(app_db))
    if file is not None:
        attach(con, file, "exports_current")
    else:
        con.execute("ATTACH ':memory:' AS exports_current")
        con.execute("USE exports_current")
        create_tables(con)
        con.execute("USE memory")
    app_tables: list[str] = []
    if Path(app_db).is_file():
        try:
            con.execute(f"ATTACH '{_quoted(Path(app_db))}' AS app (READ_ONLY)")
            app_tables = [
                name
                for (name,) in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = 'app'"
                ).fetchall()
                if name not in EXPORT_FILE_TABLES
            ]
        except duckdb.IOException as error:
            if require_app:
                con.close()
                raise AppDataLocked(str(error)) from error
    for table, reads in _views_on(con, "exports_current").items():
        con.execute(f"CREATE VIEW {table} AS {reads}")
    if app_tables:
        # A database an earlier version made, not opened for writing since, lacks what was added to the app's tables:
        # read as a database made now would hold it (the tables and columns added, empty).
        con.execute("ATTACH ':memory:' AS made_now")
        con.execute("USE made_now")
        for statement in APP_DB_DDL:
            con.execute(statement)
        con.execute("USE memory")
        for table, reads in _as_made_now(con, app_tables).items():
            con.execute(f"CREATE VIEW {table} AS {reads}")
    else:
        for statement in APP_DB_DDL:
            con.execute(statement)
    for view in JOINED_VIEWS:
        con.execute(view)
    return con


def _as_made_now(con: duckdb.DuckDBPyConnection, app_tables: list[str]) -> dict[str, str]:
    """What the view of each table of the app's database reads: the table, with the columns a database made now has
    and this one lacks (an earlier version made it, and it was not opened for writing since) as empty ones; a table
    it lacks, empty, from one made now (attached as made_now)."""
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for database, table, column, kind in con.execute(
        """
        SELECT database_name, table_name, column_name, data_type FROM duckdb_columns()
        WHERE database_name IN ('app', 'made_now') ORDER BY column_index
        """
    ).fetchall():
        columns.setdefault((database, table), []).append((column, kind))
    reads = {table: f"SELECT * FROM app.main.{table}" for table in app_tables}
    for (database, table), made in columns.items():
        if database != "made_now":
            continue
        if table not in reads:
            reads[table] = f"SELECT * FROM made_now.main.{table}"
            continue
        held = {column for column, _kind in columns.get(("app", table), [])}
        added = "".join(f", CAST(NULL AS {kind}) AS {column}" for column, kind in made if column not in held)
        reads[table] = f"SELECT *{added} FROM app.main.{table}"
    return reads


def migrate(con: duckdb.DuckDBPyConnection) -> bool:
    """Move the export tables and the load record of a one-file database into an exports file; True if it did."""
    tables = {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    if "accounts" not in tables:
        return False
    folder = folder_for(app_path(con))
    with load_lock(folder):
        [(load_id,)] = con.execute("SELECT coalesce(max(load_id), 0) FROM load_history").fetchall()
        building = folder / f"{load_id}.duckdb.building"
        for leftover in (building, building.with_name(building.name + ".wal")):
            leftover.unlink(missing_ok=True)
        with duckdb.connect(str(building)) as out:
            create_tables(out)
        con.execute(f"ATTACH '{_quoted(building)}' AS migrating")
        try:
            for table in EXPORT_FILE_TABLES:
                if table in tables:
                    con.execute(f"INSERT INTO migrating.main.{table} BY NAME SELECT * FROM {table}")
            con.execute("CHECKPOINT migrating")
        finally:
            con.execute("DETACH migrating")
        with duckdb.connect(str(building)) as out:
            # A database made before the summaries existed: built once from its export tables.
            for statement in SUMMARY_DDL:
                out.execute(statement)
            out.execute("CHECKPOINT")
        final = folder / f"{load_id}.duckdb"
        os.replace(building, final)
        publish(folder, final)
    name = attach(con, final)

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        for view in JOINED_VIEW_NAMES:
            cur.execute(f"DROP VIEW IF EXISTS {view}")
        for table in EXPORT_FILE_TABLES:
            if table in tables:
                cur.execute(f"DROP TABLE {table}")
        _point_views(cur, name)
        # Loads made before are already in the audit log.
        cur.execute("INSERT INTO export_switches VALUES ($load_id, $at)", {"load_id": load_id, "at": datetime.now()})

    write(con, work)
    return True


def ensure_views(con: duckdb.DuckDBPyConnection) -> None:
    """A writable connection: migrate a one-file database, then follow the published file."""
    migrate(con)
    follow(con, complete=True)

"""The DuckDB database: opening it, creating its tables, and running bound queries."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from kam.i18n import _
from kam.store.schema import APP_DB_DDL, CONTACTS_LEFT_AT, CONTACTS_LEFT_AT_COLUMN, EXPORTS_RUN_TO

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

# query() reads a result as Arrow from the DB-API cursor, which DuckDB warns costs a copy of the rows.
# The copy is of a metric's result, small beside what the other way costs: a relation (con.sql)
# binds its query once for its columns and again to run it, a tenth more CPU per query.
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


class DatabaseUnavailable(Exception):
    """The database file cannot be opened.

    The message says what is wrong and what to do, with the file and process for the server log;
    `public` says the same without paths or process ids, for the page.
    """

    def __init__(self, message: str, public: str) -> None:
        super().__init__(message)
        self.public = public


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the app's database, with the current exports file attached read-only.

    A writable connection makes sure every table exists, moves the export tables of a one-file
    database into their own file, and shows the newest published exports (kam.store.exports).

    Raises DatabaseUnavailable when the file is damaged, locked by another process, or cannot be written.
    """
    path = Path(path)
    from kam.store import exports  # it writes through the audit log, which queries through this module

    if read_only:
        try:
            return exports.read_only(path)
        except exports.AppDataLocked as error:
            raise _explain(path, str(error)) from error
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
    except OSError as error:
        raise _unwritable(path, error.strerror or str(error)) from error
    except duckdb.Error as error:
        raise _explain(path, str(error)) from error
    try:
        ensure_schema(con)
        exports.ensure_views(con)
    except duckdb.IOException as error:
        con.close()
        raise _explain(path, str(error)) from error
    return con


def writable_folder(path: Path) -> None:
    """Make the database's folder if needed; DatabaseUnavailable saying what to do when it cannot be."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _unwritable(Path(path), error.strerror or str(error)) from error


_WRITABLE = "give the user running the dashboard write access to it, or set KAM_DB_PATH to a writable place"


def _unwritable(path: Path, reason: str) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"The database {path} or its folder cannot be written ({reason}): {_WRITABLE}.",
        _(
            "The database or its folder cannot be written: give the user running the dashboard write access "
            "to it, or set KAM_DB_PATH to a writable place."
        ),
    )


def _explain(path: Path, error: str) -> DatabaseUnavailable:
    if holder := _LOCK_HOLDER.search(error):
        todo = "stop that process (a second dashboard, or a `python -m kam` command) and start the dashboard again"
        return DatabaseUnavailable(
            f"The database {path} is in use by another process ({holder.group(1)}, PID {holder.group(2)}): {todo}.",
            _(
                "The database is in use by another process: stop that process (a second dashboard, or a "
                "`python -m kam` command) and start the dashboard again."
            ),
        )
    if "not a valid DuckDB database file" in error:
        todo = (
            "restore it from a backup, or move it aside and start again to rebuild it from the exports "
            "(visits entered in the app would then be lost)"
        )
        return DatabaseUnavailable(
            f"The database {path} is damaged or not a DuckDB database: {todo}.",
            _(
                "The database file is damaged or not a DuckDB database: restore it from a backup, or move it "
                "aside and start again to rebuild it from the exports (visits entered in the app would then be lost)."
            ),
        )
    if "Permission denied" in error or "Read-only file system" in error or "Cannot open file" in error:
        return _unwritable(path, error)
    return DatabaseUnavailable(
        f"The database {path} cannot be opened: {error}", _("The database cannot be opened; see the server log.")
    )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The tables of the app's own database, with what one made by an earlier version lacks filled in."""
    [(without_left_at,)] = con.execute(
        """
        SELECT count(*) > 0 AND NOT bool_or(column_name = 'left_at') FROM duckdb_columns()
        WHERE database_name = current_database() AND table_name = 'contacts_app'
        """
    ).fetchall()
    if without_left_at:
        # The column and the days it takes from the audit log in one go: a database never has one without the other.
        con.execute("BEGIN TRANSACTION")
        con.execute(CONTACTS_LEFT_AT_COLUMN)
        con.execute(CONTACTS_LEFT_AT)
        con.execute("COMMIT")
    for statement in APP_DB_DDL:
        con.execute(statement)


def bind(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The subset of params that sql names as $name (DuckDB rejects unused names)."""
    used = set(_PARAM.findall(sql))
    missing = used - set(params)
    if missing:
        raise KeyError(f"query parameters not supplied: {', '.join(sorted(missing))}")
    return {name: params[name] for name in used}


def query(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Run a SELECT with named, bound parameters and return a Polars frame."""
    con.execute(sql, bind(sql, params or {}))
    return pl.from_arrow(con.to_arrow_table(), rechunk=False)


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> None:
    """Run a statement with named, bound parameters, discarding any result."""
    con.execute(sql, bind(sql, params or {}))
    con.complete()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    """The first column of the first row, or None."""
    rows = con.execute(sql, bind(sql, params or {})).fetchall()
    return rows[0][0] if rows else None


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """True when no export has ever been loaded."""
    return scalar(con, "SELECT count(*) FROM load_history") == 0


def data_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The date the latest load's exports run to (None before any load): the default as-of date."""
    kept = con.execute("SELECT data_to FROM load_history ORDER BY load_id DESC LIMIT 1").fetchall()
    if not kept:
        return None
    # A load made before the date was kept: the export tables still hold what it loaded.
    return kept[0][0] or scalar(con, EXPORTS_RUN_TO)

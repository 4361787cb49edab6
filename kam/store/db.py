"""The DuckDB database: opening it, creating its tables, and running bound queries."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from kam.store.schema import DDL

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file and make sure every table exists."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
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
    return con.sql(sql, params=bind(sql, params or {})).pl()


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

"""The audit log: who did what, when, with the record before and after a change."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

from kam.store import db
from kam.store.write import write

# Longest user name or target kept: both may come from what a visitor typed.
MAX_NAME = 200


def _bounded(text: str | None) -> str | None:
    return None if text is None else text[:MAX_NAME]


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def record(
    con: duckdb.DuckDBPyConnection,
    username: str | None,
    action: str,
    target: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one event, in the caller's write (kam.store.write), with the change it records."""
    db.execute(
        con,
        """
        INSERT INTO audit_log (happened_at, username, action, target, before, after)
        VALUES ($happened_at, $username, $action, $target, $before, $after)
        """,
        {
            "happened_at": datetime.now(),
            "username": _bounded(username),
            "action": action,
            "target": _bounded(target),
            "before": _json(before),
            "after": _json(after),
        },
    )


def record_alone(
    con: duckdb.DuckDBPyConnection,
    username: str | None,
    action: str,
    target: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """An event that goes with no change (a sign-out, a refused load), as a write of its own."""
    write(con, lambda cur: record(cur, username, action, target, before, after))


def events(con: duckdb.DuckDBPyConnection, limit: int = 500, action: str | None = None) -> pl.DataFrame:
    """The latest events, newest first, optionally of one action."""
    return db.query(
        con,
        """
        SELECT event_id, happened_at, username, action, target, before, after
        FROM audit_log
        WHERE $action::VARCHAR IS NULL OR action = $action
        ORDER BY event_id DESC
        LIMIT $limit
        """,
        {"action": action, "limit": limit},
    )

"""The audit log: who did what, when, with the record before and after a change."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

from kam.store import db
from kam.store.write import write

# The events every sign-in writes (a sign-in and its session's start, its end or sign-out): the log leaves them out
# unless asked, so that they do not bury the changes. Failed and locked sign-ins are not routine and stay.
SESSION_ACTIONS = ("sign_in", "sign_out", "session.start", "session.end")
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
    *,
    at: datetime | None = None,
) -> None:
    """Append one event, in the caller's write (kam.store.write), with the change it records; at: when it happened
    (default now), for a change whose record keeps its own time (a contact's save: read back as of a day)."""
    db.execute(
        con,
        """
        INSERT INTO audit_log (happened_at, username, action, target, before, after)
        VALUES ($happened_at, $username, $action, $target, $before, $after)
        """,
        {
            "happened_at": at or datetime.now(),
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


def events(
    con: duckdb.DuckDBPyConnection, limit: int = 500, action: str | None = None, leave_out: tuple[str, ...] = ()
) -> pl.DataFrame:
    """The latest events, newest first, optionally of one action, without those of `leave_out`; with what a
    record's target belongs to where the log can tell: the account (`target_account`, its name `target_name`) of
    a plan, a plan action, a visit or a contact, and a plan's year (`target_year`)."""
    return db.query(
        con,
        """
        WITH latest AS (
            SELECT event_id, happened_at, username, action, target, before, after
            FROM audit_log
            WHERE ($action::VARCHAR IS NULL OR action = $action)
                AND NOT list_contains($leave_out::VARCHAR[], action)
            ORDER BY event_id DESC
            LIMIT $limit
        ),
        owned AS (
            SELECT l.*, json_extract_string(coalesce(l.after, l.before), '$.account_id') AS recorded,
                CASE split_part(l.action, '.', 1)
                    WHEN 'plan' THEN p.account_id
                    WHEN 'plan_action' THEN ap.account_id
                    WHEN 'visit' THEN coalesce(v.account_id, recorded)
                    WHEN 'contact' THEN coalesce(c.account_id, recorded)
                END AS target_account,
                CASE split_part(l.action, '.', 1)
                    WHEN 'plan' THEN p.year
                END AS target_year
            FROM latest AS l
            LEFT JOIN account_plans AS p ON p.plan_id = l.target
            LEFT JOIN plan_actions AS pa ON pa.action_id = l.target
            LEFT JOIN account_plans AS ap ON ap.plan_id = pa.plan_id
            LEFT JOIN visits_app AS v ON v.visit_id = l.target
            LEFT JOIN contacts_app AS c ON c.contact_id = l.target
        )
        SELECT o.* EXCLUDE (recorded), a.name AS target_name
        FROM owned AS o
        LEFT JOIN accounts AS a ON a.account_id = o.target_account
        ORDER BY o.event_id DESC
        """,
        {"action": action, "limit": limit, "leave_out": list(leave_out)},
    )

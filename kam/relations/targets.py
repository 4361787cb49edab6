"""Targets the VP enters in the app for next year; they replace an exported target of the same manager and year."""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from kam.i18n import _
from kam.relations.rules import Actor, Invalid, NotAllowed, NotSaved, require_vp
from kam.store import audit, db
from kam.store.write import write

ACTION_SET = "target.set"
# The month in which next year's targets are agreed.
TARGET_MONTH = 12


def set_target(
    con: duckdb.DuckDBPyConnection,
    manager_id: str,
    year: int,
    revenue_target: float | None,
    visit_target: int | None,
    user: Actor,
    *,
    now: datetime | None = None,
) -> None:
    """Enter a manager's target for next year (the VP, in December)."""
    now = now or datetime.now()
    require_vp(user)
    if now.month != TARGET_MONTH or year != now.year + 1:
        raise NotAllowed(_("Next year's targets are entered in December."))
    errors: dict[str, str] = {}
    if revenue_target is None or not revenue_target > 0:
        errors["revenue_target"] = _("The revenue target must be greater than 0.")
    if visit_target is not None and visit_target < 0:
        errors["visit_target"] = _("The visit target must not be negative.")
    if errors:
        raise Invalid(errors)

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        if not db.scalar(cur, "SELECT count(*) FROM managers WHERE manager_id = $m", {"m": manager_id}):
            raise NotAllowed(_("There is no such manager."))
        key = {"manager_id": manager_id, "year": year}
        frame = db.query(cur, "SELECT * FROM targets_app WHERE manager_id = $manager_id AND year = $year", key)
        before = frame.row(0, named=True) if frame.height else None
        row = key | {
            "revenue_target": float(revenue_target),
            "visit_target": visit_target,
            "entered_by": user.username,
            "entered_at": now,
        }
        db.execute(cur, "DELETE FROM targets_app WHERE manager_id = $manager_id AND year = $year", key)
        db.execute(cur, f"INSERT INTO targets_app ({', '.join(row)}) VALUES ({', '.join('$' + k for k in row)})", row)
        audit.record(cur, user.username, ACTION_SET, f"{manager_id}/{year}", before, row)

    write(con, work, busy=NotSaved)


def targets_of_year(con: duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame:
    """Every manager's exported and app-entered target for the year, and the one the metrics use."""
    return db.query(
        con,
        """
        SELECT m.manager_id, m.name, t.revenue_target AS exported_target, a.revenue_target AS app_target,
               u.revenue_target AS target_used, u.source
        FROM managers AS m
        LEFT JOIN targets AS t ON t.manager_id = m.manager_id AND t.year = $year
        LEFT JOIN targets_app AS a ON a.manager_id = m.manager_id AND a.year = $year
        LEFT JOIN targets_used AS u ON u.manager_id = m.manager_id AND u.year = $year
        ORDER BY m.manager_id
        """,
        {"year": year},
    )

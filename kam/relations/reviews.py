"""Quarterly reviews: per quarter and manager, the VP's notes, agreed actions and sign-off."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb
import polars as pl

from kam.i18n import _
from kam.present.formatting import too_long
from kam.relations.rules import MANAGER, Actor, Invalid, NotAllowed, NotSaved, require_vp, text
from kam.store import audit, db
from kam.store.write import write

ACTION_SAVE = "review.save"
MAX_TEXT = 4000


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter."""
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


# The scorecard's figures a quarterly review shows.
FIGURES = ("revenue", "attainment", "visit_coverage", "sla_met_pct", "csat_pct", "plan_coverage", "executive_coverage")


def quarter_label(year: int, quarter: int) -> str:
    """A quarter as it reads in the run's language: 2026 Q4."""
    return _("{year} Q{quarter}").format(year=year, quarter=quarter)


def side_by_side(now: pl.DataFrame, before: pl.DataFrame, year: int, quarter: int) -> pl.DataFrame:
    """Each manager of the quarter's scorecard (`now`) with its figures, and under it the same figures of the
    previous quarter (`before`): one row per manager and quarter, so that the table fits a laptop's width."""
    figures = [c for c in FIGURES if c in now.columns]
    before_year, before_quarter = previous_quarter(year, quarter)

    def rows(card: pl.DataFrame, label: str, order: int) -> pl.DataFrame:
        return card.select("manager_id", pl.lit(label).alias("quarter"), pl.lit(order).alias("order"), *figures)

    earlier = before.join(now.select("manager_id"), on="manager_id", how="semi")
    return (
        pl.concat(
            [rows(now, quarter_label(year, quarter), 0), rows(earlier, quarter_label(before_year, before_quarter), 1)],
            how="vertical_relaxed",
        )
        .sort("manager_id", "order")
        .drop("order")
    )


def save_review(
    con: duckdb.DuckDBPyConnection,
    year: int,
    quarter: int,
    manager_id: str,
    notes: str,
    agreed_actions: str,
    user: Actor,
    *,
    sign_off: bool = False,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Record (and with sign_off, sign off with today's date) the VP's review of one manager's quarter."""
    now = now or datetime.now()
    require_vp(user)
    errors: dict[str, str] = {}
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("Choose a quarter.")
    for field, value in (("notes", notes), ("agreed_actions", agreed_actions)):
        if len(value or "") > MAX_TEXT:
            errors[field] = too_long(len(value), MAX_TEXT)
    if errors:
        raise Invalid(errors)

    def work(cur: duckdb.DuckDBPyConnection) -> dict[str, Any]:
        if not db.scalar(cur, "SELECT count(*) FROM managers WHERE manager_id = $m", {"m": manager_id}):
            raise NotAllowed(_("There is no such manager."))
        key = {"year": year, "quarter": quarter, "manager_id": manager_id}
        frame = db.query(
            cur,
            "SELECT * FROM quarterly_reviews WHERE year = $year AND quarter = $quarter AND manager_id = $manager_id",
            key,
        )
        before = frame.row(0, named=True) if frame.height else None
        if before is not None and before["signed_off_on"] is not None:
            raise NotAllowed(_("This review is signed off and can no longer change."))
        row = key | {
            "notes": text(notes),
            "agreed_actions": text(agreed_actions),
            "signed_off_on": now.date() if sign_off else None,
            "signed_off_by": user.username if sign_off else None,
            "updated_by": user.username,
            "updated_at": now,
        }
        db.execute(
            cur,
            "DELETE FROM quarterly_reviews WHERE year = $year AND quarter = $quarter AND manager_id = $manager_id",
            key,
        )
        db.execute(
            cur,
            f"INSERT INTO quarterly_reviews ({', '.join(row)}) VALUES ({', '.join('$' + k for k in row)})",
            row,
        )
        audit.record(cur, user.username, ACTION_SAVE, f"{year}Q{quarter}/{manager_id}", before, row)
        return row

    return write(con, work, busy=NotSaved)


def reviews(
    con: duckdb.DuckDBPyConnection, user: Actor, year: int | None = None, quarter: int | None = None
) -> pl.DataFrame:
    """Reviews the user may read (a manager: their own), newest quarter first."""
    return db.query(
        con,
        """
        SELECT r.year, r.quarter, r.manager_id, m.name AS manager_name, r.notes, r.agreed_actions,
               r.signed_off_on, r.signed_off_by, r.updated_by, r.updated_at
        FROM quarterly_reviews AS r
        LEFT JOIN managers AS m USING (manager_id)
        WHERE ($year::INTEGER IS NULL OR r.year = $year)
          AND ($quarter::INTEGER IS NULL OR r.quarter = $quarter)
          AND (NOT $restricted OR r.manager_id = $manager_id)
        ORDER BY r.year DESC, r.quarter DESC, r.manager_id
        """,
        {
            "year": year,
            "quarter": quarter,
            "restricted": user.role == MANAGER,
            "manager_id": user.manager_id,
        },
    )

"""Quarterly reviews: per quarter and manager, the VP's notes, agreed actions and sign-off."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import polars as pl

from kam.i18n import _
from kam.present import columns
from kam.present.formatting import MISSING, day, too_long
from kam.present.text import markdown_text
from kam.relations.rules import MANAGER, Actor, Invalid, NotAllowed, NotSaved, require_vp, text
from kam.store import audit, db
from kam.store.write import write
from kam.vocabulary import REVIEW_FIGURES

ACTION_SAVE = "review.save"
MAX_TEXT = 4000
# The figures a signed-off review keeps, as columns of quarterly_reviews (names from the code, never typed).
SIGNED_COLUMNS = ", ".join(f"r.signed_{name}" for name in REVIEW_FIGURES)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter."""
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


# The scorecard's figures a quarterly review shows.
FIGURES = ("revenue", "attainment", "visit_coverage", "sla_met_pct", "csat_pct", "plan_coverage", "executive_coverage")


def quarter_over(year: int, quarter: int, as_of: date) -> bool:
    """Whether the quarter has ended by the as-of date (its last day on or before it)."""
    return quarter_bounds(year, quarter)[1] <= as_of


def whole_portfolios(regions: tuple[str, ...], tiers: tuple[str, ...]) -> bool:
    """Whether each manager's row of the scorecard counts all their accounts: no region or tier filter narrows it
    (a sign-off keeps the manager's whole quarter, not a part the sidebar happened to show)."""
    return not (regions or tiers)


@dataclass(frozen=True)
class Scorecard:
    """A manager's quarter figures as the page shows them, and the as-of date they were taken at: what a sign-off
    keeps, whatever the figures read later."""

    as_of: date
    figures: Mapping[str, float | None]


def scorecard_of(row: Mapping[str, Any], as_of: date) -> Scorecard:
    """The figures a review keeps from a manager's row of the quarter's scorecard (kam.metrics.managers.scorecard)
    taken as of as_of; a figure the row lacks, or without a value, is kept as none."""

    def kept(value: Any) -> float | None:
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)

    return Scorecard(as_of, {name: kept(row.get(name)) for name in REVIEW_FIGURES})


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
    signed_on: Scorecard | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Record the VP's review of one manager's quarter; with signed_on, sign it off with today's date, the VP's
    name and the manager's quarter figures it was signed on."""
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
        signed = signed_on is not None
        row = key | {
            "notes": text(notes),
            "agreed_actions": text(agreed_actions),
            "signed_off_on": now.date() if signed else None,
            "signed_off_by": user.username if signed else None,
            # The name as it read when signing: a signature stays the signer's whatever their user becomes.
            "signed_off_by_name": user.name if signed else None,
            "signed_as_of": signed_on.as_of if signed else None,
            **{f"signed_{name}": signed_on.figures.get(name) if signed else None for name in REVIEW_FIGURES},
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
        f"""
        SELECT r.year, r.quarter, r.manager_id, m.name AS manager_name, r.notes, r.agreed_actions,
               r.signed_off_on, r.signed_off_by,
               coalesce(r.signed_off_by_name, u.name, r.signed_off_by) AS signer_name,
               r.signed_as_of, {SIGNED_COLUMNS}, r.updated_by, r.updated_at
        FROM quarterly_reviews AS r
        LEFT JOIN managers AS m USING (manager_id)
        LEFT JOIN users AS u ON u.username = r.signed_off_by
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


def signed_off_text(review: Mapping[str, Any]) -> str:
    """Who signed a review off, on which day, and as of which day the figures it kept were taken (Markdown: the
    signer's name escaped); a review signed off before the figures were kept says it has none."""
    name = markdown_text(review.get("signer_name") or MISSING)
    signed_on, as_of = day(review["signed_off_on"]), review.get("signed_as_of")
    if as_of is None:
        return _(
            "Signed off on {day} by {name}. No figures were kept with it: it was signed off before reviews kept "
            "the figures they were signed on."
        ).format(day=signed_on, name=name)
    said = (
        _("Signed off on {day} by {name}, on the figures to {as_of}.")
        if quarter_over(review["year"], review["quarter"], as_of)
        else _("Signed off on {day} by {name}, on the figures to {as_of}, before the quarter was over.")
    )
    return said.format(day=signed_on, name=name, as_of=day(as_of))


def signed_figures_text(review: Mapping[str, Any]) -> str | None:
    """The figures a signed-off review kept, on one line (Revenue: ¥9,999 · Target to date: ¥1,500 · …); None for
    a review that kept none."""
    if review.get("signed_as_of") is None:
        return None
    return " · ".join(_signed_figure_text(name, review.get(f"signed_{name}")) for name in REVIEW_FIGURES)


def _signed_figure_text(name: str, value: float | None) -> str:
    spec = columns.review_figure(name)
    return _("{figure}: {value}").format(figure=spec.label, value=columns.text(spec, value))

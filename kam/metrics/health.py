"""Account health at D: five signals in 0–1, a weighted score 0–100 and its band, per account and group."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.metrics.complaints import OPEN_OR_RECENT
from kam.metrics.credit import OPEN_ORDERS
from kam.metrics.revenue import months_before, revenue_rows
from kam.metrics.scope import SCOPED, Scope, group_name, run
from kam.metrics.visits import STATUS

SIGNALS = ("visits", "revenue", "complaints", "satisfaction", "credit")
BANDS = ("at_risk", "watch", "healthy")

# One row per active account in scope with its five signals (null = missing). The orders of the
# revenue windows come in `health_revenue_rows` (segment recent or earlier, as revenue_rows gives them).
SIGNALS_SQL = """
recent_revenue AS (
    SELECT account_id,
           sum(amount) FILTER (WHERE segment = 'recent') AS recent,
           sum(amount) FILTER (WHERE segment = 'earlier') AS earlier
    FROM health_revenue_rows
    GROUP BY account_id
),
complaint_state AS (
    SELECT account_id,
           bool_or(sla_status = 'breached' AND open) AS open_breach,
           bool_or(opened_at >= $health_from_ts) AS recent_complaint
    FROM judged
    GROUP BY account_id
),
latest_survey AS (
    -- two surveys on the latest day: the lower score (a score moves the key by seconds, never a day;
    -- cheaper than a (day, score) key)
    SELECT account_id, arg_max(score, epoch(surveyed_on) - score) AS score
    FROM surveys
    WHERE surveyed_on BETWEEN $survey_from AND $as_of AND account_id IN (SELECT account_id FROM scoped)
    GROUP BY account_id
),
credit_state AS (
    -- an order not yet due counts as none: only the overdue ones are read (the condition reaches the scans)
    SELECT account_id, max(days_overdue) AS max_days_overdue
    FROM open_orders
    WHERE due_on < $as_of
    GROUP BY account_id
),
signs_seen AS (
    SELECT DISTINCT account_id
    FROM visits
    WHERE warning_signs IS NOT NULL AND visit_date BETWEEN $health_from AND $as_of
      AND account_id IN (SELECT account_id FROM scoped)
),
signals AS (
    SELECT st.account_id, st.name, st.tier, st.region, st.manager_id, st.last_visit,
           CASE WHEN NOT st.overdue THEN 1.0
                ELSE greatest(0.0, 1.0 - (st.days_since_visit - st.cadence) / st.cadence) END AS visits,
           CASE WHEN coalesce(r.earlier, 0) > 0 THEN least(1.0, coalesce(r.recent, 0) / r.earlier)
                WHEN coalesce(r.recent, 0) > 0 THEN 1.0 END AS revenue,
           CAST(CASE WHEN c.open_breach THEN 0 WHEN c.recent_complaint THEN 0.5 ELSE 1 END AS DOUBLE) AS complaints,
           (sv.score - 1) / 4.0 AS satisfaction,
           CAST(CASE WHEN coalesce(cr.max_days_overdue, 0) > $credit_days OR w.account_id IS NOT NULL THEN 0
                     WHEN coalesce(cr.max_days_overdue, 0) > 0 THEN 0.5
                     ELSE 1 END AS DOUBLE) AS credit,
           w.account_id IS NOT NULL AS warning_signs
    FROM status AS st
    LEFT JOIN recent_revenue AS r USING (account_id)
    LEFT JOIN complaint_state AS c USING (account_id)
    LEFT JOIN latest_survey AS sv USING (account_id)
    LEFT JOIN credit_state AS cr USING (account_id)
    LEFT JOIN signs_seen AS w USING (account_id)
)"""

_WEIGHTED = " + ".join(f"coalesce($w_{s} * {s}, 0)" for s in SIGNALS)
_WEIGHTS = " + ".join(f"CASE WHEN {s} IS NOT NULL THEN $w_{s} ELSE 0 END" for s in SIGNALS)

SCORED = f"""
scored AS (
    SELECT *,
           -- rounded to 9 places so that float noise cannot move a score across a band edge
           round(100.0 * ({_WEIGHTED}) / ({_WEIGHTS}), 9) AS score
    FROM signals
),
banded AS (
    SELECT *,
           CASE WHEN score < $health_watch THEN 'at_risk'
                WHEN score < $health_healthy THEN 'watch'
                ELSE 'healthy' END AS band
    FROM scored
)"""


def score_shown(score: pl.Expr) -> pl.Expr:
    """The score as shown: one decimal, rounded down (39.96 shows as 39.9)."""
    return ((score * 10 + 1e-9).floor() / 10).round(1)


def account_health(con: duckdb.DuckDBPyConnection, scope: Scope, band: str | None = None) -> pl.DataFrame:
    """Every active account in scope (band: only those in that band): its five signals, score, band and the
    signal that pulls it down most.

    weakest is the present signal losing the most weighted points (null when none loses any);
    ties go to the first in SIGNALS order. Sorted lowest score first.
    """
    if band is not None and band not in BANDS:
        raise ValueError(f"no health band {band!r}; expected one of {', '.join(BANDS)}")
    recent_from = scope.params()["health_from"]
    # The revenue window and the same days a year earlier: whole months from the monthly table, only the
    # days at their ends from the orders.
    revenue_sql, revenue_params = revenue_rows(
        {
            "recent": (recent_from, scope.as_of),
            "earlier": (months_before(recent_from, 12), months_before(scope.as_of, 12)),
        }
    )
    frame = run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {STATUS}, {OPEN_OR_RECENT}, {OPEN_ORDERS},
        health_revenue_rows AS ({revenue_sql}), {SIGNALS_SQL}, {SCORED}
        SELECT b.account_id, b.name, b.tier, b.region, b.manager_id, m.name AS manager_name, b.last_visit,
               b.visits, b.revenue, b.complaints, b.satisfaction, b.credit, b.warning_signs, b.score, b.band
        FROM banded AS b
        LEFT JOIN managers AS m USING (manager_id)
        WHERE $band::VARCHAR IS NULL OR b.band = $band::VARCHAR
        ORDER BY b.score, b.account_id
        """,
        band=band,
        **revenue_params,
    )
    weights = scope.policy.health_weights
    losses = [(weights[s] * (1 - pl.col(s))).fill_null(0.0) for s in SIGNALS]
    worst = pl.max_horizontal(losses)
    return frame.with_columns(
        weakest=pl.when(worst > 1e-9).then(
            pl.coalesce(*(pl.when(loss == worst).then(pl.lit(s)) for s, loss in zip(SIGNALS, losses, strict=True)))
        ),
        score_shown=score_shown(pl.col("score")),
    )


GROUP_COLUMNS = {None: None, "tier": "tier", "manager": "manager_id", "region": "region"}


def summarise(accounts: pl.DataFrame, by: str | None = None) -> pl.DataFrame:
    """Accounts in each band and the mean score of an account_health frame, overall or per group."""
    if by not in GROUP_COLUMNS:
        raise ValueError(f"cannot group health by {by!r}")
    column = GROUP_COLUMNS[by]
    key = pl.col(column) if column else pl.lit("all").alias("scope")
    frame = (
        accounts.group_by(key)
        .agg(
            accounts=pl.len().cast(pl.Int64),
            healthy=(pl.col("band") == "healthy").sum().cast(pl.Int64),
            watch=(pl.col("band") == "watch").sum().cast(pl.Int64),
            at_risk=(pl.col("band") == "at_risk").sum().cast(pl.Int64),
            mean_score=pl.col("score").mean(),
        )
        .sort(group_name(by))
    )
    if by is None and frame.is_empty():
        frame = pl.DataFrame(
            {"scope": ["all"], "accounts": [0], "healthy": [0], "watch": [0], "at_risk": [0], "mean_score": [None]},
            schema=frame.schema,
        )
    return frame


def health_summary(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Accounts in each band and the mean score, overall or per tier, manager or region."""
    return summarise(account_health(con, scope), by)


def band_moves(con: duckdb.DuckDBPyConnection, scope: Scope, now: pl.DataFrame | None = None) -> pl.DataFrame:
    """Each active account's band at D beside its band at the previous period's end (null if not active then).

    An account at risk now that was not active then counts as moved into at-risk. now: the scope's
    account_health when the caller has it already.
    """
    now = (account_health(con, scope) if now is None else now).select(
        "account_id", "name", "manager_id", "score", "band"
    )
    before = account_health(con, scope.previous()).select(
        "account_id", pl.col("score").alias("score_before"), pl.col("band").alias("band_before")
    )
    return now.join(before, on="account_id", how="left").with_columns(
        into_at_risk=(pl.col("band") == "at_risk") & (pl.col("band_before").fill_null("") != "at_risk"),
        out_of_at_risk=(pl.col("band") != "at_risk") & (pl.col("band_before").fill_null("") == "at_risk"),
    )

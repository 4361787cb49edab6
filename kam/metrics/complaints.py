"""Complaint metrics: first-response SLA, response and resolution times, breaches, ageing."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.metrics.scope import SCOPED, Metric, Scope, group_column, group_name, ratio, run, run_metric

# Every complaint of an account in scope opened on or before D, as it stood at the end
# of day D: a response or resolution stamped later counts as not there yet.
_KNOWN = """
known AS (
    SELECT c.complaint_id, c.account_id, c.opened_at, c.category, c.severity,
           s.name, s.tier, s.region, s.manager_id,
           CASE WHEN c.first_response_at < $end_of_d THEN c.first_response_at END AS responded_at,
           CASE WHEN c.resolved_at < $end_of_d THEN c.resolved_at END AS resolved_at,
           epoch(CASE WHEN c.first_response_at < $end_of_d THEN c.first_response_at END - c.opened_at) / 3600
               AS response_hours,
           epoch(CASE WHEN c.resolved_at < $end_of_d THEN c.resolved_at END - c.opened_at) / 3600
               AS resolution_hours,
           epoch($end_of_d - c.opened_at) / 3600 AS age_hours
    FROM complaints AS c
    JOIN scoped AS s USING (account_id)
    WHERE c.opened_at < $end_of_d AND c.account_id IN (SELECT account_id FROM scoped){only}
),
judged AS (
    SELECT *,
           CASE
               WHEN responded_at IS NOT NULL AND response_hours <= $sla_hours THEN 'met'
               WHEN responded_at IS NOT NULL THEN 'breached'
               WHEN age_hours > $sla_hours THEN 'breached'
               ELSE 'pending'
           END AS sla_status,
           resolved_at IS NULL AS open
    FROM known
),
in_period AS (
    SELECT * FROM judged WHERE opened_at >= $start_ts AND opened_at < $period_end_ts
)"""
KNOWN = _KNOWN.format(only="")
# Only the complaints still open at D or opened since $health_from_ts: the others change no signal of
# account health (kam.metrics.health), and leaving them out spares joining every complaint ever made.
OPEN_OR_RECENT = _KNOWN.format(
    only="\n      AND (c.resolved_at IS NULL OR c.resolved_at >= $end_of_d OR c.opened_at >= $health_from_ts)"
)

COLUMNS = """
    complaint_id, account_id, name, tier, region, manager_id, category, severity, opened_at,
    responded_at, resolved_at, response_hours, resolution_hours, age_hours, sla_status, open
"""


def complaints_in_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Complaints opened in the period (up to D) with their SLA status at D."""
    return run(con, scope, f"WITH {SCOPED}, {KNOWN} SELECT {COLUMNS} FROM in_period ORDER BY opened_at")


def sla_metric(by: str | None = None) -> Metric:
    """complaint_sla's query."""
    return Metric(
        (KNOWN,),
        f"""
        SELECT {group_column(by)} AS grp,
               count(*) FILTER (WHERE sla_status = 'met') AS met,
               count(*) FILTER (WHERE sla_status = 'breached') AS breached,
               count(*) FILTER (WHERE sla_status = 'pending') AS pending
        FROM in_period AS s
        GROUP BY grp
        ORDER BY grp
        """,
        finish=lambda frame: frame.with_columns(
            met_pct=ratio(pl.col("met"), pl.col("met") + pl.col("breached"))
        ).rename({"grp": group_name(by)}),
    )


def complaint_sla(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Met, breached and pending counts of complaints opened in the period; met % = met / (met + breached)."""
    return run_metric(con, scope, sla_metric(by))


def complaint_sla_by(con: duckdb.DuckDBPyConnection, scope: Scope, column: str) -> pl.DataFrame:
    """SLA counts and met % by complaint category or severity."""
    if column not in ("category", "severity"):
        raise ValueError(f"cannot group complaints by {column!r}")
    frame = (
        complaints_in_period(con, scope)
        .group_by(pl.col(column).fill_null("(none)"))
        .agg(
            met=(pl.col("sla_status") == "met").sum(),
            breached=(pl.col("sla_status") == "breached").sum(),
            pending=(pl.col("sla_status") == "pending").sum(),
        )
        .sort(column)
    )
    return frame.with_columns(met_pct=ratio(pl.col("met"), pl.col("met") + pl.col("breached")))


def response_times(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """First-response and resolution hours (median and 90th percentile) of complaints opened in the period."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {KNOWN}
        SELECT {group_column(by)} AS grp,
               count(response_hours) AS responded,
               median(response_hours) AS response_median_hours,
               quantile_cont(response_hours, 0.9) AS response_p90_hours,
               count(resolution_hours) AS resolved,
               median(resolution_hours) AS resolution_median_hours,
               quantile_cont(resolution_hours, 0.9) AS resolution_p90_hours
        FROM in_period AS s
        GROUP BY grp
        ORDER BY grp
        """,
    ).rename({"grp": group_name(by)})


def sla_over_time(con: duckdb.DuckDBPyConnection, scope: Scope, grain: str = "month") -> pl.DataFrame:
    """Met % of complaints opened in each week or month of the period."""
    if grain not in ("week", "month"):
        raise ValueError(f"grain must be week or month, not {grain!r}")
    frame = (
        complaints_in_period(con, scope)
        .with_columns(period=pl.col("opened_at").dt.truncate("1w" if grain == "week" else "1mo").dt.date())
        .group_by("period")
        .agg(
            met=(pl.col("sla_status") == "met").sum(),
            breached=(pl.col("sla_status") == "breached").sum(),
            pending=(pl.col("sla_status") == "pending").sum(),
        )
        .sort("period")
    )
    return frame.with_columns(met_pct=ratio(pl.col("met"), pl.col("met") + pl.col("breached")))


def breaches(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Complaints opened in the period that breached the SLA: open ones first, then closed, each oldest first.

    response_hours is the time to the first reply; a complaint with no reply by the end of D
    has none, and waiting_hours says how long it has waited so far.
    """
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {KNOWN}
        SELECT complaint_id, opened_at, account_id, name, tier, manager_id, category, severity,
               response_hours,
               CASE WHEN responded_at IS NULL THEN age_hours END AS waiting_hours,
               resolved_at, open
        FROM in_period
        WHERE sla_status = 'breached'
        ORDER BY open DESC, opened_at, complaint_id
        """,
    )


def open_breaches(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Complaints opened on or before D, past the SLA and not resolved by D, oldest first."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {KNOWN}
        SELECT {COLUMNS}
        FROM judged
        WHERE sla_status = 'breached' AND open
        ORDER BY opened_at, complaint_id
        """,
    )


def open_complaints_ageing(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Complaints not resolved by D, whenever opened, counted by age band; empty when none is open."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {KNOWN},
        bands AS (
            SELECT * FROM (VALUES (1, '< 1 day'), (2, '1–3 days'), (3, '3–7 days'), (4, '7–30 days'), (5, '> 30 days'))
                AS b(band_order, age_band)
        ),
        open_ones AS (
            SELECT CASE
                       WHEN age_hours < 24 THEN 1
                       WHEN age_hours < 72 THEN 2
                       WHEN age_hours < 168 THEN 3
                       WHEN age_hours < 720 THEN 4
                       ELSE 5
                   END AS band_order
            FROM judged
            WHERE open
        )
        SELECT b.age_band, count(o.band_order) AS complaints
        FROM bands AS b
        LEFT JOIN open_ones AS o USING (band_order)
        WHERE EXISTS (SELECT 1 FROM open_ones)
        GROUP BY b.band_order, b.age_band
        ORDER BY b.band_order
        """,
    )


def account_complaints(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """One account's complaints up to D, newest first."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {KNOWN}
        SELECT {COLUMNS}
        FROM judged
        WHERE account_id = $account_id
        ORDER BY opened_at DESC
        """,
        account_id=account_id,
    )

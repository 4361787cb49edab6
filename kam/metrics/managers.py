"""The per-manager scorecard, assembled from the per-manager split of every other metric."""

from __future__ import annotations

import duckdb
import polars as pl

from kam import db
from kam.metrics import complaints, revenue, satisfaction, visits
from kam.metrics.scope import SCOPED, Scope, run


def managers_in_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Managers the filters let through (by id and region; a restricted user sees only those owning their accounts)."""
    return db.query(
        con,
        f"""
        WITH {SCOPED}
        SELECT m.manager_id, m.name, m.region, m.email, m.active
        FROM managers AS m
        WHERE ($managers::VARCHAR[] IS NULL OR list_contains($managers::VARCHAR[], m.manager_id))
          -- A manager of the region, or one owning an account there: the scorecard adds up to the total.
          AND ($regions::VARCHAR[] IS NULL OR list_contains($regions::VARCHAR[], m.region)
               OR m.manager_id IN (SELECT manager_id FROM account_at))
          AND ($allowed::VARCHAR[] IS NULL OR m.manager_id IN (SELECT manager_id FROM account_at))
        ORDER BY m.manager_id
        """,
        scope.params(),
    )


def _accounts_by_tier(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT manager_id,
               count(*) AS active_accounts,
               count(*) FILTER (WHERE tier = 'A') AS accounts_a,
               count(*) FILTER (WHERE tier = 'B') AS accounts_b,
               count(*) FILTER (WHERE tier = 'C') AS accounts_c
        FROM scoped
        WHERE active
        GROUP BY manager_id
        """,
    )


def scorecard(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """One row per manager, sorted by id: accounts, revenue, attainment, growth, visits, SLA, satisfaction, churn."""
    key = "manager_id"
    parts = [
        _accounts_by_tier(con, scope),
        revenue.revenue_summary(con, scope, by="manager").select(key, "revenue", "target", "attainment", "growth"),
        visits.visit_coverage(con, scope, by="manager").select(
            key, "overdue", pl.col("coverage").alias("visit_coverage")
        ),
        visits.visit_attainment(con, scope, by="manager").select(key, pl.col("attainment").alias("visit_attainment")),
        complaints.complaint_sla(con, scope, by="manager").select(
            key, pl.col("breached").alias("sla_breached"), pl.col("met_pct").alias("sla_met_pct")
        ),
        satisfaction.satisfaction_summary(con, scope, by="manager").select(
            key, pl.col("mean_score").alias("satisfaction_mean"), "csat_pct"
        ),
        revenue.churn(con, scope, by="manager").select(key, "churned"),
    ]
    card = managers_in_scope(con, scope).select(key, "name", "region", "active")
    for part in parts:
        card = card.join(part, on=key, how="left")
    counts = ["active_accounts", "accounts_a", "accounts_b", "accounts_c", "overdue", "sla_breached", "churned"]
    return (
        card.with_columns(pl.col(c).fill_null(0) for c in counts)
        .with_columns(pl.col("revenue").fill_null(0.0))
        .sort(key)
    )

"""What needs the VP's attention this week, drawn from the other metrics."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.metrics import complaints, managers, revenue, satisfaction, visits
from kam.metrics.scope import Scope


def overdue_key_accounts(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """A-accounts overdue for a visit at D, most overdue first; one never visited says so."""
    overdue = visits.overdue_accounts(con, scope).filter(pl.col("tier") == "A")
    return visits.as_read(
        overdue.select(
            "account_id",
            "name",
            "manager_id",
            "last_visit",
            "days_since_visit",
            "cadence",
            "days_overdue",
            "never_visited",
        )
    )


def open_breaches(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Complaints past the SLA and still open at D."""
    return complaints.open_breaches(con, scope).select(
        "complaint_id", "account_id", "name", "manager_id", "opened_at", "category", "severity", "age_hours"
    )


def satisfaction_drops(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    return satisfaction.satisfaction_drops(con, scope).select(
        "account_id", "name", "tier", "manager_id", "latest_on", "previous_score", "latest_score"
    )


def managers_below_target(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Managers whose revenue attainment in the period is under the attention threshold."""
    threshold = scope.policy.attention_attainment
    return (
        managers.managers_in_scope(con, scope)
        .join(revenue.revenue_summary(con, scope, by="manager"), on="manager_id")
        .filter(pl.col("attainment") < threshold)
        .select("manager_id", "name", "region", "revenue", "target", "attainment")
        .sort("attainment")
    )

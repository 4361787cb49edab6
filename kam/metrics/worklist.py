"""An account manager's worklist: the accounts overdue or soon due for a visit, most urgent first."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.metrics.scope import Scope
from kam.metrics.visits import visit_status

COLUMNS = (
    "account_id",
    "name",
    "tier",
    "region",
    "manager_id",
    "manager_name",
    "last_visit",
    "last_channel",
    "days_since_visit",
    "cadence",
    "due_date",
    "days_overdue",
    "overdue",
    "never_visited",
)


def worklist(con: duckdb.DuckDBPyConnection, scope: Scope, within_days: int = 7) -> pl.DataFrame:
    """Active accounts in scope that are overdue at D or fall due within within_days after D, most urgent first.

    due_date is the last day the account is still within its cadence; days_overdue is
    negative for the days still left. Most urgent: tier A before B and C, then most days overdue.
    """
    status = visit_status(con, scope)
    return (
        status.filter(pl.col("days_overdue") >= -within_days)
        .with_columns(due_date=pl.lit(scope.as_of) - pl.duration(days=pl.col("days_overdue")))
        .sort(["tier", "days_overdue", "account_id"], descending=[False, True, False])
        .select(COLUMNS)
    )


def labels(due: pl.DataFrame) -> dict[str, str]:
    """Account id → how the worklist names it: name, id, and how late or how soon."""
    late = pl.when(pl.col("never_visited") & (pl.col("days_overdue") > 0)).then(pl.lit("never visited"))
    text = (
        late.when(pl.col("days_overdue") > 0)
        .then(pl.format("{} days overdue", pl.col("days_overdue")))
        .otherwise(pl.format("due in {} days", -pl.col("days_overdue")))
    )
    named = due.select("account_id", pl.format("{} ({}) · tier {} · {}", "name", "account_id", "tier", text))
    return dict(named.iter_rows())

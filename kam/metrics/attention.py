"""What needs the VP's attention this week, drawn from the other metrics."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.metrics import complaints, managers, relations, revenue, risk, satisfaction, visits
from kam.metrics.scope import Scope
from kam.present import columns


def overdue_key_accounts(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """A-accounts overdue for a visit at D, most overdue first; one never visited says so."""
    overdue = visits.overdue_accounts(con, scope, tier="A")
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
    """Active accounts whose latest satisfaction score fell or is low, worst first: the satisfaction page's
    columns, but what the customer wrote (kam.present.columns.SATISFACTION_DROPS_LISTED)."""
    return satisfaction.satisfaction_drops(con, scope).select(columns.SATISFACTION_DROPS_LISTED)


def managers_behind_pace(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Managers whose revenue is under their target pro-rated to the period (attainment under 100 %), worst first.

    gap is the money still missing to be on pace: pro-rated target − revenue. A manager with
    no target has no attainment and is not listed.
    """
    on_pace = scope.policy.attainment_bands["on_pace"]
    return (
        managers.managers_in_scope(con, scope)
        # A manager without a target has no attainment and is not listed: no need for the rows of idle groups.
        .join(revenue.revenue_summary(con, scope, by="manager", idle_groups=False), on="manager_id")
        .filter(pl.col("attainment") < on_pace)
        .with_columns(gap=pl.col("target") * on_pace - pl.col("revenue"))
        .select("manager_id", "name", "region", "revenue", "target", "attainment", "gap")
        .sort(["attainment", "manager_id"])
    )


def fell_into_at_risk(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Accounts at risk at D that were not at the previous period's end, lowest score first."""
    return risk.fell_into_at_risk(con, scope)


def over_credit_limit(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Accounts owing more than their credit limit at D, most over first."""
    return risk.over_limit(con, scope)


def overdue_plan_actions(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Open actions of account plans past their due date at D, longest overdue first."""
    return relations.overdue_plan_actions(con, scope).select(
        "account_id", "name", "manager_id", "description", "owner", "due_on", "days_overdue"
    )


def key_accounts_without_executive_ties(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """A-accounts with no executive-level contact on file, or no visit with our senior management in 90 days."""
    return relations.key_account_flags(con, scope)


# The lists whose every row is one account's (or one of its complaints' or plan actions'), worked out from that
# account's data alone: the list for some of the accounts is the whole list's rows of those accounts, in its
# order. (Managers behind pace is not: its rows are managers'.)
OF_ONE_ACCOUNT_EACH = frozenset(
    {
        overdue_key_accounts,
        open_breaches,
        satisfaction_drops,
        fell_into_at_risk,
        over_credit_limit,
        overdue_plan_actions,
        key_accounts_without_executive_ties,
    }
)


def of_accounts(frame: pl.DataFrame, accounts: tuple[str, ...]) -> pl.DataFrame:
    """The rows of a list of OF_ONE_ACCOUNT_EACH that are these accounts', in the list's order."""
    return frame.filter(pl.col("account_id").is_in(accounts))

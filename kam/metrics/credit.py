"""Receivables at D: outstanding, overdue by age bucket, accounts over their limit, utilisation; warning signs."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.config import Settings
from kam.metrics.scope import SCOPED, Scope, group_column, group_name, ratio, run
from kam.store.schema import LONG_OPEN_DAYS

# Open orders at D of the accounts in scope (churned ones still owe): ordered by D, not paid
# by D, amount above 0. An order due before D is overdue by D - due_on days. Receivables cover
# the accounts created by D: every use joins these to them (a semi-join here, dropped for a scope
# of every account, costs less than a join of every open order).
# Read in two parts that never overlap, so that no part scans every order: the orders that stay
# open longer than LONG_OPEN_DAYS (a table the load builds, a few per cent of the orders), and the
# others, which can be open at D only if placed in the LONG_OPEN_DAYS days up to D (the orders are
# stored by date: their zone maps skip the rest).
OPEN_ORDERS = f"""
open_orders AS (
    SELECT o.order_id, o.account_id, o.order_date, o.amount, o.due_on,
           CASE WHEN o.due_on < $as_of THEN $as_of - o.due_on ELSE 0 END AS days_overdue
    FROM (
        SELECT l.order_id, l.account_id, l.order_date, l.amount, l.due_on
        FROM long_open_orders AS l
        WHERE l.order_date <= $as_of
          AND (l.paid_on IS NULL OR l.paid_on > $as_of)
          AND l.account_id IN (SELECT account_id FROM scoped)
        UNION ALL
        SELECT q.order_id, q.account_id, q.order_date, q.amount, q.due_on
        FROM orders AS q
        WHERE q.order_date BETWEEN $as_of - {LONG_OPEN_DAYS} AND $as_of
          AND q.paid_on > $as_of
          AND q.paid_on - q.order_date <= {LONG_OPEN_DAYS}
          AND q.amount > 0
          AND q.account_id IN (SELECT account_id FROM scoped)
    ) AS o
),
owed AS (
    SELECT account_id,
           sum(amount) AS outstanding,
           sum(amount) FILTER (WHERE days_overdue > 0) AS overdue,
           sum(amount) FILTER (WHERE days_overdue BETWEEN 1 AND $age_1) AS bucket_1,
           sum(amount) FILTER (WHERE days_overdue > $age_1 AND days_overdue <= $age_2) AS bucket_2,
           sum(amount) FILTER (WHERE days_overdue > $age_2 AND days_overdue <= $age_3) AS bucket_3,
           sum(amount) FILTER (WHERE days_overdue > $age_3) AS bucket_4,
           max(days_overdue) AS max_days_overdue,
           count(order_id) AS open_orders
    FROM open_orders
    GROUP BY account_id
),
account_receivables AS (
    SELECT s.account_id, s.name, s.tier, s.region, s.manager_id, s.active, s.credit_limit,
           coalesce(o.outstanding, 0) AS outstanding,
           coalesce(o.overdue, 0) AS overdue,
           coalesce(o.bucket_1, 0) AS bucket_1,
           coalesce(o.bucket_2, 0) AS bucket_2,
           coalesce(o.bucket_3, 0) AS bucket_3,
           coalesce(o.bucket_4, 0) AS bucket_4,
           coalesce(o.max_days_overdue, 0) AS max_days_overdue,
           coalesce(o.open_orders, 0) AS open_orders
    FROM scoped AS s
    LEFT JOIN owed AS o USING (account_id)
    WHERE s.created_on <= $as_of
),
judged_receivables AS (
    SELECT *,
           overdue > 0 AS is_overdue,
           -- A limit of 0 is cash only: anything outstanding is over it.
           credit_limit IS NOT NULL AND outstanding > credit_limit AS over_limit,
           CASE WHEN credit_limit > 0 THEN outstanding / credit_limit END AS utilisation
    FROM account_receivables
)"""


def bucket_labels(policy: Settings) -> tuple[str, str, str, str]:
    """The ageing buckets' keys in the KPI snapshot (docs/KPI_SNAPSHOT.md), read by programs: 1-30, 31-60, 61-90,
    90+ by default. A page names them in words (kam.present.columns.overdue_age_bands)."""
    a, b, c = (policy.ageing_days[k] for k in ("first", "second", "third"))
    return (f"1-{a}", f"{a + 1}-{b}", f"{b + 1}-{c}", f"{c}+")


# Amounts compared to the cent: sums of the same orders may differ in their last bits from run to run
# (the order they are added in), which must not reorder accounts that owe the same.
_BY_OVERDUE = "round(r.overdue, 2) DESC, round(r.outstanding, 2) DESC, r.account_id"
_BY_OVER_LIMIT = "round(r.outstanding - r.credit_limit, 2) DESC, r.account_id"


def account_receivables(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Every account in scope created by D with what it owes at D, largest overdue first.

    bucket_1..bucket_4 hold the overdue amounts by age (see bucket_labels); utilisation is
    null without a limit above 0.
    """
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {OPEN_ORDERS}
        SELECT r.*, m.name AS manager_name
        FROM judged_receivables AS r
        LEFT JOIN managers AS m USING (manager_id)
        ORDER BY {_BY_OVERDUE}
        """,
    )


def over_limit_accounts(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """The accounts in scope owing more than their credit limit at D, most over it first: account_receivables'
    columns of the limit, what they owe and how much of it is overdue.

    Only these columns: the ageing buckets and the rest of account_receivables would double the query's cost.
    """
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {OPEN_ORDERS}
        SELECT r.account_id, r.name, r.tier, r.manager_id, r.credit_limit, r.outstanding, r.overdue, r.over_limit
        FROM judged_receivables AS r
        WHERE r.over_limit
        ORDER BY {_BY_OVER_LIMIT}
        """,
    )


def receivables(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Outstanding, overdue and its buckets, overdue and over-limit accounts, utilisation, overall or by group.

    A group's utilisation = outstanding of its accounts with a limit above 0 / the sum of those limits.
    """
    return _receivables(con, scope, by, total=False)[1]


def receivables_with_total(con: duckdb.DuckDBPyConnection, scope: Scope, by: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """receivables(scope) and receivables(scope, by), from one pass over the open orders."""
    total, groups = _receivables(con, scope, by, total=True)
    assert total is not None
    return total, groups


def _receivables(
    con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None, total: bool
) -> tuple[pl.DataFrame | None, pl.DataFrame]:
    frame = run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {OPEN_ORDERS}
        SELECT {group_column(by)} AS grp,
               grouping(grp) AS whole,
               count(*) AS accounts,
               sum(s.outstanding) AS outstanding,
               sum(s.overdue) AS overdue,
               sum(s.bucket_1) AS bucket_1,
               sum(s.bucket_2) AS bucket_2,
               sum(s.bucket_3) AS bucket_3,
               sum(s.bucket_4) AS bucket_4,
               count(*) FILTER (WHERE s.is_overdue) AS overdue_accounts,
               count(*) FILTER (WHERE s.over_limit) AS over_limit_accounts,
               coalesce(sum(s.outstanding) FILTER (WHERE s.credit_limit > 0), 0) AS limited_outstanding,
               coalesce(sum(s.credit_limit) FILTER (WHERE s.credit_limit > 0), 0) AS credit_limits
        FROM judged_receivables AS s
        GROUP BY {"GROUPING SETS ((grp), ())" if total else "grp"}
        ORDER BY whole, grp
        """,
    )
    groups = _finish(frame.filter(pl.col("whole") == 0).drop("whole"), by)
    if not total:
        return None, groups
    # The total of a scope of no account comes with empty sums: shown as zeros, as receivables() shows it.
    whole = frame.filter((pl.col("whole") == 1) & (pl.col("accounts") > 0)).drop("whole")
    return _finish(whole.with_columns(grp=pl.lit("all")), None), groups


def _finish(frame: pl.DataFrame, by: str | None) -> pl.DataFrame:
    if by is None and frame.is_empty():
        frame = pl.DataFrame(
            [{"grp": "all"} | {c: 0 for c in frame.columns if c != "grp"}], schema=frame.schema, orient="row"
        )
    return frame.with_columns(utilisation=ratio(pl.col("limited_outstanding"), pl.col("credit_limits"))).rename(
        {"grp": group_name(by)}
    )


def open_orders(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str | None = None) -> pl.DataFrame:
    """Open orders at D (of one account, or all in scope), most overdue first."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {OPEN_ORDERS}
        SELECT o.order_id, o.account_id, s.name, s.manager_id, o.order_date, o.amount, o.due_on,
               o.days_overdue
        FROM open_orders AS o
        JOIN scoped AS s USING (account_id)
        WHERE s.created_on <= $as_of AND ($account_id::VARCHAR IS NULL OR o.account_id = $account_id)
        ORDER BY o.days_overdue DESC, o.due_on, o.order_id
        """,
        account_id=account_id,
    )


def warning_signs(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Visits in the period up to D that recorded credit warning signs, newest first; signs as a list of codes."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT v.visit_date, v.account_id, s.name, s.tier, s.region, s.manager_id AS account_manager_id,
               v.manager_id AS visited_by, m.name AS visited_by_name,
               string_split(v.warning_signs, ';') AS signs, v.source
        FROM visits AS v
        JOIN scoped AS s USING (account_id)
        LEFT JOIN managers AS m ON m.manager_id = v.manager_id
        WHERE v.warning_signs IS NOT NULL AND v.visit_date BETWEEN $start AND $period_end
        ORDER BY v.visit_date DESC, v.visit_id DESC
        """,
    )

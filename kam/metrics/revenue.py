"""Revenue metrics: revenue in the period, attainment against pro-rated targets, growth, churn."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.metrics.scope import SCOPED, Scope, group_column, group_name, ratio, run

# Targets pro-rated to the period up to D: each year's annual target times the share of
# that year's days the period covers. Only the managers the filters let through count.
PRORATED_TARGETS = """
target_managers AS (
    SELECT m.manager_id, m.region
    FROM managers AS m
    WHERE ($managers::VARCHAR[] IS NULL OR list_contains($managers::VARCHAR[], m.manager_id))
      AND ($regions::VARCHAR[] IS NULL OR list_contains($regions::VARCHAR[], m.region))
      AND ($allowed::VARCHAR[] IS NULL OR m.manager_id IN (SELECT manager_id FROM account_at))
),
period_years AS (
    SELECT y AS year,
           greatest($start, make_date(y, 1, 1)) AS first_day,
           least($period_end, make_date(y, 12, 31)) AS last_day,
           make_date(y, 12, 31) - make_date(y, 1, 1) + 1 AS year_days
    FROM range(year($start), year($period_end) + 1) AS r(y)
    WHERE $days > 0
),
prorated AS (
    SELECT t.manager_id, m.region,
           sum(t.revenue_target * (p.last_day - p.first_day + 1) / p.year_days) AS target,
           -- Visit targets are optional: a manager counts only with one set for every year covered.
           CASE WHEN count(t.visit_target) = count(*)
                THEN sum(t.visit_target * (p.last_day - p.first_day + 1) / p.year_days) END AS visit_target
    FROM targets_used AS t
    JOIN target_managers AS m USING (manager_id)
    JOIN period_years AS p USING (year)
    GROUP BY t.manager_id, m.region
)"""

TARGET_GROUPS = {None: "'all'", "manager": "manager_id", "region": "region"}


def revenue_summary(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Revenue in the period up to D, the same dates a year earlier, growth, pro-rated target, attainment."""
    if by not in TARGET_GROUPS:
        raise ValueError(f"revenue can be split by manager or region, not {by!r}")
    frame = run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {PRORATED_TARGETS},
        revenue AS (
            SELECT {group_column(by)} AS grp,
                   sum(o.amount) FILTER (WHERE o.order_date BETWEEN $start AND $period_end) AS revenue,
                   sum(o.amount) FILTER (
                       WHERE o.order_date BETWEEN CAST($start - INTERVAL 1 YEAR AS DATE)
                                              AND CAST($period_end - INTERVAL 1 YEAR AS DATE)
                   ) AS revenue_prior_year
            FROM orders AS o
            JOIN scoped AS s USING (account_id)
            WHERE o.order_date BETWEEN CAST($start - INTERVAL 1 YEAR AS DATE) AND $period_end
            GROUP BY grp
        ),
        targets_by_group AS (
            SELECT {TARGET_GROUPS[by]} AS grp, sum(target) AS target
            FROM prorated
            GROUP BY grp
        ),
        groups AS (
            SELECT grp FROM revenue
            UNION
            SELECT grp FROM targets_by_group
        )
        SELECT g.grp,
               coalesce(r.revenue, 0) AS revenue,
               coalesce(r.revenue_prior_year, 0) AS revenue_prior_year,
               t.target
        FROM groups AS g
        LEFT JOIN revenue AS r USING (grp)
        LEFT JOIN targets_by_group AS t USING (grp)
        ORDER BY g.grp
        """,
    )
    if by is None and frame.is_empty():
        frame = pl.DataFrame(
            {"grp": ["all"], "revenue": [0.0], "revenue_prior_year": [0.0], "target": [None]},
            schema=frame.schema,
        )
    return frame.with_columns(
        attainment=ratio(pl.col("revenue"), pl.col("target")),
        growth=ratio(pl.col("revenue"), pl.col("revenue_prior_year")) - 1,
    ).rename({"grp": group_name(by)})


def revenue_by_month(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Monthly revenue of the accounts in scope over the 24 months up to D."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT CAST(date_trunc('month', o.order_date) AS DATE) AS month, sum(o.amount) AS revenue
        FROM orders AS o
        JOIN scoped AS s USING (account_id)
        WHERE o.order_date <= $as_of
          AND o.order_date > CAST($as_of - INTERVAL 24 MONTH AS DATE)
        GROUP BY month
        ORDER BY month
        """,
    )


def revenue_by_account(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Each account's orders and revenue in the period up to D, largest first (the accounts behind a month's bar)."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT s.account_id, s.name, s.tier, s.region, s.manager_id,
               count(*) AS orders, sum(o.amount) AS revenue
        FROM orders AS o
        JOIN scoped AS s USING (account_id)
        WHERE o.order_date BETWEEN $start AND $period_end
        GROUP BY ALL
        ORDER BY revenue DESC, s.account_id
        """,
    )


def churn(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Accounts churned in the period (up to D) / accounts active at the period's start."""
    frame = run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT {group_column(by)} AS grp,
               count(*) FILTER (WHERE s.churned_on BETWEEN $start AND $period_end) AS churned,
               count(*) FILTER (
                   WHERE s.created_on <= $start AND (s.churned_on IS NULL OR s.churned_on > $start)
               ) AS active_at_start
        FROM scoped AS s
        GROUP BY grp
        ORDER BY grp
        """,
    )
    return frame.with_columns(churn_rate=ratio(pl.col("churned"), pl.col("active_at_start"))).rename(
        {"grp": group_name(by)}
    )


def churned_accounts(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Accounts churned in the period up to D, with their reasons."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT s.churned_on, s.account_id, s.name, s.tier, s.region, s.manager_id, s.churn_reason
        FROM scoped AS s
        WHERE s.churned_on BETWEEN $start AND $period_end
        ORDER BY s.churned_on, s.account_id
        """,
    )


def account_orders(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """One account's orders up to D, newest first."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT o.order_id, o.order_date, o.product, o.quantity, o.amount, o.due_on, o.paid_on
        FROM orders AS o
        JOIN scoped AS s USING (account_id)
        WHERE o.account_id = $account_id AND o.order_date <= $as_of
        ORDER BY o.order_date DESC, o.order_id DESC
        """,
        account_id=account_id,
    )

"""Retention: the repeat-purchase rate (回头率) and churn by cause with the revenue it lost."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import polars as pl

from kam.metrics.scope import SCOPED, Scope, group_column, group_name, ratio, run
from kam.vocabulary import CHURN_REASONS

# Per churned account in the period (up to D): its orders in the days before it churned.
CHURNED = """
churned AS (
    SELECT s.*,
           coalesce((
               SELECT sum(o.amount)
               FROM orders AS o
               WHERE o.account_id = s.account_id
                 AND o.order_date BETWEEN s.churned_on - $lost_days AND s.churned_on - 1
                 -- every such window lies in this one: the orders outside it are not read
                 AND o.order_date BETWEEN $start - $lost_days AND $period_end - 1
           ), 0) AS lost_revenue
    FROM scoped AS s
    WHERE s.churned_on BETWEEN $start AND $period_end
)"""


def repeat_rate(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Accounts (churned too) that bought in the year before the period and bought again in it, up to D.

    base = accounts with an order above 0 in the lookback before the period's start; repeat =
    those of them with an order above 0 in the period; by tier: the tier at D.
    """
    return repeat_rates(con, [(scope, by)])[0]


def repeat_lookback(scope: Scope) -> tuple[date, date]:
    """The first and last day of the lookback before the period whose buyers are the repeat rate's base."""
    params = scope.params()
    return params["repeat_from"], params["repeat_to"]


def repeat_rates(con: duckdb.DuckDBPyConnection, asks: list[tuple[Scope, str | None]]) -> list[pl.DataFrame]:
    """repeat_rate(scope, by) of each (scope, by) asked, from one pass over the orders.

    The scopes may differ in their period only.
    """
    first = asks[0][0]
    params: dict[str, Any] = {}
    flags, counts = [], []
    for n, (scope, by) in enumerate(asks):
        own = scope.params()
        params |= {
            f"from_{n}": own["repeat_from"],
            f"to_{n}": own["repeat_to"],
            f"start_{n}": own["start"],
            f"end_{n}": own["period_end"],
        }
        # The names are numbered in the code, never taken from input.
        flags.append(
            f"bool_or(o.order_date BETWEEN $from_{n} AND $to_{n}) AS before_{n}, "
            f"bool_or(o.order_date BETWEEN $start_{n} AND $end_{n}) AS again_{n}"
        )
        counts.append(f"""
        SELECT {n} AS period, {group_column(by)} AS grp,
               count(*) AS base,
               count(*) FILTER (WHERE b.again_{n}) AS repeat
        FROM bought AS b
        JOIN scoped AS s USING (account_id)
        WHERE b.before_{n}
        GROUP BY grp""")
    params |= {
        "orders_from": min(params[f"from_{n}"] for n in range(len(asks))),
        "orders_to": max(params[f"end_{n}"] for n in range(len(asks))),
    }
    frame = run(
        con,
        first,
        f"""
        WITH {SCOPED},
        bought AS (
            SELECT o.account_id, {", ".join(flags)}
            FROM orders AS o
            WHERE o.amount > 0 AND o.order_date BETWEEN $orders_from AND $orders_to
              AND o.account_id IN (SELECT account_id FROM scoped)
            GROUP BY o.account_id
        )
        {" UNION ALL ".join(counts)}
        ORDER BY period, grp
        """,
        **params,
    )
    rates = []
    for n, (_scope, by) in enumerate(asks):
        rate = frame.filter(pl.col("period") == n).drop("period")
        if by is None and rate.is_empty():
            rate = pl.DataFrame({"grp": ["all"], "base": [0], "repeat": [0]}, schema=rate.schema)
        rates.append(
            rate.with_columns(repeat_rate=ratio(pl.col("repeat"), pl.col("base"))).rename({"grp": group_name(by)})
        )
    return rates


def churn_by_reason(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Accounts churned in the period (up to D) and their lost revenue per cause; every cause listed, 0 when none."""
    return by_reason(churned_with_losses(con, scope), by)


def by_reason(churned: pl.DataFrame, by: str | None = None) -> pl.DataFrame:
    """churn_by_reason from the period's churned accounts (churned_with_losses): per cause, overall or per tier,
    region or manager with churn."""
    # The group's column as churned_with_losses names it; group_column checks `by`.
    key = pl.col(group_column(by).removeprefix("s.")) if by is not None else pl.lit("all")
    counted = churned.group_by(key.alias("grp"), "churn_reason").agg(
        accounts=pl.len().cast(pl.Int64), lost_revenue=pl.col("lost_revenue").sum().cast(pl.Float64)
    )
    groups = counted.select("grp").unique() if by is not None else pl.DataFrame({"grp": ["all"]})
    grid = groups.join(pl.DataFrame({"churn_reason": list(CHURN_REASONS)}), how="cross")
    order = {reason: n for n, reason in enumerate(CHURN_REASONS)}
    return (
        grid.join(counted, on=["grp", "churn_reason"], how="left")
        .with_columns(
            pl.col("accounts").fill_null(0),
            pl.col("lost_revenue").fill_null(0.0),
            pl.col("churn_reason").replace_strict(order, return_dtype=pl.Int64).alias("_order"),
        )
        .sort("grp", "_order")
        .drop("_order")
        .rename({"grp": group_name(by)})
    )


def churn_by_month(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Accounts churned and lost revenue per month of the period (up to D) and cause; only months with churn."""
    return by_month(churned_with_losses(con, scope))


def by_month(churned: pl.DataFrame) -> pl.DataFrame:
    """churn_by_month from the period's churned accounts (churned_with_losses)."""
    return (
        churned.group_by(pl.col("churned_on").dt.truncate("1mo").alias("month"), "churn_reason")
        .agg(accounts=pl.len().cast(pl.Int64), lost_revenue=pl.col("lost_revenue").sum())
        .sort("month", "churn_reason")
    )


def churned_with_losses(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Accounts churned in the period (up to D) with cause, manager and lost revenue, newest first."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {CHURNED}
        SELECT c.churned_on, c.account_id, c.name, c.tier, c.region, c.manager_id, m.name AS manager_name,
               c.churn_reason, c.lost_revenue
        FROM churned AS c
        LEFT JOIN managers AS m USING (manager_id)
        ORDER BY c.churned_on DESC, c.account_id
        """,
    )

"""Tier metrics: distribution, mix over time, movement, and the revenue-based ABC suggestion."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import duckdb
import polars as pl

from kam.metrics.revenue import revenue_rows
from kam.metrics.scope import COMPANY_ACTIVE, SCOPED, TIER_ROWS, Scope, run
from kam.store import db
from kam.vocabulary import TIERS


def trailing_year(as_of: date) -> tuple[date, date]:
    """The first and last day of the 12 months to D the tiers are judged over: D-364 to D."""
    return as_of - timedelta(days=364), as_of


def revenue_12m(scope: Scope, of_scoped: bool = True) -> tuple[str, dict[str, Any]]:
    """CTE revenue_12m: trailing 12 months revenue per account in scope (or of every account when not of_scoped),
    orders dated D-364..D, and its parameters."""
    rows, params = revenue_rows({"t12m": trailing_year(scope.as_of)}, of_scoped)
    return (
        f"""
revenue_12m AS (
    SELECT account_id, sum(amount) AS revenue
    FROM ({rows}
    )
    GROUP BY account_id
)""",
        params,
    )


def tier_distribution(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Active accounts at D by tier (count, share) and their trailing-12-month revenue (sum, share)."""
    trailing, params = revenue_12m(scope)
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {trailing},
        by_tier AS (
            SELECT s.tier, count(*) AS accounts, coalesce(sum(r.revenue), 0) AS revenue_12m
            FROM scoped AS s
            LEFT JOIN revenue_12m AS r USING (account_id)
            WHERE s.active
            GROUP BY s.tier
        )
        SELECT t.tier,
               coalesce(b.accounts, 0) AS accounts,
               coalesce(b.accounts, 0) / nullif(sum(b.accounts) OVER (), 0) AS share,
               coalesce(b.revenue_12m, 0) AS revenue_12m,
               coalesce(b.revenue_12m, 0) / nullif(sum(b.revenue_12m) OVER (), 0) AS revenue_share
        FROM ({TIER_ROWS}) AS t
        LEFT JOIN by_tier AS b USING (tier)
        ORDER BY t.tier
        """,
        **params,
    )


def abc_suggestion(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Active accounts in scope with the Pareto (ABC) tier beside the assigned one, by revenue rank.

    The ranking is of every active account of the company by trailing-12-month revenue, whatever
    the filters and the user's access (the tier is the company's, so is its suggestion); `rank` and
    `cumulative_share` are the account's place among them. An account is A while the revenue ranked
    before it is under the A cut-off (so the account that crosses the line is still A), B while under
    the B cut-off, else C; an account with no revenue is C.
    """
    trailing, params = revenue_12m(scope, of_scoped=False)
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {COMPANY_ACTIVE}, {trailing},
        ranked AS (
            SELECT c.account_id,
                   coalesce(r.revenue, 0) AS revenue_12m,
                   row_number() OVER w AS rank,
                   coalesce(sum(coalesce(r.revenue, 0)) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                       AS revenue_before,
                   sum(coalesce(r.revenue, 0)) OVER () AS revenue_total
            FROM company_active AS c
            LEFT JOIN revenue_12m AS r USING (account_id)
            WINDOW w AS (ORDER BY coalesce(r.revenue, 0) DESC, c.account_id)
        )
        SELECT s.account_id, s.name, s.region, s.manager_id, s.tier, k.revenue_12m, k.rank,
               (k.revenue_before + k.revenue_12m) / nullif(k.revenue_total, 0) AS cumulative_share,
               CASE
                   WHEN k.revenue_12m <= 0 THEN 'C'
                   WHEN k.revenue_before < $abc_a * k.revenue_total THEN 'A'
                   WHEN k.revenue_before < $abc_b * k.revenue_total THEN 'B'
                   ELSE 'C'
               END AS suggested_tier
        FROM ranked AS k
        JOIN scoped AS s USING (account_id)
        WHERE s.active
        ORDER BY k.rank
        """,
        **params,
    ).with_columns(mismatch=pl.col("suggested_tier") != pl.col("tier"))


def company_scope(scope: Scope) -> Scope:
    """The scope of every account of the company, at the scope's date and period: what abc_suggestion ranks."""
    return replace(scope, regions=(), managers=(), tiers=(), allowed_accounts=None)


def suggestions_in_scope(
    company: pl.DataFrame,
    allowed: tuple[str, ...] | None,
    regions: tuple[str, ...],
    managers: tuple[str, ...],
    tiers: tuple[str, ...],
) -> pl.DataFrame:
    """The rows of the whole company's abc_suggestion that a scope with these filters holds, in its order.

    The same rows as abc_suggestion for that scope: the ranking is the company's either way, and the region,
    manager and tier at D of each row are the ones the filters read.
    """
    kept = [
        pl.col(column).is_in(values)
        for column, values in (("account_id", allowed), ("region", regions), ("manager_id", managers), ("tier", tiers))
        if values is not None and (values or column == "account_id")
    ]
    return company.filter(*kept) if kept else company


def suggested_tier_counts(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, int]:
    """How many active accounts in scope the ABC suggestion (of the whole company) puts in each tier."""
    counts = abc_suggestion(con, scope).get_column("suggested_tier").value_counts()
    found = dict(counts.iter_rows())
    return {tier: int(found.get(tier, 0)) for tier in TIERS}


def tier_mix_over_time(con: duckdb.DuckDBPyConnection, scope: Scope, months: int = 12) -> pl.DataFrame:
    """Active accounts by tier at each month end of the last `months` months up to D, and at D."""
    return db.query(
        con,
        f"""
        WITH {SCOPED},
        dates AS (
            SELECT DISTINCT on_date
            FROM (
                SELECT CAST(last_day(CAST(m AS DATE)) AS DATE) AS on_date
                FROM generate_series(
                    CAST(date_trunc('month', $as_of) AS DATE) - to_months($months - 1),
                    CAST($as_of AS TIMESTAMP),
                    INTERVAL 1 MONTH
                ) AS g(m)
                UNION ALL
                SELECT $as_of
            )
            WHERE on_date <= $as_of
        ),
        candidates AS (
            -- account_at.tier is the current tier for accounts that never changed
            SELECT d.on_date, a.account_id, a.tier AS fallback_tier
            FROM dates AS d
            CROSS JOIN account_at AS a
            WHERE a.created_on <= d.on_date
              AND (a.churned_on IS NULL OR a.churned_on > d.on_date)
        ),
        tiered AS (
            SELECT c.on_date, c.account_id,
                   coalesce(
                       arg_max(t.to_tier, t.seq) FILTER (WHERE t.changed_on <= c.on_date),
                       arg_min(t.from_tier, t.seq),
                       any_value(c.fallback_tier)
                   ) AS tier
            FROM candidates AS c
            LEFT JOIN tier_changes AS t ON t.account_id = c.account_id
            GROUP BY c.on_date, c.account_id
        )
        SELECT on_date AS date, tier, count(*) AS accounts
        FROM tiered
        WHERE $tiers::VARCHAR[] IS NULL OR list_contains($tiers::VARCHAR[], tier)
        GROUP BY on_date, tier
        ORDER BY on_date, tier
        """,
        scope.params() | {"months": months},
    )


def tier_changes_in_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Every tier change in the period (up to D) of the accounts in scope."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT c.changed_on, c.account_id, s.name, s.manager_id, s.region,
               c.from_tier, c.to_tier,
               CASE WHEN c.to_tier < c.from_tier THEN 'upgrade' ELSE 'downgrade' END AS direction,
               c.reason
        FROM tier_changes AS c
        JOIN scoped AS s USING (account_id)
        WHERE c.changed_on BETWEEN $start AND $period_end
        ORDER BY c.changed_on, c.seq
        """,
    )


def tier_movement(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Tier changes in the period counted by from and to tier."""
    changes = tier_changes_in_period(con, scope)
    return changes.group_by("from_tier", "to_tier", "direction").agg(changes=pl.len()).sort("from_tier", "to_tier")

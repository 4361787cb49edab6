"""What the risk, retention and credit pages ask of the health, credit and retention metrics."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import duckdb
import polars as pl

from kam.i18n import _
from kam.metrics import credit, health, retention
from kam.metrics.accounts import only_account
from kam.metrics.periods import period_bounds
from kam.metrics.scope import SCOPED, Scope, run
from kam.metrics.tiers import revenue_12m
from kam.present import columns

# Managers a per-manager chart shows at each end: 2,000 bars would not be read.
ENDS = 10


def _revenue_12m(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    trailing, params = revenue_12m(scope)
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {trailing}
        SELECT s.account_id, coalesce(r.revenue, 0) AS revenue_12m
        FROM scoped AS s
        LEFT JOIN revenue_12m AS r USING (account_id)
        WHERE s.active
        """,
        **params,
    )


def at_risk_list(con: duckdb.DuckDBPyConnection, scope: Scope, now: pl.DataFrame | None = None) -> pl.DataFrame:
    """At-risk and watch accounts at D, lowest score first: the signal pulling each down most, its manager,
    trailing-12-month revenue at stake and last visit. now: the scope's account_health when the caller has it.

    The score, by which the list is sorted, comes right after the account: a phone shows it without scrolling.
    """
    accounts = (health.account_health(con, scope) if now is None else now).filter(pl.col("band") != "healthy")
    return accounts.join(_revenue_12m(con, scope), on="account_id", how="left").select(
        "account_id",
        "name",
        "score_shown",
        "band",
        "weakest",
        "tier",
        "region",
        "manager_id",
        "revenue_12m",
        "last_visit",
        "score",
    )


def band_movement(con: duckdb.DuckDBPyConnection, scope: Scope, now: pl.DataFrame | None = None) -> dict[str, int]:
    """Accounts that moved into at-risk since the previous period's end, and out of it.

    now: the scope's account_health when the caller has it.
    """
    moves = health.band_moves(con, scope, now)
    return {
        "into_at_risk": int(moves["into_at_risk"].sum()),
        "out_of_at_risk": int(moves["out_of_at_risk"].sum()),
        "at_risk": int((moves["band"] == "at_risk").sum()),
    }


def health_view(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, Any]:
    """What the Account risk page shows, from one computation of health at D (and one at the previous period's end).

    at_risk_list, band_movement and health_summary overall and by tier, region and manager.
    """
    now = health.account_health(con, scope)
    return {
        "listed": at_risk_list(con, scope, now),
        "moved": band_movement(con, scope, now),
        "overall": health.summarise(now),
        **{by: health.summarise(now, by) for by in ("tier", "region", "manager")},
    }


def fell_into_at_risk(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Accounts at risk at D that were not at the previous period's end, lowest score first."""
    at_risk = health.account_health(con, scope, band="at_risk")
    if at_risk.is_empty():
        before = pl.DataFrame(schema={"account_id": pl.String, "band_before": pl.String})
    else:
        # Only the accounts at risk now can have fallen into it: the earlier health of no other is needed.
        earlier = replace(scope.previous(), allowed_accounts=frozenset(at_risk["account_id"]))
        before = health.account_health(con, earlier).select("account_id", pl.col("band").alias("band_before"))
    return (
        at_risk.join(before, on="account_id", how="left", maintain_order="left")
        .filter(pl.col("band_before").fill_null("") != "at_risk")
        .select("account_id", "name", "tier", "manager_id", "score_shown", "band_before", "weakest", "last_visit")
    )


def _over_limit(accounts: pl.DataFrame) -> pl.DataFrame:
    return (
        accounts.filter(pl.col("over_limit"))
        .with_columns(over_by=pl.col("outstanding") - pl.col("credit_limit"))
        # To the cent, as over_limit_accounts orders them: equal amounts may differ in their last bits.
        .sort(pl.col("over_by").round(2), "account_id", descending=[True, False])
        .select(
            "account_id",
            "name",
            "tier",
            "manager_id",
            "credit_limit",
            "outstanding",
            "over_by",
            pl.col("overdue").alias("overdue_amount"),
        )
    )


def over_limit(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Accounts owing more than their credit limit at D, most over first."""
    return _over_limit(credit.over_limit_accounts(con, scope))


def _largest_overdue(accounts: pl.DataFrame, limit: int) -> pl.DataFrame:
    """The accounts with the most overdue (up to limit), with their ageing buckets; accounts: account_receivables,
    largest overdue first."""
    return (
        accounts.filter(pl.col("is_overdue"))
        .head(limit)
        .select(
            "account_id",
            "name",
            "tier",
            "manager_id",
            pl.col("overdue").alias("overdue_amount"),
            "bucket_1",
            "bucket_2",
            "bucket_3",
            "bucket_4",
            "max_days_overdue",
            "outstanding",
            "credit_limit",
        )
    )


def _ageing(owed: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    """Overdue receivables in each ageing bucket, named as every page names it (from the configured edges); owed:
    receivables."""
    row = owed.row(0, named=True)
    bands = columns.overdue_age_bands(scope.policy.ageing_days)
    return pl.DataFrame(
        {"age_bucket": list(bands), "overdue_amount": [float(row[f"bucket_{n}"] or 0) for n in range(1, 5)]},
        schema={"age_bucket": pl.String, "overdue_amount": pl.Float64},
    )


def _overdue_by_manager(by_manager: pl.DataFrame) -> pl.DataFrame:
    """Per manager: outstanding, overdue and over-limit accounts, most overdue first."""
    return by_manager.select(
        "manager_id",
        "outstanding",
        pl.col("overdue").alias("overdue_amount"),
        "overdue_accounts",
        "over_limit_accounts",
        "utilisation",
    ).sort(["overdue_amount", "manager_id"], descending=[True, False])


def credit_view(con: duckdb.DuckDBPyConnection, scope: Scope, limit: int = 50) -> dict[str, pl.DataFrame]:
    """What the Credit page shows from the receivables at D, reading the open orders twice.

    owed: receivables in total; ageing: the overdue by age bucket; over_limit: as over_limit; by_manager:
    per manager, most overdue first; largest: the accounts with the most overdue (up to limit).
    """
    owed, by_manager = credit.receivables_with_total(con, scope, "manager")
    accounts = credit.account_receivables(con, scope)
    return {
        "owed": owed,
        "ageing": _ageing(owed, scope),
        "over_limit": _over_limit(accounts),
        "by_manager": _overdue_by_manager(by_manager),
        "largest": _largest_overdue(accounts, limit),
    }


def by_mean_score(summary: pl.DataFrame) -> pl.DataFrame:
    """Managers' health (health.summarise by manager), the highest mean score first, ties by id: the order of the
    chart of health by manager, read from its top, and of the table beside it."""
    return summary.sort(["mean_score", "manager_id"], descending=[True, False], nulls_last=True)


def ends(ranked: pl.DataFrame, column: str, n: int = ENDS) -> pl.DataFrame:
    """The n first and n last rows of a ranked frame with a value in column (all when there are at most 2n), in its
    order."""
    ranked = ranked.filter(pl.col(column).is_not_null())
    if ranked.height <= 2 * n:
        return ranked
    return pl.concat([ranked.head(n), ranked.tail(n)])


def health_by_manager(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Per manager: accounts in each band and the mean score, with the manager's name."""
    return health.health_summary(con, scope, by="manager")


def account_signals(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """One active account's five signals: value (null when missing), weight and the points each loses."""
    found = health.account_health(con, only_account(scope, account_id))
    weights = scope.policy.health_weights
    row = found.row(0, named=True) if found.height else {}
    return pl.DataFrame(
        {
            "signal": list(health.SIGNALS),
            "signal_value": [row.get(s) for s in health.SIGNALS],
            "weight": [float(weights[s]) for s in health.SIGNALS],
        },
        schema={"signal": pl.String, "signal_value": pl.Float64, "weight": pl.Float64},
    ).with_columns(points_lost=pl.col("weight") * (1 - pl.col("signal_value")))


def account_health_of(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """One account's health at D (empty when it is not active)."""
    return health.account_health(con, only_account(scope, account_id))


def year_to_date(scope: Scope) -> Scope:
    """The scope over the year to date of its as-of date."""
    return scope.with_period(*period_bounds("ytd", scope.as_of))


def _quarters(scope: Scope) -> list[Scope]:
    """The scope over each quarter of D's year begun by D."""
    starts = [start for start in (date(scope.as_of.year, month, 1) for month in (1, 4, 7, 10)) if start <= scope.as_of]
    return [scope.with_period(start, period_bounds("quarter", start)[1]) for start in starts]


def quarter_name(quarter: Scope) -> str:
    """The quarter of a scope starting on its first day as the quarterly reviews name it: 2026 Q2, 2026年第2季度."""
    return _("{year} Q{quarter}").format(year=quarter.start.year, quarter=(quarter.start.month - 1) // 3 + 1)


def quarter_not_over(scope: Scope) -> str | None:
    """What the quarterly repeat rates say of their last quarter when D falls before its end (None when whole)."""
    quarters = _quarters(scope)
    last = quarters[-1] if quarters else None
    if last is None or last.period_end >= last.end:
        return None
    # A quarter's repeat rate counts purchases made in it: one not over reads lower than the whole ones.
    return _("{quarter} counts up to {day}: the quarter is not over yet.").format(
        quarter=quarter_name(last), day=f"{last.period_end:%Y-%m-%d}"
    )


def _by_quarter(quarters: list[Scope], rates: list[pl.DataFrame]) -> pl.DataFrame:
    """The repeat-purchase rate of each quarter, from the quarters' repeat_rate frames."""
    rows = [
        {"period": quarter_name(q), "base": r["base"][0], "repeat": r["repeat"][0]}
        for q, r in zip(quarters, rates, strict=True)
    ]
    frame = pl.DataFrame(rows, schema={"period": pl.String, "base": pl.Int64, "repeat": pl.Int64}, orient="row")
    return frame.with_columns(
        repeat_rate=pl.when(pl.col("base") > 0).then(pl.col("repeat") / pl.col("base")).otherwise(None)
    )


def repeat_view(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, pl.DataFrame]:
    """What the Retention page shows of the repeat-purchase rate, from one pass over the orders.

    repeat_rate of the scope (rate), by tier (by_tier), and of each quarter of D's year begun by D (quarters).
    """
    quarters = _quarters(scope)
    asks = [(scope, None), (scope, "tier"), *((quarter, None) for quarter in quarters)]
    rate, by_tier, *rates = retention.repeat_rates(con, asks)
    return {"rate": rate, "by_tier": by_tier, "quarters": _by_quarter(quarters, rates)}


def warning_signs_reported(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Visits in the period up to D that recorded warning signs, newest first: which, when, by whom."""
    return credit.warning_signs(con, scope).select(
        "visit_date", "account_id", "name", "tier", pl.col("visited_by").alias("manager_id"), "signs", "source"
    )


def since_data_date(scope: Scope, today: date) -> Scope:
    """The scope's filters over the days after D up to today, as of today."""
    return scope.with_period(scope.as_of + timedelta(days=1), today, as_of=today)


def warning_signs_since(con: duckdb.DuckDBPyConnection, scope: Scope, today: date) -> pl.DataFrame:
    """Warning signs reported in visits after D up to today: logged since the exports' data date, not in the figures."""
    if today <= scope.as_of:
        return warning_signs_reported(con, scope.with_period(scope.as_of, scope.as_of)).clear()
    return warning_signs_reported(con, since_data_date(scope, today))


def churn_per_manager(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Per manager with churn in the period: accounts churned and lost revenue, most lost first."""
    return manager_totals(retention.churn_by_reason(con, scope, by="manager"))


def manager_totals(by_manager: pl.DataFrame) -> pl.DataFrame:
    """churn_per_manager from churn_by_reason per manager."""
    return (
        by_manager.group_by("manager_id")
        .agg(pl.col("accounts").sum(), pl.col("lost_revenue").sum())
        .filter(pl.col("accounts") > 0)
        .sort(["lost_revenue", "manager_id"], descending=[True, False])
    )


def first(frame: pl.DataFrame, n: int = ENDS) -> pl.DataFrame:
    """The first n rows, or every row when there are at most 2n: a chart draws as many bars as `ends` keeps."""
    return frame if frame.height <= 2 * n else frame.head(n)


def top(frame: pl.DataFrame, totals: pl.DataFrame, key: str, n: int = ENDS) -> pl.DataFrame:
    """The rows of frame whose key is among the first n of totals (every key of totals when at most 2n)."""
    return frame.filter(pl.col(key).is_in(first(totals, n)[key].implode()))

"""Revenue metrics: revenue in the period, attainment against pro-rated targets, growth, churn."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import duckdb
import polars as pl

from kam.i18n import _
from kam.metrics.scope import SCOPED, Metric, Scope, group_column, group_name, ratio, run, run_metric

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


def _month_start(day: date, months: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier, the month's last day if it is shorter (as DuckDB's `day - INTERVAL`)."""
    first = _month_start(day, -months)
    last = _month_start(day, 1 - months) - timedelta(days=1)
    return first.replace(day=min(day.day, last.day))


def revenue_rows(segments: dict[str, tuple[date, date]], of_scoped: bool = True) -> tuple[str, dict[str, Any]]:
    """SQL rows (segment, account_id, month, amount) of the orders in each named segment [first, last], and parameters.

    Whole calendar months come from the per-account monthly table built at load; only the days
    before the first and after the last whole month are read from the orders. Only the accounts
    in `scoped` are read, or every account's orders when not of_scoped.
    """
    of_m, of_o = (
        ("AND m.account_id IN (SELECT account_id FROM scoped)", "AND o.account_id IN (SELECT account_id FROM scoped)")
        if of_scoped
        else ("", "")
    )
    parts, params = [], {}
    for name, (first, last) in segments.items():
        full_from = first if first.day == 1 else _month_start(first, 1)
        full_to = _month_start(last) if (last + timedelta(days=1)).day == 1 else _month_start(last, -1)
        if full_from > full_to:  # no whole month: every day from the orders
            head_to, tail_from = last, last + timedelta(days=1)
        else:
            head_to, tail_from = full_from - timedelta(days=1), _month_start(full_to, 1)
        params |= {
            f"{name}_first": first,
            f"{name}_last": last,
            f"{name}_full_from": full_from,
            f"{name}_full_to": full_to,
            f"{name}_head_to": head_to,
            f"{name}_tail_from": tail_from,
        }
        # Segment names are fixed in the code, never taken from input.
        parts.append(f"""
            SELECT '{name}' AS segment, m.account_id, m.month, m.revenue AS amount
            FROM account_month_revenue AS m
            WHERE m.month BETWEEN ${name}_full_from AND ${name}_full_to
              {of_m}
            UNION ALL
            SELECT '{name}' AS segment, o.account_id, CAST(date_trunc('month', o.order_date) AS DATE), o.amount
            FROM orders AS o
            WHERE (o.order_date BETWEEN ${name}_first AND ${name}_head_to
                   OR o.order_date BETWEEN ${name}_tail_from AND ${name}_last)
              {of_o}""")
    return "\n            UNION ALL".join(parts), params


TARGET_GROUPS = {None: "'all'", "manager": "manager_id", "region": "region"}


def summary_metric(scope: Scope, by: str | None = None, idle_groups: bool = True) -> Metric:
    """revenue_summary's query."""
    if by not in TARGET_GROUPS:
        raise ValueError(f"revenue can be split by manager or region, not {by!r}")
    prior_first, prior_last = months_before(scope.start, 12), months_before(scope.period_end, 12)
    segments = {"now": (scope.start, scope.period_end), "prior": (prior_first, prior_last)}
    if by is not None and idle_groups:
        # The days between the two periods: a group with orders only then still gets its row (of zeros).
        # The whole scope's one row is there anyway (of zeros without any order), so it skips the reading.
        segments["between"] = (prior_last + timedelta(days=1), min(scope.start - timedelta(days=1), scope.period_end))
    rows, params = revenue_rows(segments)
    # revenue_rows reads only the scope's accounts (and every order's account exists: the loader rejects the
    # others), so the whole scope's total needs no join; a group's does, for the group.
    source = "revenue_rows AS r" if by is None else "revenue_rows AS r\n    JOIN scoped AS s USING (account_id)"

    def finish(frame: pl.DataFrame) -> pl.DataFrame:
        if by is None and frame.is_empty():
            frame = pl.DataFrame(
                {"grp": ["all"], "revenue": [0.0], "revenue_prior_year": [0.0], "target": [None]},
                schema=frame.schema,
            )
        return frame.with_columns(
            attainment=ratio(pl.col("revenue"), pl.col("target")),
            growth=ratio(pl.col("revenue"), pl.col("revenue_prior_year")) - 1,
        ).rename({"grp": group_name(by)})

    return Metric(
        (
            PRORATED_TARGETS,
            f"""
revenue_rows AS ({rows}
),
revenue AS (
    SELECT {group_column(by)} AS grp,
           -- Amounts are in cents: rounded, a sum is the same whatever order the threads added it in.
           round(sum(r.amount) FILTER (WHERE r.segment = 'now'), 2) AS revenue,
           round(sum(r.amount) FILTER (WHERE r.segment = 'prior'), 2) AS revenue_prior_year
    FROM {source}
    GROUP BY grp
),
targets_by_group AS (
    -- Added in one order (of value), so that a total is the same from run to run.
    SELECT {TARGET_GROUPS[by]} AS grp, sum(target ORDER BY target) AS target
    FROM prorated
    GROUP BY grp
),
revenue_groups AS (
    SELECT grp FROM revenue
    UNION
    SELECT grp FROM targets_by_group
)""",
        ),
        """
        SELECT g.grp,
               coalesce(r.revenue, 0) AS revenue,
               coalesce(r.revenue_prior_year, 0) AS revenue_prior_year,
               t.target
        FROM revenue_groups AS g
        LEFT JOIN revenue AS r USING (grp)
        LEFT JOIN targets_by_group AS t USING (grp)
        ORDER BY g.grp
        """,
        params,
        finish,
    )


def revenue_summary(
    con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None, idle_groups: bool = True
) -> pl.DataFrame:
    """Revenue in the period up to D, the same dates a year earlier, growth, pro-rated target, attainment.

    idle_groups: also a row (of zeros, without target) for each group whose accounts ordered only
    between the two periods; False leaves those out, and reads less.
    """
    return run_metric(con, scope, summary_metric(scope, by, idle_groups))


def attainment_caveat(scope: Scope) -> str | None:
    """What a revenue attainment under the scope's filters compares, where it is not what the name says: a tier
    filter keeps part of each manager's accounts, while the targets are the managers' whole (DOMAIN.md)."""
    if not scope.tiers:
        return None
    return _(
        "Targets are set per manager for all their accounts: with a tier filter, attainment compares the revenue "
        "of these tiers with the managers' whole targets."
    )


def revenue_window(as_of: date) -> tuple[date, date]:
    """The first and last day of the 24 months of revenue by month up to D: from the day after D's date 24 months
    earlier, to D."""
    return months_before(as_of, 24) + timedelta(days=1), as_of


def revenue_by_month(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Monthly revenue of the accounts in scope over the 24 months up to D, with the first and last day of each month
    counted (the window's first and last months are parts of months unless D is a month's last day)."""
    # The rows are the scope's accounts' already (every order's account exists: the loader rejects the others), so no
    # join with `scoped`.
    first, _last = revenue_window(scope.as_of)
    rows, params = revenue_rows({"months": (first, scope.as_of)})
    monthly = run(
        con,
        scope,
        f"""
        WITH {SCOPED},
        revenue_rows AS ({rows}
        )
        SELECT r.month, sum(r.amount) AS revenue
        FROM revenue_rows AS r
        GROUP BY r.month
        ORDER BY r.month
        """,
        **params,
    )
    return monthly.with_columns(
        first_day=pl.max_horizontal(pl.col("month"), pl.lit(first)),
        last_day=pl.min_horizontal(pl.col("month").dt.month_end(), pl.lit(scope.as_of)),
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


def churn_metric(by: str | None = None) -> Metric:
    """churn's query."""
    return Metric(
        (),
        f"""
        SELECT {group_column(by)} AS grp,
               count(*) FILTER (WHERE s.churned_on BETWEEN $start AND $period_end) AS churned,
               count(*) FILTER (
                   WHERE s.created_on <= $start AND (s.churned_on IS NULL OR s.churned_on > $start)
               ) AS active_at_start
        FROM scoped AS s
        GROUP BY grp
        ORDER BY grp
        """,
        finish=lambda frame: frame.with_columns(churn_rate=ratio(pl.col("churned"), pl.col("active_at_start"))).rename(
            {"grp": group_name(by)}
        ),
    )


def churn(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Accounts churned in the period (up to D) / accounts active at the period's start."""
    return run_metric(con, scope, churn_metric(by))


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

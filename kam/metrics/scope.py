"""What every metric is asked about: the as-of date, the period and the filters.

Every metric query starts from the accounts in scope, computed once here: the
account's tier at D, whether it is active at D, its cadence, restricted by region,
manager, tier at D and the set of accounts the signed-in user may see.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import duckdb
import polars as pl

from kam.config import Settings, settings
from kam.metrics.periods import previous_period
from kam.store import db
from kam.vocabulary import TIERS


@dataclass(frozen=True)
class Scope:
    """As-of date D, period [start, end], and filters; empty filters mean everything."""

    as_of: date
    start: date
    end: date
    regions: tuple[str, ...] = ()
    managers: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    # Accounts the signed-in user may see; None for no restriction.
    allowed_accounts: frozenset[str] | None = None
    policy: Settings = field(default_factory=settings)

    @property
    def period_end(self) -> date:
        """The last day whose events count: the earlier of the period's end and D."""
        return min(self.end, self.as_of)

    @property
    def days(self) -> int:
        """Days from the period's start to period_end, both counted (0 if the period starts after D)."""
        return max((self.period_end - self.start).days + 1, 0)

    @property
    def restricts_accounts(self) -> bool:
        """Whether the filters or the user's access leave out any account."""
        return bool(self.regions or self.managers or self.tiers) or self.allowed_accounts is not None

    def with_period(self, start: date, end: date, as_of: date | None = None) -> Scope:
        return replace(self, start=start, end=end, as_of=as_of or self.as_of)

    def only(self, tier: str | None = None, region: str | None = None, manager: str | None = None) -> Scope:
        """The scope narrowed to one tier, region or manager (one the filters leave out leaves nothing)."""
        narrowed = self
        for name, value in (("tiers", tier), ("regions", region), ("managers", manager)):
            if value is None:
                continue
            if getattr(narrowed, name) and value not in getattr(narrowed, name):
                narrowed = replace(narrowed, allowed_accounts=frozenset())
            narrowed = replace(narrowed, **{name: (value,)})
        return narrowed

    def in_month(self, month: date) -> Scope:
        """The scope's filters over the calendar month of `month` (still as of D: nothing after D counts)."""
        first = month.replace(day=1)
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return replace(self, start=first, end=following - timedelta(days=1))

    def previous(self) -> Scope:
        """The period of the same length just before this one, as of its last day."""
        start, end = previous_period(self.start, self.period_end)
        return replace(self, start=start, end=end, as_of=end)

    def params(self) -> dict[str, Any]:
        """Every named parameter the metric queries may use."""
        policy = self.policy
        return {
            "as_of": self.as_of,
            "start": self.start,
            "period_end": self.period_end,
            "days": self.days,
            "start_ts": datetime.combine(self.start, time()),
            "period_end_ts": datetime.combine(self.period_end + timedelta(days=1), time()),
            "end_of_d": datetime.combine(self.as_of + timedelta(days=1), time()),
            "regions": list(self.regions) or None,
            "managers": list(self.managers) or None,
            "tiers": list(self.tiers) or None,
            "all_tiers": list(TIERS),
            "allowed": sorted(self.allowed_accounts) if self.allowed_accounts is not None else None,
            "cadence_a": policy.cadence_days["A"],
            "cadence_b": policy.cadence_days["B"],
            "cadence_c": policy.cadence_days["C"],
            "sla_hours": policy.sla_hours,
            "csat_min": policy.csat_min_score,
            "drop_points": policy.drop_points,
            "drop_floor": policy.drop_floor,
            "abc_a": policy.abc_cutoffs["A"],
            "abc_b": policy.abc_cutoffs["B"],
            "w_visits": policy.health_weights["visits"],
            "w_revenue": policy.health_weights["revenue"],
            "w_complaints": policy.health_weights["complaints"],
            "w_satisfaction": policy.health_weights["satisfaction"],
            "w_credit": policy.health_weights["credit"],
            "health_watch": policy.health_bands["watch"],
            "health_healthy": policy.health_bands["healthy"],
            "health_from": self.as_of - timedelta(days=policy.health_window_days - 1),
            "health_from_ts": datetime.combine(self.as_of - timedelta(days=policy.health_window_days - 1), time()),
            "survey_from": self.as_of - timedelta(days=policy.health_survey_days - 1),
            "credit_days": policy.health_credit_days,
            "age_1": policy.ageing_days["first"],
            "age_2": policy.ageing_days["second"],
            "age_3": policy.ageing_days["third"],
            "repeat_from": self.start - timedelta(days=policy.repeat_lookback_days),
            "repeat_to": self.start - timedelta(days=1),
            "lost_days": policy.churn_lost_days,
        }


# Active at D: created on or before D and not churned by D (of `accounts AS a`).
ACTIVE_AT_D = "a.created_on <= $as_of AND (a.churned_on IS NULL OR a.churned_on > $as_of)"

# The accounts in scope. `scoped` holds every account the filters let through (churned
# ones included, for revenue and churn); metrics that need the active ones filter on
# `active`. Tier at D: the last change on or before D, else the first change's from_tier,
# else the account's current tier. The tier changes are read only for the accounts the region,
# manager and access filters let through (`filtered`), so that a small scope stays cheap.
SCOPED = f"""
filtered AS (
    SELECT *
    FROM accounts AS a
    WHERE ($regions::VARCHAR[] IS NULL OR list_contains($regions::VARCHAR[], a.region))
      AND ($managers::VARCHAR[] IS NULL OR list_contains($managers::VARCHAR[], a.manager_id))
      AND ($allowed::VARCHAR[] IS NULL OR a.account_id IN (SELECT unnest($allowed::VARCHAR[])))
),
tier_at AS (
    SELECT account_id,
           arg_max(to_tier, seq) FILTER (WHERE changed_on <= $as_of) AS tier_before,
           arg_min(from_tier, seq) AS first_from
    FROM tier_changes
    -- for a scope of every account ONLY_SCOPED drops the condition after `true`
    WHERE true AND account_id IN (SELECT account_id FROM filtered)
    GROUP BY account_id
),
account_at AS (
    SELECT a.account_id, a.name, a.industry, a.region, a.manager_id,
           a.created_on, a.churned_on, a.churn_reason, a.credit_limit,
           coalesce(t.tier_before, t.first_from, a.tier) AS tier,
           {ACTIVE_AT_D} AS active
    FROM filtered AS a
    LEFT JOIN tier_at AS t USING (account_id)
),
scoped AS (
    SELECT *,
           CASE tier WHEN 'A' THEN $cadence_a WHEN 'B' THEN $cadence_b ELSE $cadence_c END AS cadence
    FROM account_at
    WHERE $tiers::VARCHAR[] IS NULL OR list_contains($tiers::VARCHAR[], tier)
)"""

# Every active account of the company at D, whatever the filters and the user's access: for a figure that
# places an account among all the company's (its suggested tier), then shown for the accounts in scope only.
COMPANY_ACTIVE = f"""
company_active AS (
    SELECT a.account_id
    FROM accounts AS a
    WHERE {ACTIVE_AT_D}
)"""

# Identifiers a metric may group by: fixed, never taken from input.
GROUPS = {
    None: "'all'",
    "tier": "s.tier",
    "manager": "s.manager_id",
    "region": "s.region",
}
TIER_ROWS = "SELECT unnest($all_tiers::VARCHAR[]) AS tier"


def group_name(by: str | None) -> str:
    """The output column holding the group: tier, manager_id, region, or scope for the total."""
    return {None: "scope", "manager": "manager_id"}.get(by, by or "scope")


def group_column(by: str | None) -> str:
    if by not in GROUPS:
        raise ValueError(f"cannot group by {by!r}; expected one of {', '.join(map(str, GROUPS))}")
    return GROUPS[by]


# A metric restricts the rows of a large table to the accounts in scope before it groups them,
# with this condition (on `scoped`, or on `filtered` before the tier at D is known); for a scope
# of every account it is dropped (the semi-join would only cost).
ONLY_SCOPED = re.compile(r"AND (?:\w+\.)?account_id IN \(SELECT account_id FROM (?:scoped|filtered)\)")


def run(con: duckdb.DuckDBPyConnection, scope: Scope, sql: str, **extra: Any) -> pl.DataFrame:
    """Run a metric query (which may use the scoped CTEs above) with the scope's parameters."""
    if not scope.restricts_accounts:
        sql = ONLY_SCOPED.sub("", sql)
    return db.query(con, sql, scope.params() | extra)


def _as_is(frame: pl.DataFrame) -> pl.DataFrame:
    return frame


@dataclass(frozen=True)
class Metric:
    """A metric query over the scoped CTEs: the CTEs it adds after them, its final SELECT, its own
    parameters, and what turns the query's rows into the metric's frame."""

    ctes: tuple[str, ...]
    select: str
    params: Mapping[str, Any] = field(default_factory=dict)
    finish: Callable[[pl.DataFrame], pl.DataFrame] = _as_is


def run_metric(con: duckdb.DuckDBPyConnection, scope: Scope, metric: Metric) -> pl.DataFrame:
    """One metric's frame for the scope."""
    ctes = "".join(f",{cte}" for cte in metric.ctes)
    return metric.finish(run(con, scope, f"WITH {SCOPED}{ctes}\n{metric.select}", **metric.params))


def run_metrics(con: duckdb.DuckDBPyConnection, scope: Scope, metrics: Mapping[str, Metric]) -> dict[str, pl.DataFrame]:
    """Several metrics' frames for the scope from one query: the scope's accounts are worked out once
    and each CTE the metrics share is written once. The rows of each frame come in no particular order."""
    ctes: list[str] = []
    params: dict[str, Any] = {}
    for metric in metrics.values():
        ctes += [cte for cte in metric.ctes if cte not in ctes]
        for name, value in metric.params.items():
            if params.setdefault(name, value) != value:
                raise ValueError(f"metrics disagree on the parameter {name!r}")
    # The names are fixed in the code, never taken from input.
    parts = "".join(f",\nmetric_{name} AS ({metric.select})" for name, metric in metrics.items())
    columns = ", ".join(f"(SELECT list(m) FROM metric_{name} AS m) AS {name}" for name in metrics)
    row = run(con, scope, f"WITH {SCOPED}{''.join(f',{cte}' for cte in ctes)}{parts}\nSELECT {columns}", **params)
    frames = {}
    for name, metric in metrics.items():
        rows = row.get_column(name)
        if rows[0] is None:  # list() of no rows
            frame = pl.DataFrame(schema={f.name: f.dtype for f in rows.dtype.inner.fields})
        else:
            frame = rows.explode().struct.unnest()
        frames[name] = metric.finish(frame)
    return frames


def ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator / denominator, null (not 0, not inf) when the denominator is 0 or null."""
    return pl.when(denominator > 0).then(numerator / denominator)

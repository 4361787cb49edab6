"""The KPI snapshot of docs/KPI_SNAPSHOT.md: the headline figures as one JSON-ready dict."""

from __future__ import annotations

import math
from typing import Any

import duckdb
import polars as pl

from kam.metrics import complaints, credit, health, managers, retention, revenue, satisfaction, tiers, visits
from kam.metrics.scope import Scope, run_metrics
from kam.vocabulary import TIERS


def _number(value: Any) -> Any:
    """A JSON-safe number: None for missing or not-a-number."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _money(value: Any) -> float | None:
    value = _number(value)
    return None if value is None else round(float(value), 2)


def _by_tier(frame: pl.DataFrame, column: str, default: Any) -> dict[str, Any]:
    found = {row["tier"]: _number(row[column]) for row in frame.iter_rows(named=True)}
    return {tier: found.get(tier, default) for tier in TIERS}


def _only_row(frame: pl.DataFrame) -> dict[str, Any]:
    return frame.row(0, named=True) if frame.height else {}


def headline_figures(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, Any]:
    """The snapshot's company-level figures: everything but the suggested tiers and the per-manager list."""
    # One query for all of them: the scope's accounts are worked out once, not once per figure.
    frames = run_metrics(
        con,
        scope,
        {
            "coverage": visits.coverage_metric(by="tier"),
            "attainment": visits.attainment_metric(),
            "sla": complaints.sla_metric(),
            "csat": satisfaction.summary_metric(),
            "money": revenue.summary_metric(scope),
            "churn": revenue.churn_metric(),
        },
    )
    coverage_by_tier = frames["coverage"]
    # The whole scope's coverage from the tiers' counts: the same figure without a second pass over the visits.
    active_total, covered_total = coverage_by_tier["active_accounts"].sum(), coverage_by_tier["covered"].sum()
    coverage = {
        "coverage": covered_total / active_total if active_total else None,
        "overdue": coverage_by_tier["overdue"].sum(),
    }
    sla = _only_row(frames["sla"])
    csat = _only_row(frames["csat"])
    money = _only_row(frames["money"])
    churn = _only_row(frames["churn"])
    # Coverage counts every active account of each tier: its denominator is the headline's active accounts.
    active = _by_tier(coverage_by_tier, "active_accounts", 0)
    return {
        "as_of": scope.as_of.isoformat(),
        "period": {"start": scope.start.isoformat(), "end": scope.end.isoformat(), "days": scope.days},
        "active_accounts": active | {"total": sum(active.values())},
        "visit_coverage": _by_tier(coverage_by_tier, "coverage", None) | {"total": _number(coverage.get("coverage"))},
        "overdue_accounts": int(coverage.get("overdue") or 0),
        "visit_attainment": _number(_only_row(frames["attainment"]).get("attainment")),
        "complaint_sla": {
            "met": int(sla.get("met") or 0),
            "breached": int(sla.get("breached") or 0),
            "pending": int(sla.get("pending") or 0),
            "met_pct": _number(sla.get("met_pct")),
        },
        "satisfaction": {
            "responses": int(csat.get("responses") or 0),
            "mean": _number(csat.get("mean_score")),
            "csat_pct": _number(csat.get("csat_pct")),
            "nps": _number(csat.get("nps")),
        },
        "revenue": {
            "period": _money(money.get("revenue")) or 0.0,
            "attainment": _number(money.get("attainment")),
            "growth": _number(money.get("growth")),
        },
        "churn_rate": _number(churn.get("churn_rate")),
    }


def risk_figures(con: duckdb.DuckDBPyConnection, scope: Scope, accounts_health: pl.DataFrame) -> dict[str, Any]:
    """The version-2 figures: repeat rate, churn by cause, receivables, and health from health.account_health."""
    owed = _only_row(credit.receivables(con, scope))
    well = _only_row(health.summarise(accounts_health))
    mean = _number(well.get("mean_score"))
    labels = credit.bucket_labels(scope.policy)
    return {
        "repeat_rate": _number(_only_row(retention.repeat_rate(con, scope)).get("repeat_rate")),
        "churn_by_reason": {
            row["churn_reason"]: int(row["accounts"])
            for row in retention.churn_by_reason(con, scope).iter_rows(named=True)
        },
        "receivables": {
            "outstanding": _money(owed.get("outstanding")) or 0.0,
            "overdue": _money(owed.get("overdue")) or 0.0,
            "overdue_accounts": int(owed.get("overdue_accounts") or 0),
            "over_limit_accounts": int(owed.get("over_limit_accounts") or 0),
            "buckets": {label: _money(owed.get(f"bucket_{n}")) or 0.0 for n, label in enumerate(labels, start=1)},
        },
        "health": {
            "healthy": int(well.get("healthy") or 0),
            "watch": int(well.get("watch") or 0),
            "at_risk": int(well.get("at_risk") or 0),
            "mean": None if mean is None else round(mean, 1),
        },
    }


def kpi_snapshot(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, Any]:
    """The headline figures at D over the period, for the filters of the scope, in docs/KPI_SNAPSHOT.md's order."""
    headline = headline_figures(con, scope)
    card = managers.scorecard(con, scope)
    snapshot = {key: headline[key] for key in ("as_of", "period", "active_accounts")}
    snapshot["suggested_tiers"] = tiers.suggested_tier_counts(con, scope)
    snapshot |= {key: value for key, value in headline.items() if key not in snapshot}
    accounts_health = health.account_health(con, scope)
    snapshot |= risk_figures(con, scope, accounts_health)
    at_risk = {
        row["manager_id"]: int(row["at_risk"])
        for row in health.summarise(accounts_health, by="manager").iter_rows(named=True)
    }
    snapshot["managers"] = [
        {
            "manager_id": row["manager_id"],
            "active_accounts": int(row["active_accounts"]),
            "visit_coverage": _number(row["visit_coverage"]),
            "revenue": _money(row["revenue"]),
            "attainment": _number(row["attainment"]),
            "sla_met_pct": _number(row["sla_met_pct"]),
            "satisfaction_mean": _number(row["satisfaction_mean"]),
            "churned": int(row["churned"]),
            "at_risk": at_risk.get(row["manager_id"], 0),
        }
        for row in card.iter_rows(named=True)
    ]
    return snapshot

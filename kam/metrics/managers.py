"""The per-manager scorecard, assembled from the per-manager split of every other metric."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import polars as pl

from kam.config import Settings
from kam.i18n import _
from kam.metrics import complaints, credit, health, relations, revenue, satisfaction, visits
from kam.metrics.accounts import only_manager
from kam.metrics.scope import SCOPED, Scope, run
from kam.present.formatting import money, number, percent
from kam.store import db


def managers_in_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Managers the filters let through (by id and region; a restricted user sees only those owning their accounts)."""
    return db.query(
        con,
        f"""
        WITH {SCOPED}
        SELECT m.manager_id, m.name, m.region, m.email, m.active
        FROM managers AS m
        WHERE ($managers::VARCHAR[] IS NULL OR list_contains($managers::VARCHAR[], m.manager_id))
          -- A manager of the region, or one owning an account there: the scorecard adds up to the total.
          AND ($regions::VARCHAR[] IS NULL OR list_contains($regions::VARCHAR[], m.region)
               OR m.manager_id IN (SELECT manager_id FROM account_at))
          AND ($allowed::VARCHAR[] IS NULL OR m.manager_id IN (SELECT manager_id FROM account_at))
        ORDER BY m.manager_id
        """,
        scope.params(),
    )


def _accounts_by_tier(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT manager_id,
               count(*) AS active_accounts,
               count(*) FILTER (WHERE tier = 'A') AS accounts_a,
               count(*) FILTER (WHERE tier = 'B') AS accounts_b,
               count(*) FILTER (WHERE tier = 'C') AS accounts_c
        FROM scoped
        WHERE active
        GROUP BY manager_id
        """,
    )


def scorecard(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """One row per manager, sorted by id: accounts, revenue, attainment, growth, visits, SLA, satisfaction, churn."""
    key = "manager_id"
    parts = [
        _accounts_by_tier(con, scope),
        revenue.revenue_summary(con, scope, by="manager").select(key, "revenue", "target", "attainment", "growth"),
        visits.visit_coverage(con, scope, by="manager").select(
            key, "overdue", pl.col("coverage").alias("visit_coverage")
        ),
        visits.visit_attainment(con, scope, by="manager").select(key, pl.col("attainment").alias("visit_attainment")),
        visits.visits_against_target(con, scope).select(key, "visit_target", "visit_target_attainment"),
        complaints.complaint_sla(con, scope, by="manager").select(
            key, pl.col("breached").alias("sla_breached"), pl.col("met_pct").alias("sla_met_pct")
        ),
        satisfaction.satisfaction_summary(con, scope, by="manager").select(
            key, pl.col("mean_score").alias("satisfaction_mean"), "csat_pct"
        ),
        revenue.churn(con, scope, by="manager").select(key, "churned"),
        manager_risk(con, scope),
        relations.relationship_coverage(con, scope, by="manager").select(key, "plan_coverage", "executive_coverage"),
    ]
    card = managers_in_scope(con, scope).select(key, "name", "region", "active")
    for part in parts:
        card = card.join(part, on=key, how="left")
    counts = [
        "active_accounts",
        "accounts_a",
        "accounts_b",
        "accounts_c",
        "overdue",
        "sla_breached",
        "churned",
        "at_risk",
    ]
    return (
        card.with_columns(pl.col(c).fill_null(0) for c in counts)
        .with_columns(pl.col("revenue").fill_null(0.0), pl.col("overdue_receivables").fill_null(0.0))
        .sort(key)
    )


def without_active_accounts(card: pl.DataFrame) -> list[str]:
    """The scorecard's managers with no active account in scope, as a sentence names them: 张敏 (M3); one no
    longer in post says so. They are listed with nothing to measure; the per-manager charts of accounts count
    only the others."""
    return [
        f"{row['name']} ({row['manager_id']})"
        if row["active"]
        else _("{name} ({manager_id}, no longer in post)").format(name=row["name"], manager_id=row["manager_id"])
        for row in card.filter(pl.col("active_accounts") == 0).iter_rows(named=True)
    ]


def manager_risk(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Per manager: at-risk accounts and overdue receivables at D."""
    at_risk = health.health_summary(con, scope, by="manager").select("manager_id", "at_risk")
    owed = credit.receivables(con, scope, by="manager").select(
        "manager_id", pl.col("overdue").alias("overdue_receivables")
    )
    return at_risk.join(owed, on="manager_id", how="full", coalesce=True)


def manager_accounts(con: duckdb.DuckDBPyConnection, scope: Scope, manager_id: str) -> pl.DataFrame:
    """One manager's active accounts at D, overdue first: tier, last visit, when the next is due, period revenue.

    `visit_due` is the last day the next visit keeps the account within its tier's cadence
    (counted from created_on for an account never visited); `days_overdue` is 0 until then. An account
    never visited reads so (`visits.as_read`): no days since, and once overdue no due date nor days overdue.
    Revenue is the account's orders in the period up to D.
    """
    return accounts_in_scope(con, only_manager(scope, manager_id))


def accounts_in_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """The active accounts at D behind a figure of the scope, overdue first, as `manager_accounts` lists them."""
    sales = run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT s.account_id, coalesce(sum(o.amount), 0) AS revenue
        FROM scoped AS s
        LEFT JOIN orders AS o
            ON o.account_id = s.account_id AND o.order_date BETWEEN $start AND $period_end
        WHERE s.active
        GROUP BY s.account_id
        """,
    )
    listed = (
        visits.visit_status(con, scope)
        .join(sales, on="account_id", how="left")
        .with_columns(
            visit_due=pl.lit(scope.as_of) + pl.duration(days=pl.col("cadence") - pl.col("days_since_visit")),
            days_overdue=pl.col("days_overdue").clip(lower_bound=0),
            revenue=pl.col("revenue").fill_null(0.0),
        )
        .select(
            "account_id",
            "name",
            "tier",
            "region",
            "last_visit",
            "last_channel",
            "days_since_visit",
            "cadence",
            "visit_due",
            "days_overdue",
            "overdue",
            "revenue",
            "manager_id",
            "never_visited",
        )
    )
    return visits.as_read(listed)


def _score(value: float | None) -> str:
    return number(value, 2)


# How a figure reads: its text (as cards, the ranking, the brief and the download write it), and the
# st.column_config.NumberColumn format of a table too long to be given its text cell by cell.
UNIT_FORMATS: dict[str, tuple[Callable[[float | None], str], str]] = {
    "share": (percent, "percent"),
    "score": (_score, "%.2f"),
    "money": (money, "yen"),
}


@dataclass(frozen=True)
class Figure:
    """A scorecard column managers are ranked and coloured by."""

    column: str
    label: str
    # Good at or above this, bad below; None: not judged.
    target: float | None = None
    # "share" (0–1, shown as %), "score" (1–5) or "money".
    unit: str = "share"
    # The label of a narrow table column; the full label when empty.
    short: str = ""
    # What it counts, where its name alone could be read as another figure's.
    meaning: str = ""
    # (on pace from, well behind from): judged in three bands (kam.present.bands) rather than against the target, in
    # the scorecard's cells and the ranking's bars alike.
    banded: tuple[float, float] | None = None

    @property
    def heading(self) -> str:
        """The table column's label."""
        return self.short or self.label

    @property
    def explained(self) -> str:
        """The table column's tooltip: the full label, the target and what it counts."""
        named = self.label
        if self.target is not None:
            named = _("{figure}, target {target}").format(figure=self.label, target=self.text(self.target))
        return _("{figure}. {meaning}").format(figure=named, meaning=self.meaning) if self.meaning else named

    def text(self, value: float | None) -> str:
        """A value of the figure as it reads, in the run's language: 81.8%, 4.25, ¥1,234."""
        return UNIT_FORMATS[self.unit][0](value)

    @property
    def column_format(self) -> str:
        return UNIT_FORMATS[self.unit][1]


def scorecard_figures(policy: Settings) -> dict[str, Figure]:
    """The scorecard's figures with the target each is judged against (targets from the settings), labelled in
    the run's language."""
    targets = policy.scorecard_targets
    figures = [
        Figure(
            "attainment",
            _("Revenue attainment"),
            policy.attainment_bands["on_pace"],
            short=_("Attainment"),
            banded=(policy.attainment_bands["on_pace"], policy.attainment_bands["well_behind"]),
        ),
        Figure("growth", _("Growth"), targets["growth"]),
        Figure("visit_coverage", _("Visit coverage"), targets["visit_coverage"], short=_("Coverage")),
        Figure(
            "visit_attainment",
            _("Visit attainment"),
            targets["visit_attainment"],
            meaning=_(
                "Visits made, at most as many per account as its plan calls for, against the visits planned: the "
                "whole cycles of each account's tier cadence in the period."
            ),
        ),
        Figure(
            "visit_target_attainment",
            _("Visits made against the visit target"),
            policy.attainment_bands["on_pace"],
            short=_("Visits / target"),
            meaning=_(
                "Every visit to the manager's accounts in the period against the year's visit target pro-rated to "
                "the period's days, not capped per account: it can pass 100%."
            ),
        ),
        Figure("sla_met_pct", _("Complaint SLA met"), targets["sla_met_pct"], short=_("SLA met")),
        Figure("csat_pct", _("CSAT"), targets["csat_pct"]),
        Figure(
            "satisfaction_mean",
            _("Satisfaction (1–5)"),
            targets["satisfaction_mean"],
            unit="score",
            short=_("Satisfaction"),
        ),
        Figure("revenue", _("Revenue"), None, unit="money"),
        Figure("plan_coverage", _("Plan coverage"), None, short=_("Plans agreed")),
        Figure("executive_coverage", _("Executive coverage"), None, short=_("Exec. visits")),
    ]
    return {f.column: f for f in figures}


def rank_managers(card: pl.DataFrame, column: str, policy: Settings) -> pl.DataFrame:
    """The scorecard's managers with a value of one figure, best first (a manager without one is left out)."""
    if column not in scorecard_figures(policy):
        raise ValueError(f"cannot rank managers by {column!r}")
    return (
        card.select("manager_id", "name", "region", column)
        .filter(pl.col(column).is_not_null())
        .sort([column, "manager_id"], descending=[True, False])
    )

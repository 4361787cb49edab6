"""One account: search, archive, tier history, what is overdue or open.

Every query goes through the scoped accounts, so the filters and the accounts the
signed-in user may see apply: an account outside the scope is never found. As
everywhere, only what happened on or before D counts: an account created after D is
not there yet, and a churn, tier change or event dated after D has not happened.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import polars as pl

from kam.metrics import complaints, revenue, visits
from kam.metrics.scope import SCOPED, Scope, run


def only_account(scope: Scope, account_id: str) -> Scope:
    """The scope narrowed to one account (still nothing the user may not see)."""
    allowed = frozenset({account_id})
    if scope.allowed_accounts is not None:
        allowed &= scope.allowed_accounts
    return replace(scope, allowed_accounts=allowed)


def only_manager(scope: Scope, manager_id: str) -> Scope:
    """The scope narrowed to one manager's accounts (the other filters still apply)."""
    if scope.managers and manager_id not in scope.managers:
        return replace(scope, allowed_accounts=frozenset())
    return replace(scope, managers=(manager_id,))


# --- the account view -----------------------------------------------------------------


def search_accounts(con: duckdb.DuckDBPyConnection, scope: Scope, text: str, limit: int = 50) -> pl.DataFrame:
    """Accounts in scope (created by D, churned ones too) whose id, name or region contains text, case-insensitive.

    An exact id comes first, then ids and names starting with the text, then the rest by id.
    Empty text lists the first accounts by id. `label` is what a picker shows: name (id), and
    whether the account had churned by D. At most limit rows; `matches` is how many
    matched in all.
    """
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT s.account_id, s.name,
               s.name || ' (' || s.account_id || ')' || CASE WHEN s.active THEN '' ELSE ' · churned' END AS label,
               s.region, s.manager_id, s.tier, s.active,
               count(*) OVER () AS matches
        FROM scoped AS s
        WHERE s.created_on <= $as_of
          AND (contains(lower(s.account_id), lower($text)) OR contains(lower(s.name), lower($text))
               OR contains(lower(s.region), lower($text)))
        ORDER BY lower(s.account_id) = lower($text) DESC,
                 starts_with(lower(s.account_id), lower($text)) OR starts_with(lower(s.name), lower($text)) DESC,
                 s.account_id
        LIMIT $limit
        """,
        text=(text or "").strip(),
        limit=limit,
    )


def account_archive(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """The account's static data at D: one row, or none if it is outside the scope or created after D.

    `tier` is its tier at D, `assigned_tier` the tier the latest export gives it; churned_on
    and churn_reason are empty while the churn lies after D.
    """
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT s.account_id, s.name, s.industry, s.region, s.manager_id, m.name AS manager_name,
               s.tier, a.tier AS assigned_tier, s.active, s.created_on,
               CASE WHEN s.churned_on <= $as_of THEN s.churned_on END AS churned_on,
               CASE WHEN s.churned_on <= $as_of THEN s.churn_reason END AS churn_reason,
               s.credit_limit
        FROM scoped AS s
        JOIN accounts AS a USING (account_id)
        LEFT JOIN managers AS m ON m.manager_id = s.manager_id
        WHERE s.account_id = $account_id AND s.created_on <= $as_of
        """,
        account_id=account_id,
    )


def tier_history(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """The account's tier changes up to D, newest first."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT c.changed_on, c.from_tier, c.to_tier,
               CASE WHEN c.to_tier < c.from_tier THEN 'upgrade' ELSE 'downgrade' END AS direction,
               c.reason
        FROM tier_changes AS c
        JOIN scoped AS s USING (account_id)
        WHERE c.account_id = $account_id AND c.changed_on <= $as_of
        ORDER BY c.changed_on DESC, c.seq DESC
        """,
        account_id=account_id,
    )


def account_visit_status(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """The account's visit status at D (last visit, days since, cadence, overdue); no row unless active at D."""
    return visits.visit_status(con, only_account(scope, account_id))


def account_visited_since(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str, today: date) -> date | None:
    """The account's latest visit after D up to today, or None: one in none of the figures, which stay as of D.

    Typically a visit logged since the exports' data date; the page says so beside the visit status at D.
    """
    found = run(
        con,
        only_account(scope, account_id),
        f"""
        WITH {SCOPED}
        SELECT max(v.visit_date) AS visit_date
        FROM visits AS v
        JOIN scoped AS s USING (account_id)
        WHERE v.account_id = $account_id AND v.visit_date > $as_of AND v.visit_date <= $today
        """,
        account_id=account_id,
        today=today,
    )
    return found["visit_date"][0]


def account_followups(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """The account's follow-ups whose date has come with no later visit by D."""
    return visits.followups_due(con, only_account(scope, account_id))


def account_revenue_by_month(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """The account's monthly revenue over the 24 months up to D."""
    return revenue.revenue_by_month(con, only_account(scope, account_id))


def account_open_complaints(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """The account's complaints not resolved by D, oldest first, with the days each has been open at the end of D."""
    return (
        complaints.account_complaints(con, scope, account_id)
        .filter(pl.col("open"))
        .select(
            "complaint_id",
            "opened_at",
            "category",
            "severity",
            "sla_status",
            "responded_at",
            (pl.col("age_hours") / 24).alias("age_days"),
        )
        .sort("opened_at")
    )

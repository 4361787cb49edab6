"""Visit metrics: days since the last visit, overdue accounts, coverage, call-plan attainment."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.i18n import N_, _
from kam.metrics.revenue import PRORATED_TARGETS
from kam.metrics.scope import SCOPED, Metric, Scope, group_column, group_name, ratio, run, run_metric
from kam.store.schema import CONTACTS_MET

# Per account in scope: its latest visit on or before D (by date, then visit id), that visit's channel, and its
# latest executive visit on or before D. The imported visits' come from visit_links, one row per account read
# without grouping the history; those entered in the app are few, grouped and joined beside them.
LAST_VISITS = """
imported_last AS (
    SELECT account_id, visit_date, visit_id, channel, last_executive_visit
    FROM visit_links
    WHERE visit_date <= $as_of AND next_visit_date > $as_of AND account_id IN (SELECT account_id FROM scoped)
),
app_last AS (
    SELECT account_id,
           max(visit_date) AS visit_date,
           max((visit_date, visit_id)) AS day_and_id,
           arg_max(channel, (visit_date, visit_id)) AS channel,
           max(visit_date) FILTER (WHERE executive) AS last_executive_visit
    FROM visits
    WHERE source = 'app' AND visit_date <= $as_of AND account_id IN (SELECT account_id FROM scoped)
    GROUP BY account_id
),
last_visit AS (
    SELECT coalesce(i.account_id, a.account_id) AS account_id,
           greatest(i.visit_date, a.visit_date) AS last_visit,
           CASE WHEN a.account_id IS NULL OR (i.visit_date, i.visit_id) > a.day_and_id THEN i.channel
                ELSE a.channel END AS last_channel,
           greatest(i.last_executive_visit, a.last_executive_visit) AS last_executive_visit
    FROM imported_last AS i
    FULL JOIN app_last AS a ON a.account_id = i.account_id
)"""

# Per active account in scope: the latest visit on or before D, days since, and whether it is overdue.
# `{only_tier}` narrows to the accounts of one tier at D ($tier).
_STATUS = (
    LAST_VISITS
    + """,
status AS (
    SELECT s.*, v.last_visit, v.last_channel, v.last_executive_visit,
           $as_of - coalesce(v.last_visit, s.created_on) AS days_since_visit,
           ($as_of - coalesce(v.last_visit, s.created_on)) > s.cadence AS overdue
    FROM scoped AS s
    LEFT JOIN last_visit AS v USING (account_id)
    WHERE s.active{only_tier}
)"""
)
STATUS = _STATUS.format(only_tier="")
TIER_STATUS = _STATUS.format(only_tier=" AND s.tier = $tier::VARCHAR")


def visit_status(
    con: duckdb.DuckDBPyConnection, scope: Scope, only_overdue: bool = False, tier: str | None = None
) -> pl.DataFrame:
    """Every active account in scope with its last visit, days since, cadence and overdue flag.

    only_overdue: only the overdue accounts; tier: only the accounts of that tier at D.
    """
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {STATUS if tier is None else TIER_STATUS}
        SELECT st.account_id, st.name, st.tier, st.region, st.manager_id, m.name AS manager_name,
               st.last_visit, st.last_channel, st.days_since_visit, st.cadence,
               st.days_since_visit - st.cadence AS days_overdue, st.overdue,
               st.last_visit IS NULL AS never_visited
        FROM status AS st
        LEFT JOIN managers AS m USING (manager_id)
        WHERE (st.overdue OR NOT $only_overdue) AND ($tier::VARCHAR IS NULL OR st.tier = $tier::VARCHAR)
        ORDER BY st.overdue DESC, st.tier, st.days_since_visit - st.cadence DESC, st.account_id
        """,
        only_overdue=only_overdue,
        tier=tier,
    )


def overdue_accounts(con: duckdb.DuckDBPyConnection, scope: Scope, tier: str | None = None) -> pl.DataFrame:
    """Active accounts (of one tier at D, if given) overdue for a visit: tier A first, then most overdue."""
    return visit_status(con, scope, only_overdue=True, tier=tier)


NEVER_VISITED = N_("never visited")


def as_read(frame: pl.DataFrame) -> pl.DataFrame:
    """A visit-status list as people read it: an account never visited says so, with no day counts and, once
    overdue, no due date.

    Its days since the last visit count from its creation (DOMAIN.md), which ranks it, but
    "3474 days overdue" would read as a visit that once happened.
    """
    never = pl.col("never_visited")
    changes = []
    if "last_visit" in frame.columns:
        text = pl.col("last_visit").cast(pl.String)
        changes.append(pl.when(never).then(pl.lit(_(NEVER_VISITED))).otherwise(text).alias("last_visit"))
    if "days_since_visit" in frame.columns:
        changes.append(pl.when(never).then(None).otherwise(pl.col("days_since_visit")).alias("days_since_visit"))
    if "days_overdue" in frame.columns:
        # Days left before a first visit is due still read right; days overdue would not, nor would a due
        # date years back (its creation plus the cadence).
        late = never & (pl.col("days_overdue") > 0)
        changes.extend(
            pl.when(late).then(None).otherwise(pl.col(name)).alias(name)
            for name in ("days_overdue", "due_date", "visit_due")
            if name in frame.columns
        )
    return frame.with_columns(changes).drop("never_visited")


def coverage_metric(by: str | None = None) -> Metric:
    """visit_coverage's query."""
    return Metric(
        (STATUS,),
        f"""
        SELECT {group_column(by)} AS grp,
               count(*) AS active_accounts,
               count(*) FILTER (WHERE NOT s.overdue) AS covered,
               count(*) FILTER (WHERE s.overdue) AS overdue
        FROM status AS s
        GROUP BY grp
        ORDER BY grp
        """,
        finish=lambda frame: frame.with_columns(coverage=ratio(pl.col("covered"), pl.col("active_accounts"))).rename(
            {"grp": group_name(by)}
        ),
    )


def visit_coverage(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Active accounts not overdue / active accounts, overall or per tier, manager or region."""
    return run_metric(con, scope, coverage_metric(by))


def attainment_metric(by: str | None = None) -> Metric:
    """visit_attainment's query."""
    period_visits = """
period_visits AS (
    SELECT account_id, count(*) AS visits
    FROM visits
    WHERE visit_date BETWEEN $start AND $period_end AND account_id IN (SELECT account_id FROM scoped)
    GROUP BY account_id
),
planned AS (
    SELECT s.*, coalesce(v.visits, 0) AS visits, floor($days / s.cadence) AS planned
    FROM scoped AS s
    LEFT JOIN period_visits AS v USING (account_id)
    WHERE s.active
)"""
    return Metric(
        (period_visits,),
        f"""
        SELECT {group_column(by)} AS grp,
               CAST(sum(least(s.visits, s.planned)) AS BIGINT) AS visits_counted,
               CAST(sum(s.planned) AS BIGINT) AS planned
        FROM planned AS s
        WHERE s.planned > 0
        GROUP BY grp
        ORDER BY grp
        """,
        finish=lambda frame: frame.with_columns(attainment=ratio(pl.col("visits_counted"), pl.col("planned"))).rename(
            {"grp": group_name(by)}
        ),
    )


def visit_attainment(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Call-plan attainment: Σ min(visits in the period up to D, planned) / Σ planned.

    Planned visits of an account active at D = floor(period days / cadence of its tier
    at D); accounts with none planned are left out.
    """
    return run_metric(con, scope, attainment_metric(by))


def plans_a_visit(scope: Scope) -> bool:
    """Whether the period is long enough for any account to have a visit planned: as long as the shortest cadence."""
    return scope.days >= min(scope.policy.cadence_days.values())


def no_plan_reason(scope: Scope) -> str | None:
    """Why the period has no call-plan attainment (no visit planned in it) and what to choose; None if it has one."""
    if plans_a_visit(scope):
        return None
    cadence = scope.policy.cadence_days
    return _(
        "No visit is planned in a period of {days} days: an account's plan counts its whole visit cycles in the "
        "period (A every {a} days, B {b}, C {c}). Choose a month or longer in the sidebar."
    ).format(days=scope.days, a=cadence["A"], b=cadence["B"], c=cadence["C"])


def visits_against_target(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Per manager with an annual visit target: visits in the period up to D against the target pro-rated like revenue.

    visit_target = annual visit_target × period days / days in that year (summed over the
    years the period covers); visits are those to the manager's accounts in scope, credited
    to the account's current manager. Managers without a visit target are left out.
    """
    frame = run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {PRORATED_TARGETS},
        made AS (
            SELECT s.manager_id, count(*) AS visits
            FROM visits AS v
            JOIN scoped AS s USING (account_id)
            WHERE v.visit_date BETWEEN $start AND $period_end
            GROUP BY s.manager_id
        )
        SELECT p.manager_id, coalesce(m.visits, 0) AS visits, p.visit_target
        FROM prorated AS p
        LEFT JOIN made AS m USING (manager_id)
        WHERE p.visit_target IS NOT NULL
        ORDER BY p.manager_id
        """,
    )
    return frame.with_columns(visit_target_attainment=ratio(pl.col("visits"), pl.col("visit_target")))


def visits_by_week(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Visits in the period up to D per ISO week (its Monday) and channel."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT CAST(date_trunc('week', v.visit_date) AS DATE) AS week, v.channel, count(*) AS visits
        FROM visits AS v
        JOIN scoped AS s USING (account_id)
        WHERE v.visit_date BETWEEN $start AND $period_end
        GROUP BY week, v.channel
        ORDER BY week, v.channel
        """,
    )


def followups_due(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Visits whose next_date has come (on or before D) with no later visit to the account by D."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED},
        known AS (
            SELECT * FROM visits WHERE visit_date <= $as_of AND account_id IN (SELECT account_id FROM scoped)
        ),
        -- a visit with no later visit is one on the account's latest visit day
        latest AS (
            SELECT account_id, max(visit_date) AS last_visit FROM known GROUP BY account_id
        )
        SELECT v.account_id, s.name, s.tier, s.manager_id, v.visit_date, v.channel,
               v.next_step, v.next_date, $as_of - v.next_date AS days_late
        FROM known AS v
        JOIN latest AS l ON l.account_id = v.account_id AND l.last_visit = v.visit_date
        JOIN scoped AS s ON s.account_id = v.account_id
        WHERE s.active
          AND v.next_date <= $as_of
        ORDER BY v.next_date, v.account_id
        """,
    )


def account_visits(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """One account's visits up to D, newest first (empty if the account is outside the scope), with who was met: the
    people typed in the visit form (`met_with`) and the account's contacts it names (`contacts`, their names in the
    order recorded; an id no contact has, as it is), and the credit warning signs each recorded (`signs`, their
    codes)."""
    # An imported visit carries no people met of its own: the export writes them at the head of its notes.
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}
        SELECT v.visit_date, v.channel, v.purpose, v.executive, v.manager_id,
               CASE WHEN v.source = 'app' THEN a.met_with END AS met_with,
               {CONTACTS_MET} AS contacts,
               v.notes, v.next_step, v.next_date, string_split(v.warning_signs, ';') AS signs, v.source
        FROM visits AS v
        JOIN scoped AS s USING (account_id)
        LEFT JOIN visits_app AS a USING (visit_id)
        WHERE v.account_id = $account_id AND v.visit_date <= $as_of
        ORDER BY v.visit_date DESC, v.visit_id DESC
        """,
        account_id=account_id,
    )

"""Figures of the relationship data entered in the app: plan coverage, executive coverage, overdue plan actions.

Plan coverage at D = A-accounts active at D whose plan for D's year was agreed on or before D
and not closed before D / A-accounts active at D. Executive coverage = A-accounts active at D
with a visit in D−89..D in which our senior management took part / A-accounts active at D.
"""

from __future__ import annotations

import duckdb
import polars as pl

from kam.metrics.scope import SCOPED, Scope, group_column, group_name, ratio, run
from kam.metrics.visits import LAST_VISITS
from kam.store.schema import CONTACT_AT_AS_OF, CONTACTS_AT_AS_OF

# Days back from D (D included) a visit with our senior management keeps a key account covered.
EXECUTIVE_DAYS = 90

# Each A-account active at D: whether its plan of D's year stands agreed at D, whether our
# senior management visited it in D−89..D, and whether an executive-level contact (any contact) was on file at D,
# each contact's level as it was at D.
KEY_ACCOUNTS = f"""{CONTACTS_AT_AS_OF},
plan_status_at AS (
    SELECT p.account_id,
           arg_max(h.status, h.changed_at) AS status,
           max(h.changed_on) FILTER (WHERE h.status = 'closed') AS closed_on,
           bool_or(h.status = 'agreed') AS was_agreed
    FROM account_plans AS p
    JOIN plan_status_history AS h USING (plan_id)
    WHERE p.year = year($as_of) AND h.changed_on <= $as_of
    GROUP BY p.account_id
),
key_accounts AS (
    SELECT s.account_id, s.name, s.manager_id, s.region,
           coalesce(ps.status = 'agreed' OR (ps.status = 'closed' AND ps.was_agreed AND ps.closed_on = $as_of),
                    false) AS plan_agreed,
           ps.account_id IS NOT NULL AS has_plan,
           EXISTS (SELECT 1 FROM visits AS v
                   WHERE v.account_id = s.account_id AND v.executive
                     AND v.visit_date BETWEEN $as_of - CAST($executive_days - 1 AS INTEGER) AND $as_of)
               AS executive_visit,
           EXISTS (SELECT 1 FROM contacts_at AS c
                   WHERE c.account_id = s.account_id AND c.level = 'executive' AND {CONTACT_AT_AS_OF})
               AS executive_contact,
           EXISTS (SELECT 1 FROM contacts_at AS c WHERE c.account_id = s.account_id AND {CONTACT_AT_AS_OF})
               AS any_contact
    FROM scoped AS s
    LEFT JOIN plan_status_at AS ps USING (account_id)
    WHERE s.active AND s.tier = 'A'
)"""


def relationship_coverage(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Plan coverage and executive coverage at D, overall or per manager, region (null when no A-account), the
    A-accounts with a plan of D's year in any status at D (with_plan), and those with no contact on file at all
    (without_contacts)."""
    column = group_column(by).replace("s.", "k.")
    frame = run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {KEY_ACCOUNTS}
        SELECT {column} AS grp,
               count(*) AS key_accounts,
               count(*) FILTER (WHERE k.plan_agreed) AS planned,
               count(*) FILTER (WHERE k.has_plan) AS with_plan,
               count(*) FILTER (WHERE k.executive_visit) AS executive_visited,
               count(*) FILTER (WHERE NOT k.any_contact) AS without_contacts
        FROM key_accounts AS k
        GROUP BY grp
        ORDER BY grp
        """,
        executive_days=EXECUTIVE_DAYS,
    )
    if by is None and frame.is_empty():
        frame = pl.DataFrame(
            {
                "grp": ["all"],
                "key_accounts": [0],
                "planned": [0],
                "with_plan": [0],
                "executive_visited": [0],
                "without_contacts": [0],
            },
            schema=frame.schema,
        )
    return frame.with_columns(
        plan_coverage=ratio(pl.col("planned"), pl.col("key_accounts")),
        executive_coverage=ratio(pl.col("executive_visited"), pl.col("key_accounts")),
    ).rename({"grp": group_name(by)})


def key_account_flags(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """A-accounts active at D lacking an executive-level contact on file, or a visit with our senior
    management in D−89..D: the two counts kept apart."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {KEY_ACCOUNTS}, {LAST_VISITS}
        SELECT k.account_id, k.name, k.manager_id,
               NOT k.executive_contact AS no_executive_contact,
               NOT k.executive_visit AS no_executive_visit,
               l.last_executive_visit
        FROM key_accounts AS k
        LEFT JOIN last_visit AS l USING (account_id)
        WHERE NOT k.executive_contact OR NOT k.executive_visit
        ORDER BY k.account_id
        """,
        executive_days=EXECUTIVE_DAYS,
    )


# Each plan's status at the end of day $as_of (none for a plan written after it), and each action added by then with
# its status at that day: open as added, then as its last change on or before it (from the audit log, where every
# action's adding and each change of its status are written with their time).
PLAN_ACTIONS_AT_AS_OF = """
plan_at AS (
    SELECT plan_id, arg_max(status, changed_at) AS status
    FROM plan_status_history
    WHERE changed_on <= $as_of
    GROUP BY plan_id
),
action_log AS (
    SELECT target AS action_id,
           bool_or(action = 'plan_action.add') AS added,
           arg_max(json_extract_string(after, '$.status'), event_id) FILTER (WHERE action = 'plan_action.status')
               AS status
    FROM audit_log
    WHERE action IN ('plan_action.add', 'plan_action.status') AND CAST(happened_at AS DATE) <= $as_of
    GROUP BY target
)"""


def overdue_plan_actions(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Actions open at D of the accounts' plans (not closed at D), due before D, longest overdue first: an action
    added, or a plan written, after D is not listed at D, nor one done by then."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {PLAN_ACTIONS_AT_AS_OF}
        SELECT x.action_id, p.account_id, s.name, s.manager_id, p.year, x.description, x.owner, x.due_on,
               datediff('day', x.due_on, $as_of) AS days_overdue
        FROM plan_actions AS x
        JOIN account_plans AS p USING (plan_id)
        JOIN plan_at AS pa USING (plan_id)
        JOIN action_log AS l USING (action_id)
        JOIN scoped AS s ON s.account_id = p.account_id
        WHERE l.added AND coalesce(l.status, 'open') = 'open' AND x.due_on < $as_of AND pa.status <> 'closed'
        ORDER BY x.due_on, p.account_id, x.action_id
        """,
    )

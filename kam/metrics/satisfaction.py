"""Satisfaction metrics: mean score, CSAT %, NPS, score distribution, drops, comments."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.i18n import _
from kam.i18n.formats import table_date
from kam.metrics.scope import SCOPED, Metric, Scope, group_column, group_name, run, run_metric

# Mean, CSAT % (share of scores at or above the threshold) and NPS (% promoters 9–10
# minus % detractors 0–6, over the answers that have one), as SQL aggregates over `s`.
AGGREGATES = """
count(*) AS responses,
avg(s.score) AS mean_score,
count(*) FILTER (WHERE s.score >= $csat_min) / nullif(count(*), 0) AS csat_pct,
count(s.nps) AS nps_responses,
100.0 * (count(*) FILTER (WHERE s.nps >= 9) - count(*) FILTER (WHERE s.nps <= 6)) / nullif(count(s.nps), 0) AS nps
"""

SURVEYED = """
surveyed AS (
    SELECT v.survey_id, v.account_id, v.surveyed_on, v.score, v.nps, v.comment,
           s.name, s.tier, s.region, s.manager_id
    FROM surveys AS v
    JOIN scoped AS s USING (account_id)
    WHERE v.surveyed_on <= $as_of AND v.account_id IN (SELECT account_id FROM scoped)
)"""


def summary_metric(by: str | None = None) -> Metric:
    """satisfaction_summary's query."""
    return Metric(
        (SURVEYED,),
        f"""
        SELECT {group_column(by)} AS grp, {AGGREGATES}
        FROM surveyed AS s
        WHERE s.surveyed_on >= $start AND s.surveyed_on <= $period_end
        GROUP BY grp
        ORDER BY grp
        """,
        finish=lambda frame: frame.rename({"grp": group_name(by)}),
    )


def satisfaction_summary(con: duckdb.DuckDBPyConnection, scope: Scope, by: str | None = None) -> pl.DataFrame:
    """Responses, mean score, CSAT % and NPS of the surveys in the period up to D."""
    return run_metric(con, scope, summary_metric(by))


def no_survey_reason(scope: Scope, responses: int) -> str | None:
    """Why the period has no satisfaction figure (no survey answered in it by the accounts in scope) and what to
    choose; None if it has one."""
    if responses:
        return None
    # Surveys come each half-year (docs/DOMAIN.md): most weeks and months have none.
    return _(
        "No survey answered from {start} to {end} by the accounts in scope: customers are surveyed each half-year, "
        "so a week or a month often has none. Choose a longer period in the sidebar."
    ).format(start=table_date(scope.start), end=table_date(scope.period_end))


def satisfaction_trend(
    con: duckdb.DuckDBPyConnection, scope: Scope, grain: str = "half", by: str | None = None
) -> pl.DataFrame:
    """Mean score, CSAT % and NPS per half-year (2026-H1) or quarter (2026-Q3), every survey up to D."""
    if grain not in ("half", "quarter"):
        raise ValueError(f"grain must be half or quarter, not {grain!r}")
    label = (
        "year(s.surveyed_on) || '-H' || CASE WHEN month(s.surveyed_on) <= 6 THEN 1 ELSE 2 END"
        if grain == "half"
        else "year(s.surveyed_on) || '-Q' || quarter(s.surveyed_on)"
    )
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {SURVEYED}
        SELECT {label} AS period, {group_column(by)} AS grp, {AGGREGATES}
        FROM surveyed AS s
        GROUP BY period, grp
        ORDER BY period, grp
        """,
    ).rename({"grp": group_name(by)})


def score_distribution(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """How many surveys in the period gave each score 1–5."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {SURVEYED}
        SELECT g.score, count(s.survey_id) AS responses
        FROM (SELECT unnest([1, 2, 3, 4, 5]) AS score) AS g
        LEFT JOIN surveyed AS s
            ON s.score = g.score AND s.surveyed_on >= $start AND s.surveyed_on <= $period_end
        GROUP BY g.score
        ORDER BY g.score
        """,
    )


def satisfaction_drops(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Active accounts whose latest score by D is at least 1 point below the previous one, or 2 or less; worst first.

    Worst first: the lowest latest score, then the largest fall, then tier A before B and C.
    `fall` is the points lost since the previous score (null without one, 0 or less when the
    account is listed for its low score only); `reason` says which rule flags it.
    """
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED},
        pairs AS (
            -- each account's latest survey by D (by surveyed_on, then survey_id) with the score of the one
            -- before it: the survey on or before D whose account's next survey comes after D
            SELECT account_id,
                   surveyed_on AS latest_on,
                   score AS latest_score,
                   previous_score,
                   comment AS latest_comment
            FROM survey_links
            WHERE surveyed_on <= $as_of
              AND next_surveyed_on > $as_of
              AND account_id IN (SELECT account_id FROM scoped)
        )
        SELECT p.account_id, s.name, s.tier, s.region, s.manager_id,
               p.latest_on, p.latest_score, p.previous_score,
               p.previous_score - p.latest_score AS fall,
               CASE
                   WHEN p.latest_score <= p.previous_score - $drop_points AND p.latest_score <= $drop_floor
                       THEN replace($fell_to_low, '{{fall}}', CAST(p.previous_score - p.latest_score AS VARCHAR))
                   WHEN p.latest_score <= p.previous_score - $drop_points
                       THEN replace($fell, '{{fall}}', CAST(p.previous_score - p.latest_score AS VARCHAR))
                   ELSE $low_score
               END AS reason,
               p.latest_comment
        FROM pairs AS p
        JOIN scoped AS s USING (account_id)
        WHERE s.active
          AND (p.latest_score <= $drop_floor OR p.latest_score <= p.previous_score - $drop_points)
        ORDER BY p.latest_score, fall DESC NULLS LAST, s.tier, p.latest_on DESC, p.account_id
        """,
        # The reason in the run's language; {fall} is filled in by the query.
        fell_to_low=_("fell {fall} to a low score"),
        fell=_("fell {fall}"),
        low_score=_("low score"),
    )


def latest_comments(con: duckdb.DuckDBPyConnection, scope: Scope, limit: int = 20) -> pl.DataFrame:
    """The newest survey comments up to D."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {SURVEYED}
        SELECT surveyed_on, account_id, name, tier, score, nps, comment
        FROM surveyed
        WHERE comment IS NOT NULL
        ORDER BY surveyed_on DESC, survey_id DESC
        LIMIT $limit
        """,
        limit=limit,
    )


def account_surveys(con: duckdb.DuckDBPyConnection, scope: Scope, account_id: str) -> pl.DataFrame:
    """One account's surveys up to D, newest first."""
    return run(
        con,
        scope,
        f"""
        WITH {SCOPED}, {SURVEYED}
        SELECT surveyed_on, score, nps, comment
        FROM surveyed
        WHERE account_id = $account_id
        ORDER BY surveyed_on DESC, survey_id DESC
        """,
        account_id=account_id,
    )

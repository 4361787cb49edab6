"""Satisfaction: mean score, CSAT and NPS over time and by tier and region, drops, and what customers wrote."""

import streamlit as st

from kam import charts, dashboard
from kam.formatting import number, percent
from kam.metrics import satisfaction
from kam.widgets import NO_DATA, chart_with_table, table

scope = dashboard.scope()
summary = dashboard.cached(satisfaction.satisfaction_summary, scope)
scores = dashboard.cached(satisfaction.score_distribution, scope)
drops = dashboard.cached(satisfaction.satisfaction_drops, scope)
comments = dashboard.cached(satisfaction.latest_comments, scope)

FIGURES = {
    "responses": "Answers",
    "mean_score": st.column_config.NumberColumn("Mean score", format="%.2f"),
    "csat_pct": st.column_config.NumberColumn("CSAT", format="percent"),
    "nps_responses": "NPS answers",
    "nps": st.column_config.NumberColumn("NPS", format="%.0f"),
}
GRAINS = {"half": "Half-year", "quarter": "Quarter"}
BREAKDOWNS = {None: "All accounts", "tier": "By tier", "region": "By region"}

st.title("Satisfaction")
st.caption(
    f"Surveys of {scope.start:%Y-%m-%d} to {scope.period_end:%Y-%m-%d} · scores 1–5, CSAT counts "
    f"{scope.policy.csat_min_score} and above · NPS from the answers that have one"
)

if summary.is_empty():
    st.info(NO_DATA)
else:
    now = summary.row(0, named=True)
    row = st.columns(4)
    row[0].metric("Mean score", number(now["mean_score"], 2), border=True)
    row[1].metric("CSAT", percent(now["csat_pct"]), border=True)
    row[2].metric("NPS", number(now["nps"]), help=f"Of {now['nps_responses']} answers with an NPS", border=True)
    row[3].metric("Answers", number(now["responses"]), border=True)

st.header("Over time")
st.caption("Every survey up to the as-of date, per half-year or quarter.")
left, right = st.columns(2)
grain = left.segmented_control("Per", list(GRAINS), default="half", format_func=GRAINS.get, key="csat_grain")
by = right.segmented_control("Split", list(BREAKDOWNS), default=None, format_func=BREAKDOWNS.get, key="csat_by")
trend = dashboard.cached(satisfaction.satisfaction_trend, scope, grain=grain or "half", by=by)
chart_with_table(
    charts.satisfaction_trend(trend, by),
    trend.drop("scope", strict=False),
    "satisfaction-trend",
    period="Period",
    tier="Tier",
    region="Region",
    **FIGURES,
)

st.header("In the period, by tier and by region")
tabs = st.tabs(["By tier", "By region"])
for tab, group in zip(tabs, ("tier", "region"), strict=True):
    with tab:
        split = dashboard.cached(satisfaction.satisfaction_summary, scope, by=group)
        if split.is_empty():
            st.info(NO_DATA)
        else:
            table(split, f"satisfaction-by-{group}", **{group: group.title()}, **FIGURES)

st.header("Scores")
if summary.is_empty():
    st.info(NO_DATA)
else:
    chart_with_table(
        charts.score_distribution(scores), scores, "score-distribution", score="Score", responses="Answers"
    )

st.header(f"Drops ({drops.height})")
st.caption(
    f"Active accounts whose latest score is {scope.policy.drop_points} point or more below the one before, "
    f"or {scope.policy.drop_floor} or less."
)
if drops.is_empty():
    st.info("No account with a drop.")
else:
    table(
        drops,
        "satisfaction-drops",
        account_id="Account",
        name="Name",
        tier="Tier",
        region="Region",
        manager_id="Manager",
        latest_on=st.column_config.DateColumn("Latest survey"),
        latest_score="Latest score",
        previous_score="Previous score",
        latest_comment="Comment",
    )

st.header("Latest comments")
if comments.is_empty():
    st.info("No comments up to the as-of date.")
else:
    table(
        comments,
        "latest-comments",
        surveyed_on=st.column_config.DateColumn("Surveyed"),
        account_id="Account",
        name="Name",
        tier="Tier",
        score="Score",
        nps="NPS",
        comment=st.column_config.TextColumn("Comment", width="large"),
    )

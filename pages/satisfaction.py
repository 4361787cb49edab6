"""Satisfaction: mean score, CSAT and NPS over time and by tier and region, drops, and what customers wrote."""

import streamlit as st

from kam.metrics import satisfaction
from kam.present import charts
from kam.present.formatting import number, percent
from kam.ui import dashboard
from kam.ui.widgets import NO_DATA, chart_with_table, table

scope = dashboard.scope()
summary = dashboard.cached(satisfaction.satisfaction_summary, scope)
scores = dashboard.cached(satisfaction.score_distribution, scope)
drops = dashboard.cached(satisfaction.satisfaction_drops, scope)
comments = dashboard.cached(satisfaction.latest_comments, scope)

SHOWN = {"mean_score": "Mean score", "csat_pct": "CSAT", "nps": "NPS"}
GRAINS = {"half": "Half-year", "quarter": "Quarter"}
SPLITS = {"all": "All accounts", "tier": "By tier", "region": "By region"}
csat_min = scope.policy.csat_min_score

st.title("Satisfaction")
st.caption(
    f"Surveys of {scope.start:%Y-%m-%d} to {scope.period_end:%Y-%m-%d} · scores 1–5, CSAT is the share of "
    f"{csat_min} and above · NPS (−100 to 100) from the answers that have one · tiers as of {scope.as_of:%Y-%m-%d}"
)

if summary.is_empty():
    st.info(NO_DATA)
else:
    now = summary.row(0, named=True)
    row = st.columns(4)
    row[0].metric("Mean score", number(now["mean_score"], 2), help="Scores 1–5, 5 very satisfied", border=True)
    row[1].metric("CSAT", percent(now["csat_pct"]), help=f"Share of scores {csat_min} and above", border=True)
    row[2].metric(
        "NPS",
        number(now["nps"]),
        help=f"% answering 9–10 minus % answering 0–6, of the {now['nps_responses']} answers with one",
        border=True,
    )
    row[3].metric("Answers", number(now["responses"]), border=True)

st.header("Over time")
st.caption("Every survey up to the as-of date, whatever the period, per half-year or quarter.")
left, middle, right = st.columns(3)
shown = left.segmented_control(
    "Figure", list(SHOWN), default="mean_score", required=True, format_func=SHOWN.get, key="csat_figure"
)
grain = middle.segmented_control(
    "Per", list(GRAINS), default="half", required=True, format_func=GRAINS.get, key="csat_grain"
)
split = right.segmented_control(
    "Split", list(SPLITS), default="all", required=True, format_func=SPLITS.get, key="csat_by"
)
by = None if split == "all" else split
trend = dashboard.cached(satisfaction.satisfaction_trend, scope, grain=grain, by=by)
chart_with_table(
    charts.satisfaction_over_time(trend, shown, by),
    trend.drop("scope", strict=False),
    "satisfaction-trend",
)

st.header("In the period, by tier and by region")
tabs = st.tabs(["By tier", "By region"])
for tab, group in zip(tabs, ("tier", "region"), strict=True):
    with tab:
        split_summary = dashboard.cached(satisfaction.satisfaction_summary, scope, by=group)
        chart_with_table(
            charts.satisfaction_by(split_summary, group, group.title()),
            split_summary,
            f"satisfaction-by-{group}",
        )

st.header("Scores in the period")
if summary.is_empty():
    st.info(NO_DATA)
else:
    chart_with_table(charts.score_distribution(scores), scores, "score-distribution")

st.header(f"Drops ({drops.height})")
st.caption(
    f"Active accounts whose latest score up to {scope.as_of:%Y-%m-%d} is {scope.policy.drop_points} point or more "
    f"below the one before, or {scope.policy.drop_floor} or less (a low score, even if unchanged). "
    "Worst first: lowest score, then the largest fall, then tier."
)
if drops.is_empty():
    st.info("No account with a drop.")
else:
    table(drops, "satisfaction-drops")

st.header("Latest comments")
st.caption(f"The newest comments up to {scope.as_of:%Y-%m-%d}, whatever the period.")
if comments.is_empty():
    st.info("No comments up to the as-of date.")
else:
    table(comments, "latest-comments", nps="NPS answer (0–10)")

"""Complaint SLA: how often the first reply came in time, how long replies and fixes take, what is late."""

import streamlit as st

from kam.metrics import complaints
from kam.present import charts
from kam.present.columns import Column, Kind
from kam.present.formatting import hours, number, percent
from kam.ui import dashboard
from kam.ui.widgets import NO_DATA, chart_with_table, named, table

scope = dashboard.scope()
sla = dashboard.cached(complaints.complaint_sla, scope)
times = dashboard.cached(complaints.response_times, scope)
times_by_manager = dashboard.cached(complaints.response_times, scope, by="manager")
breaches = dashboard.cached(complaints.breaches, scope)
ageing = dashboard.cached(complaints.open_complaints_ageing, scope)

GRAINS = {"week": "Week", "month": "Month"}
# The grouping's column, the metric and its options, the label.
GROUPS = [
    ("category", complaints.complaint_sla_by, {"column": "category"}, "Category"),
    ("severity", complaints.complaint_sla_by, {"column": "severity"}, "Severity"),
    ("manager_id", complaints.complaint_sla, {"by": "manager"}, "Manager"),
]
sla_hours = number(scope.policy.sla_hours)

st.title("Complaint SLA")
st.caption(
    f"Complaints opened {scope.start:%Y-%m-%d} to {scope.period_end:%Y-%m-%d}, as they stood at the end of "
    f"{scope.as_of:%Y-%m-%d} · first reply due within {sla_hours} hours · a reply after that day counts as none yet"
)

if sla.is_empty():
    st.info(NO_DATA)
else:
    counts, time = sla.row(0, named=True), times.row(0, named=True)
    left, middle, right = st.columns(3)
    left.metric(
        "SLA met",
        percent(counts["met_pct"]),
        help=f"Met / (met + breached): replied within {sla_hours} h. Pending ones are left out.",
        border=True,
    )
    left.metric(
        "Met · breached · pending",
        f"{counts['met']} · {counts['breached']} · {counts['pending']}",
        help=f"Pending: no reply yet, and not {sla_hours} h old at the end of the as-of day.",
        border=True,
    )
    middle.metric(
        "First reply, median",
        hours(time["response_median_hours"]),
        help=f"Of the {time['responded']} complaints replied to",
        border=True,
    )
    middle.metric("First reply, 90th percentile", hours(time["response_p90_hours"]), border=True)
    right.metric(
        "Resolution, median",
        hours(time["resolution_median_hours"]),
        help=f"Of the {time['resolved']} complaints resolved",
        border=True,
    )
    right.metric("Resolution, 90th percentile", hours(time["resolution_p90_hours"]), border=True)

    st.header("Over time")
    grain = st.segmented_control(
        "Per", list(GRAINS), default="month", required=True, format_func=GRAINS.get, key="sla_grain"
    )
    trend = dashboard.cached(complaints.sla_over_time, scope, grain=grain)
    chart_with_table(
        charts.sla_over_time(trend),
        trend,
        "sla-over-time",
        period=Column(Kind.DATE, "Week of") if grain == "week" else Column(Kind.MONTH, "Month"),
    )

    st.header("By category, severity and manager")
    tabs = st.tabs([f"By {label.lower()}" for *_, label in GROUPS])
    for tab, (column, metric, options, label) in zip(tabs, GROUPS, strict=True):
        with tab:
            counts_by = named(dashboard.cached(metric, scope, **options))
            chart_with_table(
                charts.sla_counts(counts_by, column, label),
                counts_by,
                f"sla-by-{column}",
            )

    st.header("Reply and resolution times by manager")
    st.caption("Hours from opening; the median and the 90th percentile of the complaints replied to or resolved.")
    table(times_by_manager, "response-times-by-manager")

    st.header(f"Breaches ({breaches.height})")
    st.caption(
        f"Complaints of the period whose first reply came after {sla_hours} hours or has not come, open and closed. "
        "Click a column to sort."
    )
    if breaches.is_empty():
        st.info("No breach in the period.")
    else:
        table(breaches, "breaches")

st.header("Ageing of open complaints")
st.caption(f"Complaints not resolved by the end of {scope.as_of:%Y-%m-%d}, whenever opened, by age.")
if ageing.is_empty():
    st.info(f"No complaint open at the end of {scope.as_of:%Y-%m-%d}.")
else:
    chart_with_table(charts.ageing(ageing), ageing, "open-ageing", complaints="Open complaints")

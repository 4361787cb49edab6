"""Complaint SLA: how often the first reply came in time, how long replies and fixes take, what is late."""

import streamlit as st

from kam import charts, dashboard
from kam.formatting import number, percent
from kam.metrics import complaints
from kam.widgets import NO_DATA, chart_with_table, table

scope = dashboard.scope()
sla = dashboard.cached(complaints.complaint_sla, scope)
times = dashboard.cached(complaints.response_times, scope)
breaches = dashboard.cached(complaints.breaches, scope)
ageing = dashboard.cached(complaints.open_complaints_ageing, scope)

MET_PCT = st.column_config.NumberColumn("SLA met", format="percent")
COUNTS = {"met": "Met", "breached": "Breached", "pending": "Pending", "met_pct": MET_PCT}
COMPLAINT_COLUMNS = {
    "complaint_id": "Complaint",
    "account_id": "Account",
    "name": "Name",
    "tier": "Tier",
    "manager_id": "Manager",
    "category": "Category",
    "severity": "Severity",
    "opened_at": st.column_config.DatetimeColumn("Opened", format="YYYY-MM-DD HH:mm"),
    "responded_at": st.column_config.DatetimeColumn("First reply", format="YYYY-MM-DD HH:mm"),
    "resolved_at": st.column_config.DatetimeColumn("Resolved", format="YYYY-MM-DD HH:mm"),
    "response_hours": st.column_config.NumberColumn("Hours to first reply", format="%.1f"),
    "age_hours": st.column_config.NumberColumn("Age (hours)", format="%.0f"),
    "open": "Open",
}

st.title("Complaint SLA")
st.caption(
    f"Complaints opened {scope.start:%Y-%m-%d} to {scope.period_end:%Y-%m-%d}, as they stood at the end of "
    f"{scope.as_of:%Y-%m-%d} · first reply due within {number(scope.policy.sla_hours)} hours"
)

if sla.is_empty():
    st.info(NO_DATA)
    st.stop()
sla, times = sla.row(0, named=True), times.row(0, named=True)

row = st.columns(4)
row[0].metric("SLA met", percent(sla["met_pct"]), help="Met / (met + breached); pending ones are left out", border=True)
row[1].metric("Met · breached · pending", f"{sla['met']} · {sla['breached']} · {sla['pending']}", border=True)
row[2].metric(
    "First reply, median",
    f"{number(times['response_median_hours'], 1)} h",
    help=f"90th percentile {number(times['response_p90_hours'], 1)} h, of {times['responded']} replied",
    border=True,
)
row[3].metric(
    "Resolution, median",
    f"{number(times['resolution_median_hours'], 1)} h",
    help=f"90th percentile {number(times['resolution_p90_hours'], 1)} h, of {times['resolved']} resolved",
    border=True,
)

st.header("Over time")
grain = st.segmented_control("Grain", ["week", "month"], default="month", format_func=str.title, key="sla_grain")
trend = dashboard.cached(complaints.sla_over_time, scope, grain=grain or "month")
chart_with_table(
    charts.sla_over_time(trend),
    trend,
    "sla-over-time",
    period=st.column_config.DateColumn("Opened in"),
    **COUNTS,
)

st.header("Reply and resolution times")
st.caption("Hours from opening, median and 90th percentile, by manager.")
by_manager_times = dashboard.cached(complaints.response_times, scope, by="manager")
table(
    by_manager_times,
    "response-times-by-manager",
    manager_id="Manager",
    responded="Replied",
    response_median_hours=st.column_config.NumberColumn("First reply, median h", format="%.1f"),
    response_p90_hours=st.column_config.NumberColumn("First reply, p90 h", format="%.1f"),
    resolved="Resolved",
    resolution_median_hours=st.column_config.NumberColumn("Resolution, median h", format="%.1f"),
    resolution_p90_hours=st.column_config.NumberColumn("Resolution, p90 h", format="%.1f"),
)

st.header("By category, severity and manager")
GROUPS = [
    ("category", complaints.complaint_sla_by, {"column": "category"}, "Category"),
    ("severity", complaints.complaint_sla_by, {"column": "severity"}, "Severity"),
    ("manager_id", complaints.complaint_sla, {"by": "manager"}, "Manager"),
]
tabs = st.tabs([f"By {label.lower()}" for *_, label in GROUPS])
for tab, (column, metric, options, label) in zip(tabs, GROUPS, strict=True):
    with tab:
        counts = dashboard.cached(metric, scope, **options)
        chart_with_table(
            charts.sla_counts(counts, column, label), counts, f"sla-by-{column}", **{column: label}, **COUNTS
        )

st.header(f"Breaches ({breaches.height})")
st.caption("Complaints of the period whose first reply came late or has not come, open and closed.")
if breaches.is_empty():
    st.info("No breach in the period.")
else:
    table(breaches.drop("region", "resolution_hours", "sla_status"), "breaches", **COMPLAINT_COLUMNS)

st.header("Ageing of open complaints")
st.caption(f"Complaints not resolved by the end of {scope.as_of:%Y-%m-%d}, whenever opened, by age.")
chart_with_table(charts.ageing(ageing), ageing, "open-ageing", age_band="Age", complaints="Open complaints")

"""Complaint SLA: how often the first reply came in time, how long replies and fixes take, what is late."""

import streamlit as st

from kam.i18n import N_, NF_, _
from kam.i18n.formats import table_date
from kam.metrics import attention, complaints
from kam.present import charts, columns
from kam.present.columns import Column, Kind
from kam.present.formatting import hours, number, percent
from kam.reports import overview
from kam.ui import dashboard
from kam.ui.widgets import at_as_of, chart_with_table, figure, named, no_data, table

scope = dashboard.scope()
sla = dashboard.cached(complaints.complaint_sla, scope)
times = dashboard.cached(complaints.response_times, scope)
times_by_manager = dashboard.cached(complaints.response_times, scope, by="manager")
breaches = dashboard.cached(complaints.breaches, scope)
ageing = dashboard.cached(complaints.open_complaints_ageing, scope)
# The overview's list of complaints past the SLA and still open at D, whenever opened: the same figure, list and name.
still_open = overview.section_of(attention.open_breaches)
open_breaches = dashboard.cached(still_open.metric, scope)

GRAINS = {"week": N_("Week"), "month": N_("Month")}
# The grouping's column, the metric and its options, the label.
GROUPS = [
    ("category", complaints.complaint_sla_by, {"column": "category"}, N_("Category"), N_("By category")),
    ("severity", complaints.complaint_sla_by, {"column": "severity"}, N_("Severity"), N_("By severity")),
    ("manager_id", complaints.complaint_sla, {"by": "manager"}, N_("Manager"), N_("By manager")),
]
# The file of each grouping's table (its key: the one English name).
GROUP_FILES = {
    "category": NF_("sla-by-category"),
    "severity": NF_("sla-by-severity"),
    "manager_id": NF_("sla-by-manager_id"),
}
sla_hours = number(scope.policy.sla_hours)

st.title(_("Complaint SLA"))
st.caption(
    dashboard.with_as_of_note(
        _(
            "Complaints opened {start} to {end}, as they stood at the end of {as_of} · first reply due within {hours} "
            "hours · a reply after that day counts as none yet"
        ).format(
            start=table_date(scope.start),
            end=table_date(scope.period_end),
            as_of=table_date(scope.as_of),
            hours=sla_hours,
        ),
        scope,
    )
)

if sla.is_empty():
    no_data()
else:
    counts, time = sla.row(0, named=True), times.row(0, named=True)
    left, middle, right = st.columns(3)
    left.metric(
        _("SLA met"),
        percent(counts["met_pct"]),
        help=_("Met / (met + breached): replied within {hours} h. Pending ones are left out.").format(hours=sla_hours),
        border=True,
    )
    left.metric(
        _("Met · breached · pending"),
        f"{counts['met']} · {counts['breached']} · {counts['pending']}",
        help=_("Pending: no reply yet, and not {hours} h old at the end of the as-of day.").format(hours=sla_hours),
        border=True,
    )
    middle.metric(
        _("First reply, median"),
        hours(time["response_median_hours"]),
        help=_("Of the {count} complaints replied to").format(count=time["responded"]),
        border=True,
    )
    middle.metric(_("First reply, 90th percentile"), hours(time["response_p90_hours"]), border=True)
    # In the unit the tables below read them in (days).
    right.metric(
        _("Resolution, median"),
        columns.figure_duration("resolution_median_hours", time["resolution_median_hours"]),
        help=_("Of the {count} complaints resolved").format(count=time["resolved"]),
        border=True,
    )
    right.metric(
        _("Resolution, 90th percentile"),
        columns.figure_duration("resolution_p90_hours", time["resolution_p90_hours"]),
        border=True,
    )

    st.header(_("Over time"))
    grain = st.segmented_control(
        _("Per"), list(GRAINS), default="month", required=True, format_func=lambda g: _(GRAINS[g]), key="sla_grain"
    )
    trend = dashboard.cached(complaints.sla_over_time, scope, grain=grain)
    chart_with_table(
        figure(charts.sla_over_time, trend),
        trend,
        NF_("sla-over-time"),
        period=Column(Kind.DATE, _("Week of")) if grain == "week" else Column(Kind.MONTH, _("Month")),
    )

    st.header(_("By category, severity and manager"))
    tabs = st.tabs([_(tab_label) for *_rest, tab_label in GROUPS])
    for tab, (column, metric, options, label, _tab_label) in zip(tabs, GROUPS, strict=True):
        with tab:
            label = _(label)
            counts_by = named(dashboard.cached(metric, scope, **options))
            chart_with_table(
                figure(charts.sla_counts, counts_by, column, label),
                counts_by,
                GROUP_FILES[column],
            )

    st.header(_("Reply and resolution times by manager"))
    st.caption(
        _(
            "Time from opening, in hours or days as each column's header says; the median and the 90th percentile "
            "of the complaints replied to or resolved."
        )
    )
    table(times_by_manager, NF_("response-times-by-manager"), **columns.COMPLAINT_TIMES)

    st.header(_("Breaches opened in the period ({count})").format(count=number(breaches.height)))
    st.caption(
        _(
            "Complaints opened {start} to {end} whose first reply came after {hours} hours or has not come, open "
            "and closed. Click a column to sort."
        ).format(start=table_date(scope.start), end=table_date(scope.period_end), hours=sla_hours)
    )
    if breaches.is_empty():
        st.info(_("No breach in the period."))
    else:
        # The tier, the category and the time resolved in the CSV only, so that every column shows at 1366 px
        # beside a long account name (Open says which are resolved).
        table(
            breaches,
            NF_("breaches"),
            in_download_only=("tier", "category", "resolved_at"),
            **columns.COMPLAINT_LIST,
        )

st.header(_("{title} ({count})").format(title=_(still_open.title), count=number(open_breaches.height)))
st.caption(
    _(
        "Complaints past the {hours}-hour SLA and not resolved by the end of {as_of}, whenever opened, oldest first: "
        "the overview's list."
    ).format(hours=sla_hours, as_of=table_date(scope.as_of))
)
if open_breaches.is_empty():
    st.info(_("No complaint past the SLA is open at the end of {as_of}.").format(as_of=table_date(scope.as_of)))
else:
    table(
        open_breaches,
        still_open.download,
        in_download_only=overview.off_screen(still_open, overview.of_one_manager(dashboard.current_user().role, scope)),
        # Open at D whenever opened: named by that day, not by the period.
        file_name=at_as_of(still_open.download),
        **still_open.headers,
    )

st.header(_("Ageing of open complaints"))
st.caption(
    _(
        "Complaints not resolved by the end of {as_of}, whenever opened, by age: {count} in all, {breached} of them "
        "past the SLA."
    ).format(
        as_of=table_date(scope.as_of),
        count=number(ageing["complaints"].sum()),
        breached=number(open_breaches.height),
    )
)
if ageing.is_empty():
    st.info(_("No complaint open at the end of {as_of}.").format(as_of=table_date(scope.as_of)))
else:
    chart_with_table(
        figure(charts.ageing, ageing),
        ageing,
        NF_("open-ageing"),
        file_name=at_as_of(NF_("open-ageing")),
        complaints=_("Open complaints"),
    )

"""Visit compliance: who is covered, who is behind on the call plan, who is overdue, what follow-ups are due."""

import streamlit as st

from kam.i18n import N_, NF_, _
from kam.i18n.formats import table_date
from kam.metrics import managers, visits
from kam.present import charts, columns
from kam.present.columns import id_of
from kam.present.formatting import number
from kam.ui import dashboard
from kam.ui.widgets import account_table, at_as_of, chart_with_table, drill, figure, named, no_data

scope = dashboard.scope()
overdue = dashboard.cached(visits.overdue_accounts, scope)
attainment = named(dashboard.cached(visits.visit_attainment, scope, by="manager"))
weekly = dashboard.cached(visits.visits_by_week, scope)
followups = dashboard.cached(visits.followups_due, scope)

cadence = scope.policy.cadence_days

st.title(_("Visit compliance"))
st.caption(
    dashboard.with_data_date_note(
        _("As of {as_of} · period {start} to {end} · maximum days between visits: A {a}, B {b}, C {c}").format(
            as_of=dashboard.as_of_text(scope),
            start=table_date(scope.start),
            end=table_date(scope.period_end),
            a=cadence["A"],
            b=cadence["B"],
            c=cadence["C"],
        ),
        scope,
    )
)

st.header(_("Coverage"))
st.caption(_("Active accounts visited within their tier's cadence. Click a bar for the accounts behind it."))
# The metric's grouping, the column it comes back in, its label, the bar colours, the files of its table and of the
# accounts behind a bar.
GROUPS = [
    ("tier", "tier", N_("Tier"), N_("By tier"), "tier", NF_("coverage-by-tier"), NF_("accounts-tier")),
    ("region", "region", N_("Region"), N_("By region"), None, NF_("coverage-by-region"), NF_("accounts-region")),
    (
        "manager",
        "manager_id",
        N_("Manager"),
        N_("By manager"),
        None,
        NF_("coverage-by-manager"),
        NF_("accounts-manager"),
    ),
]
tabs = st.tabs([_(group[3]) for group in GROUPS])
for tab, (by, column, label, _tab_label, color, file, accounts_file) in zip(tabs, GROUPS, strict=True):
    label = _(label)
    with tab:
        coverage = named(dashboard.cached(visits.visit_coverage, scope, by=by))
        point = chart_with_table(
            figure(charts.share_by, coverage, column, "coverage", _("Visit coverage"), label, color=color),
            coverage,
            file,
            select=True,
            # Coverage at D: named by that day, not by the period.
            file_name=at_as_of(file),
            # Beside the chart at 1366 px: the covered are the accounts less the overdue, in the CSV.
            in_download_only=("covered",),
            **columns.SIDE_COUNTS,
        )
        if point:
            group = id_of(point[0]) if by == "manager" else point[0]
            drill(
                _("Active accounts, {group} {value}").format(group=charts.in_running_text(label), value=point[0]),
                dashboard.cached(managers.accounts_in_scope, scope.only(**{by: group})),
                accounts_file,
                detail=group,
                accounts=True,
            )

st.header(_("Call-plan attainment by manager"))
st.caption(
    _("Visits made in the period, up to the number planned from each account's cadence, over the visits planned.")
)
if no_plan := visits.no_plan_reason(scope):
    point = None
    st.info(no_plan)
else:
    point = chart_with_table(
        figure(charts.share_by, attainment, "manager_id", "attainment", _("Visit attainment"), _("Manager")),
        attainment,
        NF_("attainment-by-manager"),
        select=True,
    )
if point:
    drill(
        _("Active accounts of {manager}").format(manager=point[0]),
        dashboard.cached(managers.accounts_in_scope, scope.only(manager=id_of(point[0]))),
        NF_("accounts-manager"),
        detail=id_of(point[0]),
        accounts=True,
    )

st.header(_("Overdue accounts ({count})").format(count=number(overdue.height)))
if overdue.is_empty():
    no_data()
else:
    st.caption(_("Click a row to open the account."))
    # No tick boxes: a tick before an overdue account would read as visited.
    account_table(
        visits.as_read(
            overdue.select(
                "account_id",
                "name",
                "tier",
                "manager_id",
                "days_since_visit",
                "cadence",
                "days_overdue",
                "last_visit",
                "last_channel",
                "never_visited",
            )
        ),
        NF_("overdue-accounts"),
        file_name=at_as_of(NF_("overdue-accounts")),
        # The days overdue say it at 1366 px: the cadence is in the CSV.
        in_download_only=("cadence",),
        ticks=False,
    )

st.header(_("Visits per week"))
chart_with_table(figure(charts.visits_by_week, weekly), weekly, NF_("visits-by-week"))

st.header(_("Follow-ups due ({count})").format(count=number(followups.height)))
st.caption(_("Next steps whose date has come, with no later visit to the account."))
if followups.is_empty():
    no_data()
else:
    st.caption(_("Click a row to open the account."))
    # No tick boxes: a tick before a follow-up would read as done.
    account_table(
        followups,
        NF_("followups-due"),
        file_name=at_as_of(NF_("followups-due")),
        ticks=False,
        visit_date=_("Visited"),
        next_date=_("Due"),
    )

"""Visit compliance: who is covered, who is behind on the call plan, who is overdue, what follow-ups are due."""

import streamlit as st

from kam.metrics import managers, visits
from kam.present import charts
from kam.present.columns import id_of
from kam.ui import dashboard
from kam.ui.widgets import NO_DATA, chart_with_table, drill, named, table

scope = dashboard.scope()
overdue = dashboard.cached(visits.overdue_accounts, scope)
attainment = named(dashboard.cached(visits.visit_attainment, scope, by="manager"))
weekly = dashboard.cached(visits.visits_by_week, scope)
followups = dashboard.cached(visits.followups_due, scope)

cadence = scope.policy.cadence_days

st.title("Visit compliance")
st.caption(
    f"As of {scope.as_of:%Y-%m-%d} · period {scope.start:%Y-%m-%d} to {scope.period_end:%Y-%m-%d} · "
    f"maximum days between visits: A {cadence['A']}, B {cadence['B']}, C {cadence['C']}"
)

st.header("Coverage")
st.caption("Active accounts visited within their tier's cadence. Click a bar for the accounts behind it.")
# The metric's grouping, the column it comes back in, its label, the bar colours.
GROUPS = [
    ("tier", "tier", "Tier", "tier"),
    ("region", "region", "Region", None),
    ("manager", "manager_id", "Manager", None),
]
tabs = st.tabs([f"By {label.lower()}" for _, _, label, _ in GROUPS])
for tab, (by, column, label, color) in zip(tabs, GROUPS, strict=True):
    with tab:
        coverage = named(dashboard.cached(visits.visit_coverage, scope, by=by))
        point = chart_with_table(
            charts.share_by(coverage, column, "coverage", "Visit coverage", label, color=color),
            coverage,
            f"coverage-by-{by}",
            select=True,
        )
        if point:
            group = id_of(point[0]) if by == "manager" else point[0]
            drill(
                f"Active accounts, {label.lower()} {point[0]}",
                dashboard.cached(managers.accounts_in_scope, scope.only(**{by: group})),
                f"accounts-{by}-{group}",
            )

st.header("Call-plan attainment by manager")
st.caption("Visits made in the period, up to the number planned from each account's cadence, over the visits planned.")
point = chart_with_table(
    charts.share_by(attainment, "manager_id", "attainment", "Visit attainment", "Manager"),
    attainment,
    "attainment-by-manager",
    select=True,
)
if point:
    drill(
        f"Active accounts of {point[0]}",
        dashboard.cached(managers.accounts_in_scope, scope.only(manager=id_of(point[0]))),
        f"accounts-manager-{id_of(point[0])}",
    )

st.header(f"Overdue accounts ({overdue.height})")
if overdue.is_empty():
    st.info(NO_DATA)
else:
    table(
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
        "overdue-accounts",
    )

st.header("Visits per week")
chart_with_table(charts.visits_by_week(weekly), weekly, "visits-by-week")

st.header(f"Follow-ups due ({followups.height})")
st.caption("Next steps whose date has come, with no later visit to the account.")
if followups.is_empty():
    st.info(NO_DATA)
else:
    table(
        followups,
        "followups-due",
        visit_date="Visited",
        next_date="Due",
    )

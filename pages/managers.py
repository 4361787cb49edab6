"""Managers: every manager's scorecard against target, a ranking, and one manager's accounts."""

import streamlit as st

from kam import charts, dashboard
from kam.metrics import accounts, managers
from kam.widgets import NO_DATA, chart_with_table, judged_table, table

scope = dashboard.scope()
card = dashboard.cached(managers.scorecard, scope)
figures = accounts.scorecard_figures(scope.policy)

LABELS = {
    "manager_id": "Manager",
    "name": "Name",
    "region": "Region",
    "active": "Active",
    "active_accounts": "Accounts",
    "accounts_a": "A",
    "accounts_b": "B",
    "accounts_c": "C",
    "target": "Target to date",
    "overdue": "Overdue",
    "sla_breached": "SLA breaches",
    "churned": "Churned",
} | {f.column: f.label for f in figures.values()}
FORMATS = {
    "revenue": "¥{:,.0f}",
    "target": "¥{:,.0f}",
    "satisfaction_mean": "{:.2f}",
} | {f.column: "{:.1%}" for f in figures.values() if f.share}

st.title("Managers")
st.caption(
    f"Period {scope.start:%Y-%m-%d} to {scope.period_end:%Y-%m-%d}, accounts as of {scope.as_of:%Y-%m-%d} · "
    "green at or above target, red below"
)

if card.is_empty():
    st.info(NO_DATA)
    st.stop()

judged_table(
    card,
    "manager-scorecard",
    targets={f.column: f.target for f in figures.values() if f.target is not None},
    formats=FORMATS,
    labels=LABELS,
)

st.header("Ranking")
measure = st.selectbox("Rank by", list(figures), format_func=lambda c: figures[c].label, key="rank_by")
chosen = figures[measure]
ranked = accounts.rank_managers(card, measure, scope.policy)
chart_with_table(
    charts.ranking_of(ranked, measure, chosen.label, chosen.target, chosen.share),
    ranked,
    "manager-ranking",
    manager_id="Manager",
    name="Name",
    region="Region",
    **{measure: st.column_config.NumberColumn(chosen.label, format="percent" if chosen.share else "%.2f")},
)

st.header("A manager's accounts")
names = dict(zip(card["manager_id"], card["name"], strict=True))
manager = st.selectbox("Manager", list(names), format_func=lambda m: f"{names[m]} ({m})", key="scorecard_manager")
own = dashboard.cached(accounts.manager_accounts, scope, manager_id=manager)
if own.is_empty():
    st.info(f"{names[manager]} has no active account for these filters.")
else:
    table(
        own,
        f"accounts-of-{manager}",
        account_id="Account",
        name="Name",
        tier="Tier",
        region="Region",
        last_visit=st.column_config.DateColumn("Last visit"),
        last_channel="Last channel",
        days_since_visit="Days since visit",
        cadence="Cadence (days)",
        days_overdue="Days overdue",
        overdue="Overdue",
        revenue=st.column_config.NumberColumn("Revenue in the period", format="yen"),
    )

"""The weekly meeting: headline figures and each manager's line."""

import streamlit as st

from kam.formatting import money, number, percent
from kam.snapshot import kpi_snapshot

scope = st.session_state["scope"]
snap = kpi_snapshot(st.session_state["con"], scope)

st.title("Key accounts")
st.caption(f"As of {scope.as_of:%Y-%m-%d} · period {scope.start:%Y-%m-%d} to {scope.period_end:%Y-%m-%d}")

active = snap["active_accounts"]
sla = snap["complaint_sla"]
csat = snap["satisfaction"]
cards = st.columns(4)
cards[0].metric("Active accounts", number(active["total"]), help=f"A {active['A']} · B {active['B']} · C {active['C']}")
cards[1].metric("Visit coverage", percent(snap["visit_coverage"]["total"]), help="Active accounts not overdue")
cards[2].metric("Visit attainment", percent(snap["visit_attainment"]), help="Visits against the call plan")
cards[3].metric("Overdue accounts", number(snap["overdue_accounts"]))
cards = st.columns(4)
cards[0].metric(
    "Complaint SLA met", percent(sla["met_pct"]), help=f"{sla['breached']} breached, {sla['pending']} pending"
)
cards[1].metric(
    "Satisfaction", number(csat["mean"], 2), help=f"CSAT {percent(csat['csat_pct'])} of {csat['responses']}"
)
cards[2].metric(
    "Revenue", money(snap["revenue"]["period"]), help=f"Attainment {percent(snap['revenue']['attainment'])}"
)
cards[3].metric("Churn rate", percent(snap["churn_rate"]))

st.subheader("Managers")
st.dataframe(snap["managers"], hide_index=True)

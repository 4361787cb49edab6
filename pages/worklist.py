"""My worklist: the manager's accounts overdue or due for a visit within a week, and follow-ups that have come."""

import streamlit as st

from kam.metrics import visits, worklist
from kam.ui import dashboard
from kam.ui.widgets import table

dashboard.require_role("manager")
scope = dashboard.today_scope()
due = dashboard.cached(worklist.worklist, scope)
followups = dashboard.cached(visits.followups_due, scope)

st.title("My worklist")
st.caption(f"Today, {scope.as_of:%Y-%m-%d}, with every visit you have logged: tier A first, most overdue first.")

st.header(f"Due for a visit ({due.height})")
if due.is_empty():
    st.success("No account is overdue or due within a week.", icon=":material/task_alt:")
else:
    labels = worklist.labels(due)
    chosen = st.selectbox("Log a visit to", list(labels), format_func=labels.get, key="worklist_account")
    if st.button("Log a visit", type="primary", width="stretch", icon=":material/edit_note:"):
        st.switch_page(dashboard.page_file("log_visit"), query_params={"account": chosen})
    table(
        visits.as_read(
            due.select(
                "account_id", "name", "tier", "days_since_visit", "cadence", "due_date", "days_overdue", "never_visited"
            )
        ),
        "my-worklist",
        account_id="Account",
        name="Name",
        tier="Tier",
        days_since_visit="Days since visit",
        cadence="Cadence (days)",
        due_date=st.column_config.DateColumn("Due"),
        days_overdue=st.column_config.NumberColumn("Days overdue", help="Negative: days left"),
    )

st.header(f"Follow-ups due ({followups.height})")
if followups.is_empty():
    st.write("No follow-up has come due.")
else:
    table(
        followups,
        "my-followups",
        account_id="Account",
        manager_id="Manager",
        visit_date=st.column_config.DateColumn("Visited"),
        next_step="Next step",
        next_date=st.column_config.DateColumn("Due"),
        days_late="Days late",
    )

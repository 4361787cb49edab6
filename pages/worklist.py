"""My worklist: the manager's accounts overdue or due for a visit within a week, and follow-ups that have come."""

import streamlit as st

from kam import dashboard
from kam.metrics import visits, worklist
from kam.widgets import table

dashboard.require_role("manager")
scope = dashboard.scope()
due = dashboard.cached(worklist.worklist, scope)
followups = dashboard.cached(visits.followups_due, scope)

st.title("My worklist")
st.caption(f"As of {scope.as_of:%Y-%m-%d}: overdue first, then due within 7 days. Pick a row to log a visit.")

if due.is_empty():
    st.success("No account is overdue or due within a week.", icon=":material/task_alt:")
else:
    picked = st.dataframe(
        due.select("account_id", "name", "tier", "days_since_visit", "cadence", "due_date", "days_overdue"),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="worklist_pick",
        column_config={
            "account_id": "Account",
            "name": "Name",
            "tier": "Tier",
            "days_since_visit": "Days since visit",
            "cadence": "Cadence (days)",
            "due_date": st.column_config.DateColumn("Due"),
            "days_overdue": st.column_config.NumberColumn("Days overdue", help="Negative: days left"),
        },
    )
    rows = picked.selection.rows
    chosen = due["account_id"][rows[0]] if rows else None
    if st.button(
        f"Log a visit to {due['name'][rows[0]]}" if rows else "Pick an account above to log a visit",
        disabled=chosen is None,
        type="primary",
        width="stretch",
        icon=":material/edit_note:",
    ):
        st.switch_page(dashboard.page_file("log_visit"), query_params={"account": chosen})

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

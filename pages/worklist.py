"""My worklist: the manager's accounts overdue or due for a visit within a week, and follow-ups that have come."""

import streamlit as st

from kam.i18n import NF_, _
from kam.metrics import attention, visits, worklist
from kam.present import columns
from kam.present.formatting import number
from kam.ui import dashboard
from kam.ui.widgets import account_table, only, table

dashboard.require_role("manager")
scope = dashboard.today_scope()
# The lists are of today, not of the sidebar's period: their files are named by the day.
today = f"{scope.as_of:%Y-%m-%d}"
due = dashboard.cached(worklist.worklist, scope)
followups = dashboard.cached(visits.followups_due, scope)

st.title(_("My worklist"))
# The other pages count to the figures' date, the end of the sidebar's period: said where it is another day.
st.caption(worklist.counted_to(scope.as_of, dashboard.scope().as_of))

st.header(_("Due for a visit ({count})").format(count=number(due.height)))
if due.is_empty():
    st.success(_("No account is overdue or due within a week."), icon=":material/task_alt:")
else:
    labels = worklist.labels(due)
    chosen = st.selectbox(_("Log a visit to"), list(labels), format_func=labels.get, key="worklist_account")
    # As wide as its text, at the left: the table's toolbar, shown above the table's top right corner (always,
    # on a touch screen), never covers it.
    if st.button(_("Log a visit"), type="primary", icon=":material/edit_note:"):
        st.switch_page(dashboard.page_file("log_visit"), query_params={"account": chosen})
    # The account (its id and name in one column), how late or how soon in words and the due date first, whole
    # within a phone's width in rows of three lines (columns.WORKLIST); the days overdue as a number in the
    # download. A tap on a row opens that account's view.
    st.caption(_("Click a row to open the account."))
    account_table(
        worklist.listed(due),
        NF_("my-worklist"),
        by_filters=False,
        detail=today,
        in_download_only=("days_overdue",),
        ticks=False,
        wrapped=True,
        **columns.WORKLIST,
        tier=_("Tier"),
        days_since_visit=_("Days since visit"),
        cadence=_("Cadence (days)"),
    )

st.header(_("Follow-ups due ({count})").format(count=number(followups.height)))
if followups.is_empty():
    st.write(_("No follow-up has come due."))
else:
    # The account, when the step was due and the step first, within a phone's width (columns.FOLLOW_UPS); the
    # manager, the same on every row of one manager's list, only in the download (on a phone it took the second
    # column), as on the overview's lists.
    table(
        only(
            followups,
            "account_id",
            "name",
            "next_date",
            "next_step",
            "days_late",
            "visit_date",
            "channel",
            "tier",
            "manager_id",
        ),
        NF_("my-followups"),
        by_filters=False,
        detail=today,
        in_download_only=("manager_id",),
        wrapped=True,
        **columns.FOLLOW_UPS,
        manager_id=_("Manager"),
        days_late=_("Days late"),
    )

actions = dashboard.cached(attention.overdue_plan_actions, scope)
st.header(_("Overdue plan actions ({count})").format(count=number(actions.height)))
if actions.is_empty():
    st.write(_("No plan action is overdue."))
else:
    # As the follow-ups: the account, the day the action was due and the action first; the manager in the download.
    table(
        only(actions, "account_id", "name", "due_on", "description", "owner", "days_overdue", "manager_id"),
        NF_("my-overdue-plan-actions"),
        by_filters=False,
        detail=today,
        in_download_only=("manager_id",),
        wrapped=True,
        manager_id=_("Manager"),
        **columns.MY_PLAN_ACTIONS,
        days_overdue=_("Days overdue"),
    )
    st.page_link(dashboard.page_file("plans"), label=_("Open the account plans"), icon=":material/flag:")

"""Account plans: per key account and year, objectives, strategy, actions, status; progress against the goal."""

import streamlit as st

from kam.i18n import NF_, _
from kam.i18n.formats import DATE_FIELD
from kam.metrics.filters import account_file_name
from kam.present import columns
from kam.present.formatting import MISSING, beside_id, money, money_short
from kam.present.text import markdown_text as md
from kam.relations import plans
from kam.relations.rules import ACTION_STATUS_LABELS, NotAllowed
from kam.ui import dashboard
from kam.ui import relations_forms as form
from kam.ui.widgets import bring_first_error_into_view, confirmation_box, table, tell_refusal

# The containers of a save's confirmation: a plan's under the caption naming who saved it, an action's (added or
# ticked) over the actions listed.
PLAN_SAVED, ACTION_SAVED = "plan-saved", "action-saved"

user = dashboard.require_role("manager", "vp")
scope = dashboard.scope()
con = dashboard.connection()


def field_error(field: str, where: str = "plan") -> None:
    """The message at a field of the form `where` (plan, action) after its save was refused."""
    if form.refused_form() == where and (message := form.error(field)):
        st.error(message, icon=":material/error:")


st.title(_("Account plans"))
year = st.selectbox(_("Year"), [scope.as_of.year + 1, scope.as_of.year, scope.as_of.year - 1], index=1, key="plan_year")
accounts = plans.plan_accounts(con, user, scope.as_of)
labels = dict(zip(accounts["account_id"], accounts["label"], strict=True))
# Opened by a link, on its account; else on the account last looked at (the account view's, coming from it) when it is
# one to plan for, the list's first otherwise. After that the picker is the user's.
if "plan_account" not in st.session_state:
    linked, shown = st.query_params.get("account"), st.session_state.get(dashboard.ACCOUNT_SHOWN)
    if linked or shown in labels:
        st.session_state["plan_account"] = linked or shown
account_id = st.selectbox(
    _("Account"),
    # An account asked for that is not on the list still reaches the check below, which refuses it.
    list(labels) + ([asked] if (asked := st.session_state.get("plan_account")) and asked not in labels else []),
    format_func=lambda a: labels.get(a, a or MISSING),
    key="plan_account",
)
# On a phone a form's button is a screen below what it saved: a save is confirmed once, in a box beside what it saved,
# the page brought to it (a toast said it again); a refusal is told under the form's button, where the thumb is (a
# toast covered the title), its messages at the fields, the page brought to the first of them.
saved = form.take_confirmation()
told = form.take_refusal()
if not account_id:
    st.info(_("No account to plan for."))
    st.stop()
try:
    plan = plans.plan_for(con, user, account_id, year)
except NotAllowed as refused:
    st.error(str(refused), icon=":material/block:")
    st.stop()
dashboard.show_account(account_id)
form.open_plan(account_id, year, plan)

if plan:
    st.caption(
        _("Status: {status} · version {version} · last saved by {who}").format(
            status=plans.status_label(plan["status"]),
            version=plan["version"],
            who=md(plans.person(con, plan["updated_by"])),
        )
    )
else:
    # The actions' form comes with the saved plan: said here, so that no one looks for it on a new plan.
    st.caption(_("No plan for this account and year yet: write one below. Once it is saved, its actions can be added."))
if saved and saved.form == "plan":
    confirmation_box(PLAN_SAVED, saved.message)
field_error("form")
if newer := st.session_state.get(form.PLAN_NEWER):
    with st.container(border=True):
        st.markdown("**" + _("The plan as saved now (version {version})").format(version=newer["version"]) + "**")
        st.text(_("Objectives") + ": " + (newer.get("objectives") or MISSING))  # text: shown as typed
        st.text(_("Revenue goal") + ": " + money(newer.get("revenue_goal")))
        st.text(_("Strategy") + ": " + (newer.get("strategy") or MISSING))
        st.text(_("Resources needed") + ": " + (newer.get("resources") or MISSING))
        st.caption(_("What you typed is still in the form below."))
        st.button(_("Load the newer version into the form"), on_click=form.take_newer, width="stretch")

editable = plan is None or plan["status"] in plans.EDITABLE
sponsor_names = plans.sponsors(con)
# A sponsor no longer among them (an admin account chosen before, a user gone) stays shown until replaced.
if (chosen := st.session_state.get("plan_sponsor")) and chosen not in sponsor_names:
    sponsor_names[chosen] = plans.person(con, chosen)
with st.form("plan", enter_to_submit=False):
    st.text_area(_("Objectives"), key="plan_objectives", disabled=not editable)
    field_error("objectives")
    # No min_value: the browser would refuse a negative goal with its own English tooltip and no save; the plan's
    # rules refuse it at the field, in the user's language, keeping what was typed. No decimals: a goal is in whole
    # yuan, and the field can write no grouping (nor 万, which the browser drops): the saved plan's goal as money
    # reads is under it (a form's field tells the page nothing until it is sent).
    st.number_input(
        _("Revenue goal (¥)"),
        step=10000.0,
        format="%.0f",
        key="plan_revenue_goal",
        disabled=not editable,
        help=_("In whole yuan, digits only: 1200000 for ¥1.2M."),
    )
    if plan and plan["revenue_goal"] is not None:
        st.caption(
            _("Goal in the saved plan: {amount} ({short})").format(
                amount=money(plan["revenue_goal"]), short=money_short(plan["revenue_goal"])
            )
        )
    field_error("revenue_goal")
    st.text_area(_("Strategy"), key="plan_strategy", disabled=not editable)
    field_error("strategy")
    st.text_area(_("Resources needed"), key="plan_resources", disabled=not editable)
    field_error("resources")
    st.selectbox(
        _("Executive sponsor"),
        list(sponsor_names),
        format_func=lambda u: beside_id(sponsor_names.get(u, u), u),
        key="plan_sponsor",
        placeholder=_("Choose…"),
        disabled=not editable,
    )
    field_error("sponsor")
    st.form_submit_button(
        _("Save the plan"),
        on_click=form.save_plan,
        args=(user,),
        type="primary",
        width="stretch",
        disabled=not editable,
    )
    if told and form.refused_form() == "plan":
        tell_refusal()

if plan:
    # A move's refusal or confirmation shows here, where the user clicked, above the moves from the status now.
    with st.container(key="plan-moves"):
        if refusal := form.move_error():
            st.error(refusal, icon=":material/block:")
        if moved := form.take_moved():
            st.success(moved, icon=":material/check_circle:")
        moves = plans.next_statuses(user, plan["status"])
        for status in moves:
            st.button(
                _("Move to {status}").format(status=plans.status_label(status)),
                on_click=form.move_plan,
                args=(user, plan["plan_id"], status, plan["version"]),
                key=f"move-{status}",
                width="stretch",
            )
        if not moves:
            st.caption(_("No move from {status} is open to you.").format(status=plans.status_label(plan["status"])))

    st.header(_("Actions"))
    field_error(form.TICK, "tick")
    if saved and saved.form == "action":
        # To the top of the screen, the actions under it.
        confirmation_box(ACTION_SAVED, saved.message, block="start")
    listed = plans.actions(con, user, plan["plan_id"])
    for action in listed.iter_rows(named=True):
        key = f"action_done_{action['action_id']}"
        st.session_state[key] = action["status"] == "done"
        st.checkbox(
            md(plans.action_line(action, scope.as_of)),
            key=key,
            on_change=form.tick_action,
            args=(user, action["action_id"], key, action["status"]),
            disabled=action["status"] == "dropped",
            help=_(ACTION_STATUS_LABELS[action["status"]]),
        )
    st.session_state.setdefault("action_due_on", None)
    with st.form("action", enter_to_submit=False):
        st.text_input(_("New action"), key="action_description")
        field_error("description", "action")
        st.text_input(_("Owner"), key="action_owner")
        field_error("owner", "action")
        st.date_input(_("Due on"), key="action_due_on", format=DATE_FIELD)
        field_error("due_on", "action")
        field_error("form", "action")
        st.form_submit_button(
            _("Add the action"), on_click=form.add_action, args=(user, plan["plan_id"]), width="stretch"
        )
        if told and form.refused_form() == "action":
            tell_refusal()

    with st.expander(_("Status history")):
        table(
            plans.status_history(con, user, plan["plan_id"]),
            NF_("plan-status"),
            detail=str(plan["plan_id"]),
            # Named by the account and the year of the plan, as the page names it (the plan's id says neither).
            file_name=account_file_name(
                NF_("plan-status"),
                "csv",
                account_id,
                dict(zip(accounts["account_id"], accounts["name"], strict=True)).get(account_id),
                str(year),
            ),
        )

st.header(_("Progress of the year's plans"))
progress = plans.plans_progress(con, user, year, scope.as_of)
if progress.is_empty():
    st.info(_("No plan for this year yet."))
else:
    table(
        progress.select(
            "account_id", "name", "status", "revenue_goal", "revenue", "goal_share", "actions_done", "actions_overdue"
        ),
        NF_("account-plans"),
        by_filters=False,
        detail=str(year),
        **columns.PLAN_PROGRESS,
    )
    st.caption(_("Revenue so far: orders of {year} up to {day}.").format(year=year, day=scope.as_of.isoformat()))

# Last: the first of the run's messages in red.
if told:
    bring_first_error_into_view()

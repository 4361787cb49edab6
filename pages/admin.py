"""Admin: load new exports, see what every load did, manage users, read the audit log."""

import streamlit as st

from kam.config import settings
from kam.ingest import loader, uploads
from kam.jobs import briefs
from kam.metrics import catalog
from kam.people import users
from kam.people.users import ROLES, UserError
from kam.present.text import markdown_text as md
from kam.store import audit
from kam.ui import dashboard
from kam.ui.widgets import download, table
from kam.visits import export as visit_export

user = dashboard.require_role("admin")
con = dashboard.connection()
policy = settings()

st.title("Admin")
loads, people, mailing, log, visits = st.tabs(
    ["Load exports", "Users", "Weekly brief by mail", "Audit log", "Visits entered in the app"]
)

with loads:
    st.caption(
        f"CSV or Parquet files named after their table (accounts.csv, orders_2026.parquet, …), "
        f"up to {policy.upload_max_mb} MB per file. A load replaces every export table at once; a file that "
        "cannot be read leaves the data as it was. Visits entered in the app are never touched."
    )
    if demo_users := users.active_demo_users(con):
        st.warning(
            f"Loading exports retires the demo users: {', '.join(md(u) for u in demo_users)}. "
            "They can no longer sign in; every other user, you included, stays signed in."
            + (" You are a demo user: sign in as a real admin to load." if user.username in demo_users else ""),
            icon=":material/warning:",
        )
    files = st.file_uploader(
        "Export files", type=["csv", "parquet"], accept_multiple_files=True, max_upload_size=policy.upload_max_mb
    )
    left, right = st.columns(2)
    source, force, report = None, False, None
    if left.button("Load the uploaded files", type="primary", disabled=not files, width="stretch"):
        source = "upload"
    if right.button(f"Load the folder {policy.import_dir}", width="stretch"):
        source = "folder"
    # A load refused for the rows it would lose waits for the admin to confirm it.
    if source is None and (refused := st.session_state.get("load_refused")):
        question = st.empty()
        with question.container():
            st.warning(refused["message"], icon=":material/warning:")
            confirmed = st.button("Load anyway", type="primary")
        if confirmed:
            source, force = refused["source"], True
            question.empty()
    if source is not None:
        st.session_state.pop("load_refused", None)
        with st.status("Loading the exports: reading, checking, replacing the tables…") as progress:
            try:
                if source == "upload":
                    report = uploads.load_uploads(con, files, user, force=force)
                else:
                    report = uploads.load_import_folder(con, user, force=force)
            except loader.LoadRefused as failed:
                progress.update(label="Nothing was loaded", state="error")
                if failed.forceable:
                    losses = "\n".join(f"- {loss.describe()}" for loss in failed.losses)
                    message = (
                        f"Nothing was loaded yet. This load would lose more than {policy.max_row_loss:.0%} "
                        f"of the rows of:\n\n{losses}\n\nLoad anyway?"
                    )
                    st.session_state["load_refused"] = {"source": source, "message": message}
                    st.rerun()
                st.error(f"Nothing was loaded: {md(failed)}", icon=":material/error:")
            except loader.LoadError as failed:
                progress.update(label="Nothing was loaded", state="error")
                st.error(f"Nothing was loaded: {md(failed)}", icon=":material/error:")
            else:
                progress.update(label=f"Load {report.load_id} done", state="complete")
    if report is not None:
        dashboard.refresh_version()
        st.success(f"Load {report.load_id} done: {report.rows_rejected:,} rows rejected.", icon=":material/done:")
        st.code(report.summary(), language=None)
    history = loader.history(con)
    st.subheader("Load history")
    table(
        history,
        "load-history",
        by_filters=False,
        loaded_at=st.column_config.DatetimeColumn("Loaded", format="YYYY-MM-DD HH:mm"),
    )
    if not history.is_empty():
        load_id = st.selectbox("Rejected rows of load", history["load_id"].to_list())
        table(loader.rejects_of(con, load_id), f"rejects-{load_id}", by_filters=False)

with people:
    if notice := st.session_state.pop("admin_notice", None):
        st.success(notice, icon=":material/done:")
    everyone = users.users(con)
    table(everyone, "users", by_filters=False)
    exported = catalog.managers(con)
    manager_names = dict(zip(exported["manager_id"], exported["name"], strict=True))

    def manager_label(manager_id: str | None) -> str:
        return "–" if manager_id is None else f"{manager_names.get(manager_id, 'not in the exports')} ({manager_id})"

    st.subheader("Add a user")
    NEW_USER = {"add_username": "", "add_name": "", "add_role": "manager", "add_manager": None, "add_email": ""}
    NEW_USER |= {"add_password": ""}

    def add_user() -> None:
        state = st.session_state
        try:
            users.add_user(
                con,
                state["add_username"],
                state["add_name"],
                state["add_role"],
                state["add_password"],
                state["add_manager"],
                state["add_email"],
                user.username,
            )
        except UserError as refused:
            state["add_user_error"] = md(refused)
        else:
            state["admin_notice"] = f"{md(state['add_username'].strip().lower())} added."
            # An empty form for the next user: no one-time password left in it.
            for key, empty in NEW_USER.items():
                state[key] = empty

    if refused := st.session_state.pop("add_user_error", None):
        st.error(refused, icon=":material/error:")
    with st.form("add_user"):
        st.text_input("User name", key="add_username")
        st.text_input("Full name", key="add_name")
        st.selectbox("Role", ROLES, index=ROLES.index("manager"), key="add_role")
        st.selectbox(
            "Manager of the exports (for a manager)",
            [None, *manager_names],
            format_func=manager_label,
            key="add_manager",
        )
        st.text_input("E-mail (for single sign-on)", key="add_email")
        st.text_input(
            "One-time password",
            type="password",
            key="add_password",
            help=f"At least {users.MIN_PASSWORD} characters, not digits only, not a common password. "
            "They choose their own when first in.",
        )
        st.form_submit_button("Add", on_click=add_user)

    st.subheader("Change a user")
    chosen = st.selectbox("User", everyone["username"].to_list(), key="admin_user")
    if chosen is not None:
        current = everyone.filter(username=chosen).row(0, named=True)
        links = [None, *manager_names]
        if current["manager_id"] is not None and current["manager_id"] not in manager_names:
            links.append(current["manager_id"])
        # Keyed by the user, so that the form shows the chosen user's current values.
        with st.form("change_user"):
            new_role = st.selectbox("Role", ROLES, index=ROLES.index(current["role"]), key=f"admin_role_{chosen}")
            new_manager = st.selectbox(
                "Manager of the exports (for a manager)",
                links,
                index=links.index(current["manager_id"]),
                format_func=manager_label,
                key=f"admin_manager_{chosen}",
            )
            new_email = st.text_input(
                "E-mail (for single sign-on)", current["email"] or "", key=f"admin_email_{chosen}"
            )
            active = st.checkbox("May sign in", value=current["active"], key=f"admin_active_{chosen}")
            if st.form_submit_button("Save"):
                try:
                    one_time = users.update_user(con, chosen, user.username, new_role, new_manager, active, new_email)
                except UserError as refused:
                    st.error(md(refused), icon=":material/error:")
                else:
                    # A retired demo user let in again gets a new password: its published one is no secret.
                    extra = f" One-time password: `{one_time}` (hand it over in person)." if one_time else ""
                    st.session_state["admin_notice"] = f"{md(chosen)} changed.{extra}"
                    st.rerun()
        if current["locked_until"] is not None and st.button(f"Unlock {chosen}", key="admin_unlock"):
            users.unlock(con, chosen, user.username)
            st.session_state["admin_notice"] = f"{md(chosen)} unlocked."
            st.rerun()
        if st.button(f"Reset {chosen}'s password", help="Also lifts a lock-out"):
            one_time = users.reset_password(con, chosen, user)
            st.info(f"One-time password for {md(chosen)}: `{one_time}`. Hand it over in person.", icon=":material/key:")

with mailing:
    if notice := st.session_state.pop("brief_notice", None):
        st.success(notice, icon=":material/done:")
    st.caption(
        f"Each recipient gets the brief of the last full week by mail, a manager only their own accounts, "
        f"through the mail server {policy.smtp_host or '(not configured: smtp_host in kam.toml)'}. "
        "Only active users with an e-mail can be picked. Each sending is in the audit log."
    )
    plan = briefs.schedule(con)
    choices = briefs.recipients(con)
    with st.form("brief_schedule"):
        picked = st.multiselect(
            "Recipients",
            list(choices),
            default=[name for name in (plan.recipients if plan else ()) if name in choices],
            format_func=lambda name: f"{name}: {choices[name]}",
        )
        left, right = st.columns(2)
        weekday = left.selectbox(
            "Weekday", range(7), index=plan.weekday if plan else 0, format_func=lambda day: briefs.WEEKDAYS[day]
        )
        hour = right.selectbox("Hour", range(24), index=plan.hour if plan else 8, format_func=lambda h: f"{h:02d}:00")
        active = st.checkbox("Send", value=plan.active if plan else True)
        if st.form_submit_button("Save the schedule"):
            try:
                briefs.save_schedule(con, picked, weekday, hour, active, user.username)
            except briefs.ScheduleError as refused:
                st.error(str(refused), icon=":material/error:")
            else:
                st.session_state["brief_notice"] = "Schedule saved."
                st.rerun()
    if plan is not None and plan.last_sent_at is not None:
        st.write(f"Last sent for {plan.last_sent_at:%Y-%m-%d %H:%M}.")

with log:
    table(audit.events(con), "audit-log", by_filters=False, happened_at=st.column_config.DatetimeColumn("When"))

with visits:
    st.caption("Visits entered in the app, in the export format of the visits table, for the CRM.")
    exported = visit_export.export_app_visits(con)
    st.write(f"{exported.height:,} visit{'' if exported.height == 1 else 's'} entered in the app.")
    download(exported, "visits-entered-in-the-app", by_filters=False)
    st.download_button(
        "Download Parquet",
        visit_export.app_visits_parquet(con),
        file_name="visits-entered-in-the-app.parquet",
        icon=":material/download:",
    )

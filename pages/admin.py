"""Admin: load new exports, see what every load did, manage users, read the audit log."""

import streamlit as st

from kam import admin, audit, dashboard, loader, users, visit_log
from kam.config import settings
from kam.users import ROLES, UserError
from kam.widgets import download, table

user = dashboard.require_role("admin")
con = dashboard.connection()
policy = settings()

st.title("Admin")
loads, people, log, visits = st.tabs(["Load exports", "Users", "Audit log", "Visits entered in the app"])

with loads:
    st.caption(
        f"CSV or Parquet files named after their table (accounts.csv, orders_2026.parquet, …), "
        f"up to {policy.upload_max_mb} MB in all. A load replaces every export table at once; a file that "
        "cannot be read leaves the data as it was. Visits entered in the app are never touched."
    )
    uploads = st.file_uploader("Export files", type=["csv", "parquet"], accept_multiple_files=True)
    left, right = st.columns(2)
    report = None
    try:
        if left.button("Load the uploaded files", type="primary", disabled=not uploads, width="stretch"):
            report = admin.load_uploads(con, uploads, user)
        if right.button(f"Load the folder {policy.import_dir}", width="stretch"):
            report = admin.load_import_folder(con, user)
    except loader.LoadError as failed:
        st.error(f"Nothing was loaded: {failed}", icon=":material/error:")
    if report is not None:
        dashboard.refresh_version()
        st.success(f"Load {report.load_id} done: {report.rows_rejected:,} rows rejected.", icon=":material/done:")
        st.code(report.summary(), language=None)
    history = loader.history(con)
    st.subheader("Load history")
    table(history, "load-history", loaded_at=st.column_config.DatetimeColumn("Loaded", format="YYYY-MM-DD HH:mm"))
    if not history.is_empty():
        load_id = st.selectbox("Rejected rows of load", history["load_id"].to_list())
        table(loader.rejects_of(con, load_id), f"rejects-{load_id}")

with people:
    table(users.users(con), "users")
    st.subheader("Add a user")
    with st.form("add_user", clear_on_submit=False):
        username = st.text_input("User name")
        name = st.text_input("Full name")
        role = st.selectbox("Role", ROLES)
        manager_id = st.text_input("Manager id (for a manager)", help="The manager_id of the exports")
        email = st.text_input("E-mail (for single sign-on)")
        password = st.text_input("One-time password", type="password", help="They choose their own when first in")
        if st.form_submit_button("Add"):
            try:
                users.add_user(con, username, name, role, password, manager_id or None, email or None, user.username)
                st.success(f"{username} added.")
            except UserError as refused:
                st.error(str(refused))
    st.subheader("Change a user")
    known = users.users(con)["username"].to_list()
    chosen = st.selectbox("User", known, key="admin_user")
    with st.form("change_user"):
        new_role = st.selectbox("Role", ROLES, key="admin_role")
        new_manager = st.text_input("Manager id", key="admin_manager")
        active = st.checkbox("May sign in", value=True, key="admin_active")
        if st.form_submit_button("Save"):
            try:
                users.update_user(con, chosen, user.username, new_role, new_manager or None, active)
                st.success(f"{chosen} changed.")
            except UserError as refused:
                st.error(str(refused))
    if st.button(f"Reset {chosen}'s password"):
        st.info(f"One-time password for {chosen}: `{admin.reset_password(con, chosen, user)}`. Hand it over in person.")

with log:
    table(audit.events(con), "audit-log", happened_at=st.column_config.DatetimeColumn("When"))

with visits:
    st.caption("Visits entered in the app, in the export format of the visits table, for the CRM.")
    exported = visit_log.export_app_visits(con)
    st.write(f"{exported.height:,} visit{'' if exported.height == 1 else 's'} entered in the app.")
    download(exported, "visits-entered-in-the-app")
    st.download_button(
        "Download Parquet",
        visit_log.app_visits_parquet(con),
        file_name="visits-entered-in-the-app.parquet",
        icon=":material/download:",
    )

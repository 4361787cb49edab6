"""Admin: load new exports, see what every load did, manage users, read the audit log."""

import streamlit as st

from kam.config import settings
from kam.i18n import NF_, _, ngettext
from kam.ingest import loader, uploads
from kam.jobs import briefs
from kam.metrics import catalog
from kam.people import users
from kam.people.users import ROLES, UserError, role_label
from kam.present import changes, columns
from kam.present.text import markdown_text as md
from kam.relations import export as app_export
from kam.store import audit, backup
from kam.ui import dashboard, user_form, watcher
from kam.ui.widgets import file_uploader, record_table, table
from kam.visits import export as visit_export

user = dashboard.require_role("admin")
con = dashboard.connection()
policy = settings()

st.title(_("Admin"))
loads, people, mailing, log, visits, backups = st.tabs(
    [
        _("Load exports"),
        _("Users"),
        _("Weekly brief by mail"),
        _("Audit log"),
        _("Visits entered in the app"),
        _("Backups"),
    ]
)

with loads:
    st.caption(
        _(
            "CSV or Parquet files named after their table (accounts.csv, orders_2026.parquet, …), "
            "up to {limit} MB per file. A load replaces every export table at once; a file that "
            "cannot be read leaves the data as it was. Visits entered in the app are never touched."
        ).format(limit=policy.upload_max_mb)
    )
    # Cleared once a load is done: it retired them, and a warning of what a load will do would then read as still
    # to come.
    demo_warning = st.empty()
    if demo_users := users.active_demo_users(con):
        demo_warning.warning(
            _(
                "Loading exports retires the demo users: {names}. "
                "They can no longer sign in; every other user, you included, stays signed in."
            ).format(names=", ".join(md(u) for u in demo_users))
            + (" " + _("You are a demo user: sign in as a real admin to load.") if user.username in demo_users else ""),
            icon=":material/warning:",
        )
    files = file_uploader(_("Export files"), ["csv", "parquet"], policy.upload_max_mb)
    left, right = st.columns(2)
    source, force, report = None, False, None
    # A demo admin may not load (kam.ingest.uploads refuses it too): the buttons say why.
    refused_demo = _(uploads.DEMO_ADMIN_REFUSED) if user.username in demo_users else None
    if left.button(
        _("Load the uploaded files"),
        type="primary",
        disabled=not files or refused_demo is not None,
        help=refused_demo,
        width="stretch",
    ):
        source = "upload"
    if right.button(
        _("Load the folder {folder}").format(folder=policy.import_dir),
        disabled=refused_demo is not None,
        help=refused_demo,
        width="stretch",
    ):
        source = "folder"
    # A load refused for the rows it would lose waits for the admin to confirm it.
    if source is None and (refused := st.session_state.get("load_refused")):
        if refused["source"] == "upload" and refused["files"] != [f.file_id for f in files]:
            # The files it asked about are gone (the page was left, they were removed or others put in their place):
            # so is the question, which was about those files' rows.
            st.session_state.pop("load_refused")
        else:
            question = st.empty()
            with question.container():
                st.warning(refused["message"], icon=":material/warning:")
                go, give_up = st.columns(2)
                confirmed = go.button(_("Load anyway"), type="primary", width="stretch")
                give_up.button(
                    _("Do not load"), on_click=lambda: st.session_state.pop("load_refused", None), width="stretch"
                )
            if confirmed:
                source, force = refused["source"], True
                question.empty()
    if source is not None:
        st.session_state.pop("load_refused", None)
        with st.status(_("Loading the exports: reading, checking, replacing the tables…")) as progress:
            try:
                if source == "upload":
                    report = uploads.load_uploads(con, files, user, force=force)
                else:
                    report = uploads.load_import_folder(con, user, force=force)
            except loader.LoadRefused as failed:
                progress.update(label=_("Nothing was loaded"), state="error", expanded=True)
                if failed.forceable:
                    losses = "\n".join(f"- {loss.describe(_)}" for loss in failed.losses)
                    message = _(
                        "Nothing was loaded yet. This load would lose more than {share} of the rows of:"
                        "\n\n{losses}\n\nLoad anyway?"
                    ).format(share=f"{policy.max_row_loss:.0%}", losses=losses)
                    st.session_state["load_refused"] = {
                        "source": source,
                        "message": message,
                        "files": [f.file_id for f in files] if source == "upload" else None,
                    }
                    st.rerun()
                st.error(_("Nothing was loaded: {why}").format(why=md(failed.shown())), icon=":material/error:")
            except loader.LoadError as failed:
                progress.update(label=_("Nothing was loaded"), state="error", expanded=True)
                st.error(_("Nothing was loaded: {why}").format(why=md(failed.shown())), icon=":material/error:")
            else:
                progress.update(label=_("Load {load_id} done").format(load_id=report.load_id), state="complete")
    if policy.import_watch_seconds > 0:
        st.caption(
            _(
                "The dashboard also loads the folder {folder} by itself once a file named READY is there "
                "(the export job writes it after the files); READY is then removed."
            ).format(folder=policy.import_dir)
        )
    if (last := watcher.last_import()) is not None:
        st.text(_("Import folder: {last}").format(last=last))
    if report is not None:
        demo_warning.empty()
        dashboard.refresh_version()
        # The rejected rows shown below are this load's, not those of the load picked before it.
        st.session_state["rejects_of_load"] = report.load_id
        if report.ignored_files:
            # A file left unread is data the admin meant to load: said before anything else.
            st.warning(
                _("Load {load_id} done without {files}: no table has their name.").format(
                    load_id=report.load_id, files=md(", ".join(report.ignored_files))
                ),
                icon=":material/warning:",
            )
        if report.rows_rejected:
            # Rows left out are data the figures lack: said as a warning, with where to read them.
            st.warning(
                ngettext(
                    "Load {load_id} done, {count} row rejected: see the rejected rows of the load below.",
                    "Load {load_id} done, {count} rows rejected: see the rejected rows of the load below.",
                    report.rows_rejected,
                ).format(load_id=report.load_id, count=f"{report.rows_rejected:,}"),
                icon=":material/warning:",
            )
        elif not report.ignored_files:
            st.success(
                _("Load {load_id} done: every row loaded.").format(load_id=report.load_id), icon=":material/done:"
            )
        st.code(report.summary(), language=None)
    history = loader.history_shown(con)
    st.subheader(_("Load history"))
    st.caption(_("Click a load to read it whole under the table: why it was refused, its files, where they came from."))
    record_table(
        history,
        NF_("load-history"),
        by_filters=False,
        in_download_only=columns.LOAD_HISTORY_IN_DOWNLOAD_ONLY,
        **columns.LOAD_HISTORY,
    )
    # The loads that landed (a refused one has no load id, nor rejected rows).
    landed = history["load_id"].drop_nulls().to_list()
    if landed:
        load_id = st.selectbox(_("Rejected rows of load"), landed, key="rejects_of_load")
        rejected = loader.rejects_shown(con, load_id)
        if rejected.is_empty():
            st.caption(_("No row of load {load_id} was rejected.").format(load_id=load_id))
        else:
            table(rejected, NF_("rejects"), by_filters=False, detail=str(load_id))

with people:

    def notice_here(where: str) -> None:
        """The notice an action left for the next run, shown where that action is: on a phone the top of the
        tab is out of sight of the form."""
        if (notice := st.session_state.get("admin_notice")) and notice[0] == where:
            st.session_state.pop("admin_notice")
            st.success(notice[1], icon=":material/done:")

    everyone = users.users(con)
    table(
        columns.users_shown(everyone),
        NF_("users"),
        by_filters=False,
        in_download_only=columns.USERS_IN_DOWNLOAD_ONLY,
        **columns.USERS,
    )
    exported = catalog.managers(con)
    manager_names = dict(zip(exported["manager_id"], exported["name"], strict=True))

    def manager_label(manager_id: str) -> str:
        if manager_id == user_form.NO_MANAGER:
            return "–"
        return f"{manager_names.get(manager_id) or _('not in the exports')} ({manager_id})"

    st.subheader(_("Add a user"))
    added = user_form.ADD
    added.prepare(user_form.EMPTY)

    def field_error(form: user_form.Form, field: str) -> None:
        if message := form.error(field):
            st.error(message, icon=":material/error:")

    with st.form("add_user", enter_to_submit=False):
        st.text_input(_("User name"), key=added.keys["username"])
        field_error(added, "username")
        st.text_input(_("Full name"), key=added.keys["name"])
        st.selectbox(_("Role"), ROLES, format_func=role_label, key=added.keys["role"])
        field_error(added, "role")
        st.selectbox(
            _("Manager of the exports (for a manager)"),
            [user_form.NO_MANAGER, *manager_names],
            format_func=manager_label,
            key=added.keys["manager_id"],
        )
        field_error(added, "manager_id")
        st.text_input(_("E-mail (for single sign-on)"), key=added.keys["email"])
        field_error(added, "email")
        st.text_input(
            _("One-time password"),
            type="password",
            key=added.keys["password"],
            help=users.password_rule() + " " + _("They choose their own when first in."),
        )
        field_error(added, "password")
        st.form_submit_button(_("Add"), on_click=user_form.submit, args=(user.username,))
    # Below the form, as its notice: above it, the message was out of sight of the button just clicked.
    if refused := added.take_refusal():
        st.error(refused, icon=":material/error:")
    notice_here("add")

    st.subheader(_("Change a user"))
    chosen = st.selectbox(_("User"), everyone["username"].to_list(), key="admin_user")
    if chosen is not None:
        current = everyone.filter(username=chosen).row(0, named=True)
        links = [user_form.NO_MANAGER, *manager_names]
        if current["manager_id"] is not None and current["manager_id"] not in manager_names:
            links.append(current["manager_id"])
        changed = user_form.change_form(chosen)
        changed.prepare(user_form.change_values(current))
        with st.form("change_user", enter_to_submit=False):
            st.selectbox(_("Role"), ROLES, format_func=role_label, key=changed.keys["role"])
            field_error(changed, "role")
            st.selectbox(
                _("Manager of the exports (for a manager)"),
                links,
                format_func=manager_label,
                key=changed.keys["manager_id"],
            )
            field_error(changed, "manager_id")
            st.text_input(_("E-mail (for single sign-on)"), key=changed.keys["email"])
            field_error(changed, "email")
            st.checkbox(_("May sign in"), key=changed.keys["active"])
            field_error(changed, "active")
            st.form_submit_button(_("Save"), on_click=user_form.submit_change, args=(chosen, user.username))
        # Below the form, where the unlock button was too.
        if refused := changed.take_refusal():
            st.error(refused, icon=":material/error:")
        notice_here("change")
        if current["locked_until"] is not None and st.button(
            _("Unlock {user}").format(user=chosen), key="admin_unlock"
        ):
            users.unlock(con, chosen, user.username)
            st.session_state["admin_notice"] = ("change", _("{user} unlocked.").format(user=md(chosen)))
            st.rerun()
        # A reset signs the user out everywhere: asked first, as the load's loss question is, for this user only.
        if st.session_state.get("reset_asked") not in (None, chosen):
            st.session_state.pop("reset_asked")
        if st.session_state.get("reset_asked") is None:
            st.button(
                _("Reset the password of {user}").format(user=chosen),
                help=_("Also lifts a lock-out"),
                on_click=st.session_state.update,
                kwargs={"reset_asked": chosen},
            )
        else:
            question = st.empty()
            with question.container():
                st.warning(
                    _(
                        "Reset the password of {user}? They are signed out of every session, and must choose "
                        "their own password at the next sign-in."
                    ).format(user=md(chosen)),
                    icon=":material/warning:",
                )
                go, give_up = st.columns(2)
                confirmed = go.button(_("Reset the password"), type="primary", width="stretch")
                give_up.button(
                    _("Do not reset"), on_click=lambda: st.session_state.pop("reset_asked", None), width="stretch"
                )
            if confirmed:
                st.session_state.pop("reset_asked")
                question.empty()
                try:
                    one_time = users.reset_password(con, chosen, user)
                except UserError as refused:
                    st.error(md(refused), icon=":material/error:")
                else:
                    # Shown once, in this run only: the password is never kept in the session.
                    st.info(
                        _("One-time password for {user}: `{password}`. Hand it over in person.").format(
                            user=md(chosen), password=one_time
                        ),
                        icon=":material/key:",
                    )

with mailing:
    if notice := st.session_state.pop("brief_notice", None):
        st.success(notice, icon=":material/done:")
    st.caption(
        _(
            "Each recipient gets the brief of the last full week by mail, a manager only their own accounts, "
            "through the mail server {server}. "
            "Only active users with an e-mail can be picked. Each sending is in the audit log."
        ).format(server=policy.smtp_host or _("(not configured: smtp_host in kam.toml)"))
    )
    plan = briefs.schedule(con)
    choices = briefs.recipients(con)
    with st.form("brief_schedule", enter_to_submit=False):
        picked = st.multiselect(
            _("Recipients"),
            list(choices),
            default=[name for name in (plan.recipients if plan else ()) if name in choices],
            format_func=lambda name: f"{name}: {choices[name]}",
        )
        left, right = st.columns(2)
        weekday = left.selectbox(
            _("Weekday"), range(7), index=plan.weekday if plan else 0, format_func=lambda day: _(briefs.WEEKDAYS[day])
        )
        hour = right.selectbox(
            _("Hour"), range(24), index=plan.hour if plan else 8, format_func=lambda h: f"{h:02d}:00"
        )
        active = st.checkbox(_("Send"), value=plan.active if plan else True)
        if st.form_submit_button(_("Save the schedule")):
            try:
                briefs.save_schedule(con, picked, weekday, hour, active, user.username)
            except briefs.ScheduleError as refused:
                st.error(str(refused), icon=":material/error:")
            else:
                st.session_state["brief_notice"] = _("Schedule saved.")
                st.rerun()
    if plan is not None and plan.last_sent_at is not None:
        st.write(_("Last sent for {time}.").format(time=f"{plan.last_sent_at:%Y-%m-%d %H:%M}"))

with log:
    # Each sign-in writes two events: left out unless asked, so that the changes are not buried under them.
    sessions_shown = st.toggle(
        _("Show sign-ins, sign-outs and sessions"),
        value=False,
        key="audit_sessions",
        help=_("Failed and locked-out sign-ins are always shown. The CSV holds the events shown."),
    )
    # The screen shows what each event changed, as it reads; the CSV keeps the stored records beside it.
    st.caption(_("Click an event to read it whole under the log: its target and what it changed."))
    record_table(
        changes.audit_log(audit.events(con, leave_out=() if sessions_shown else audit.SESSION_ACTIONS)),
        NF_("audit-log"),
        by_filters=False,
        stored_only=("before", "after"),
        **columns.AUDIT_LOG,
    )

with visits:
    st.caption(_("Visits entered in the app, in the export format of the visits table, for the CRM."))
    exported = visit_export.export_app_visits(con)
    st.write(
        ngettext("{count} visit entered in the app.", "{count} visits entered in the app.", exported.height).format(
            count=f"{exported.height:,}"
        )
    )
    # Machine files in the contract's columns and values (DATA_CONTRACT.md), named in English as the exports are,
    # whatever the reader's language; only who was met, which the contract has no column for, leads the notes in the
    # reader's words.
    st.download_button(
        _("Download CSV"),
        dashboard.made_for(user, lambda: visit_export.app_visits_csv(dashboard.connection())),
        file_name="visits-entered-in-the-app.csv",
        mime="text/csv",
        icon=":material/download:",
        key="download-visits-entered-in-the-app",
    )
    st.download_button(
        _("Download Parquet"),
        visit_export.app_visits_parquet(con),
        file_name="visits-entered-in-the-app.parquet",
        icon=":material/download:",
    )
    st.subheader(_("Everything entered in the app"))
    st.caption(
        _("Visits, contacts, account plans with their actions and status history, quarterly reviews and targets.")
    )
    st.dataframe(
        columns.app_tables_shown(app_export.app_data(con)),
        hide_index=True,
        column_config={"table": _("Table"), "rows": _("Rows")},
    )
    left, right = st.columns(2)
    left.download_button(
        _("Download all (CSV, ZIP)"),
        dashboard.made_for(user, lambda: app_export.app_data_zip(dashboard.connection(), "csv")),
        file_name="entered-in-the-app-csv.zip",
        mime="application/zip",
        icon=":material/download:",
        key="download-app-data-csv",
    )
    right.download_button(
        _("Download all (Parquet, ZIP)"),
        dashboard.made_for(user, lambda: app_export.app_data_zip(dashboard.connection(), "parquet")),
        file_name="entered-in-the-app-parquet.zip",
        mime="application/zip",
        icon=":material/download:",
        key="download-app-data-parquet",
    )

with backups:
    if notice := st.session_state.pop("backup_notice", None):
        st.success(notice, icon=":material/done:")
    if policy.backup_every_hours > 0:
        every = _("every {hours} hours").format(hours=f"{policy.backup_every_hours:g}")
    else:
        every = _("only when asked")
    st.caption(
        _(
            "A copy of the data entered in the app and of the current exports, made {every} into {folder} "
            "(the newest {keep} kept). README: how to restore one."
        ).format(every=every, folder=policy.backups, keep=policy.backup_keep)
    )
    if st.button(_("Make a backup now"), icon=":material/backup:"):
        try:
            made = watcher.backup_now(user.username)
        except (backup.BackupError, OSError) as failed:
            st.error(_("No backup was made: {why}").format(why=md(failed)), icon=":material/error:")
        else:
            st.session_state["backup_notice"] = _("Backup made in {folder}.").format(folder=md(made))
            st.rerun()
    made_before = [f"- `{folder.name}`" for folder in reversed(backup.backups(policy.backups))]
    st.write("\n".join(made_before) or _("No backup yet."))

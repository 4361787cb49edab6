"""The admin page: loads by upload or from the folder with their report, users, the audit log."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kam import config, i18n
from kam.ingest import loader
from kam.ingest import uploads as admin_uploads
from kam.ingest.bootstrap import open_database
from kam.people import users
from kam.people.users import SignInError, User, UserError
from kam.present.text import markdown_text
from kam.ui import dashboard
from kam.ui.language import CHOSEN
from kam.visits import export as visit_export
from kam.visits import log as visit_log
from kam.visits.rules import VisitDraft
from tests.apptest import ADMIN, app, start
from tests.portfolio import EXPORTS

ROOT_ADMIN = User("admin", "Administrator", "admin")


@dataclass
class Upload:
    """An uploaded file, as st.file_uploader hands it over."""

    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def getvalue(self) -> bytes:
        return self.data


@pytest.fixture
def deployment(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[duckdb.DuckDBPyConnection]:
    """The portfolio deployment opened, its import folder holding the portfolio's exports too."""
    yield from _opened(portfolio, monkeypatch)


@pytest.fixture
def first_start(new_portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[duckdb.DuckDBPyConnection]:
    """As deployment, opened here for the first time: its load history names this test's demo folder."""
    yield from _opened(new_portfolio, monkeypatch)


def _opened(database: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[duckdb.DuckDBPyConnection]:
    monkeypatch.setenv("KAM_IMPORT_DIR", str(config.settings().demo_dir))
    config.settings.cache_clear()
    with open_database(database, config.settings().demo_dir) as con:
        yield con


def uploads(**changes: str) -> list[Upload]:
    return [Upload(name, (changes.get(name) or text).encode("utf-8")) for name, text in EXPORTS.items()]


def test_the_admin_page_shows_the_load_history_users_and_audit_log(first_start):
    at = start("admin", user=ADMIN)
    assert not at.exception
    assert [t.value for t in at.title] == ["Admin"]
    history, people, log = (frame.value for frame in at.dataframe[:3])
    assert list(history["source"]) == [str(config.settings().demo_dir)]
    assert "No row of load 1 was rejected." in [c.value for c in at.caption]
    assert set(people["username"]) == {"admin", "demo-admin", "m01", "m02", "vp"}
    assert "password_hash" not in people.columns
    assert "User added" in set(log["action"])  # user.add, as it reads
    # The tables entered in the app, named in words (their files in the ZIP keep the table's name).
    entered = next(frame.value for frame in at.dataframe if list(frame.value.columns) == ["table", "rows"])
    assert list(entered["table"]) == [
        "Visits entered in the app",
        "Contacts entered in the app",
        "Account plans",
        "Account plan actions",
        "Account plan status history",
        "Quarterly reviews",
        "Annual targets entered in the app",
    ]


def test_an_upload_loads_with_its_rejects_reported_and_audited(first_start):
    bad = EXPORTS["orders.csv"] + "O11,K9,2026-07-01,10\n"
    report = admin_uploads.load_uploads(first_start, uploads(**{"orders.csv": bad}), ROOT_ADMIN)
    assert report.rows_loaded["orders"] == 10
    assert report.rejects.select("file", "line", "row_key", "column_name").rows() == [
        ("orders.csv", 12, "O11", "account_id")
    ]
    assert first_start.execute("SELECT source, loaded_by FROM load_history WHERE load_id = 2").fetchall() == [
        ("upload", "admin")
    ]
    # The demo load of the first start is in the audit log too.
    events = "SELECT username, action, target FROM audit_log WHERE action = 'load' ORDER BY event_id"
    assert first_start.execute(events).fetchall() == [
        ("demo", "load", str(config.settings().demo_dir)),
        ("admin", "load", "upload"),
    ]


def test_the_load_button_says_how_a_load_went_and_warns_of_rejected_rows(deployment, monkeypatch, tmp_path):
    # The import folder holds the portfolio's exports, then the same with an order of an unknown account (K9).
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, text in EXPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAM_IMPORT_DIR", str(folder))
    config.settings.cache_clear()
    at = start("admin", user=User("zhouli", "周丽", "admin"))
    assert any("retires the demo users" in w.value for w in at.warning)
    next(b for b in at.button if b.label.startswith("Load the folder")).click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Load 2 done: every row loaded."]
    # The load retired the demo users: no warning above it still says that a load will.
    assert [w.value for w in at.warning if "demo users" in w.value] == []
    # The rejected rows shown below are the new load's (none), said in words.
    assert at.selectbox(key="rejects_of_load").value == 2
    assert "No row of load 2 was rejected." in [c.value for c in at.caption]
    (folder / "orders.csv").write_text(EXPORTS["orders.csv"] + "O11,K9,2026-07-01,10\n", encoding="utf-8")
    next(b for b in at.button if b.label.startswith("Load the folder")).click().run()
    assert not at.exception
    assert not at.success
    assert [w.value for w in at.warning if "rejected" in w.value] == [
        "Load 3 done, 1 row rejected: see the rejected rows of the load below."
    ]
    assert at.selectbox(key="rejects_of_load").value == 3
    rejects = next(f.value for f in at.dataframe if "row_key" in f.value.columns)
    assert list(rejects["row_key"]) == ["O11"]


def test_an_upload_over_the_size_limit_or_unreadable_changes_nothing(deployment, monkeypatch):
    before = deployment.execute("SELECT count(*) FROM load_history").fetchall()
    monkeypatch.setenv("KAM_UPLOAD_MAX_MB", "0")
    config.settings.cache_clear()
    with pytest.raises(loader.LoadError, match="the limit is 0 MB"):
        admin_uploads.load_uploads(deployment, uploads(), ROOT_ADMIN)
    monkeypatch.delenv("KAM_UPLOAD_MAX_MB")
    config.settings.cache_clear()
    with pytest.raises(loader.LoadError, match=r"accounts\.csv: missing required column region"):
        admin_uploads.load_uploads(deployment, uploads(**{"accounts.csv": "account_id,name\nK1,甲\n"}), ROOT_ADMIN)
    assert deployment.execute("SELECT count(*) FROM load_history").fetchall() == before
    failed = deployment.execute("SELECT action FROM audit_log WHERE action = 'load.failed'").fetchall()
    assert failed == [("load.failed",)]


def test_the_import_folder_loads(deployment):
    report = admin_uploads.load_import_folder(deployment, ROOT_ADMIN)
    assert report.rows_loaded["accounts"] == 6


def test_users_are_added_changed_reset_and_deactivated(deployment):
    users.add_user(deployment, "liuna", "刘娜", "manager", "first-password", manager_id="M2", by="admin")
    with pytest.raises(UserError, match="must be linked"):
        users.add_user(deployment, "nobody", "No one", "manager", "first-password", by="admin")
    with pytest.raises(UserError, match="at least 10 characters"):
        users.add_user(deployment, "shorty", "Short", "vp", "short", by="admin")
    signed = users.sign_in(deployment, "liuna", "first-password")
    assert (signed.role, signed.manager_id, signed.must_change_password) == ("manager", "M2", True)
    users.update_user(deployment, "liuna", "admin", role="vp")
    assert users.sign_in(deployment, "liuna", "first-password").role == "vp"
    one_time = users.reset_password(deployment, "liuna", ROOT_ADMIN)
    with pytest.raises(SignInError):
        users.sign_in(deployment, "liuna", "first-password")
    assert users.sign_in(deployment, "liuna", one_time).must_change_password
    users.update_user(deployment, "liuna", "admin", active=False)
    with pytest.raises(SignInError):
        users.sign_in(deployment, "liuna", one_time)
    changes = deployment.execute(
        "SELECT action, before, after FROM audit_log WHERE target = 'liuna' AND action LIKE 'user.%' ORDER BY event_id"
    ).fetchall()
    assert [c[0] for c in changes] == ["user.add", "user.change", "user.password", "user.change"]
    assert '"role": "manager"' in changes[1][1] and '"role": "vp"' in changes[1][2]
    assert one_time not in repr(changes)


def test_the_admin_page_counts_the_visits_entered_in_the_app(deployment, offered_files):
    wang = User("wangwei", "王伟", "manager", "M1")
    visit_log.save_visit(deployment, VisitDraft("K1", date.today(), "phone"), wang)
    at = start("admin", user=ADMIN, region="华东")
    assert not at.exception
    assert "1 visit entered in the app." in [m.value for m in at.markdown]
    # The CRM's files keep their names whatever the sidebar's filters; so do the admin's own tables.
    assert offered_files["download-visits-entered-in-the-app"] == "visits-entered-in-the-app.csv"
    assert offered_files["Download Parquet"] == "visits-entered-in-the-app.parquet"
    assert offered_files["download-audit-log"] == "audit-log.csv"
    exported = visit_export.export_app_visits(deployment)
    assert exported.columns[:5] == ["visit_id", "account_id", "manager_id", "visit_date", "channel"]
    assert exported.select("account_id", "manager_id", "channel").rows() == [("K1", "M1", "phone")]


def test_the_last_admin_can_be_neither_demoted_nor_deactivated(deployment):
    # The demo admin does not count: the demo users go with the first load of real exports.
    with pytest.raises(UserError, match="admin is the last admin"):
        users.update_user(deployment, "admin", "demo-admin", role="vp")
    with pytest.raises(UserError, match="admin is the last admin"):
        users.update_user(deployment, "admin", "demo-admin", active=False)
    users.add_user(deployment, "chen", "陈静", "admin", "first-password", by="admin")
    users.update_user(deployment, "admin", "chen", active=False)
    assert deployment.execute("SELECT active FROM users WHERE username = 'admin'").fetchall() == [(False,)]


def test_an_email_belongs_to_one_user_and_only_a_manager_keeps_a_manager_link(deployment):
    users.add_user(deployment, "liuna", "刘娜", "manager", "first-password", "M2", "m2@example.com", by="admin")
    with pytest.raises(UserError, match=r"liuna already has the e-mail M2@example\.com"):
        users.add_user(deployment, "zhao", "赵总", "vp", "first-password", email="M2@example.com", by="admin")
    with pytest.raises(UserError, match="is not an e-mail address"):
        users.update_user(deployment, "liuna", "admin", email="liuna at example")
    users.update_user(deployment, "liuna", "admin", role="vp", email="")
    row = deployment.execute("SELECT role, manager_id, email FROM users WHERE username = 'liuna'").fetchall()
    assert row == [("vp", None, None)]


def labelled(widgets: Iterable[Any], label: str) -> Any:
    """The first widget with this label."""
    return next(widget for widget in widgets if widget.label == label)


def test_the_admin_page_changes_a_user_from_a_form_showing_their_current_values(deployment):
    at = start("admin", user=ADMIN)
    at.selectbox(key="admin_user").set_value("m02").run()
    assert at.selectbox(key="admin_role_m02").value == "manager"
    assert at.selectbox(key="admin_manager_m02").value == "M02"
    assert at.checkbox(key="admin_active_m02").value is True
    at.checkbox(key="admin_active_m02").uncheck()
    labelled(at.button, "Save").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["m02 changed."]
    assert deployment.execute("SELECT role, manager_id, active FROM users WHERE username = 'm02'").fetchall() == [
        ("manager", "M02", False)
    ]
    event = deployment.execute(
        "SELECT username, action FROM audit_log WHERE target = 'm02' ORDER BY event_id DESC LIMIT 1"
    ).fetchall()
    assert event == [("demo-admin", "user.change")]


def form_shown(at: Any, form_id: str) -> list[tuple[str, str]]:
    """A form of the Users tab, its elements in order: a widget by its label, a message by its text."""
    form = next(e for e in at.tabs[1].children.values() if e.type == "form" and e.proto.form.form_id == form_id)
    return [(e.type, e.value if e.type == "error" else e.label) for e in form.children.values()]


def add_user_form(at: Any) -> list[tuple[str, str]]:
    """The add-user form's elements in order."""
    return form_shown(at, "add_user")


def change_user_form(at: Any) -> list[tuple[str, str]]:
    """The change-user form's elements in order."""
    return form_shown(at, "change_user")


def test_the_admin_page_refuses_a_bad_change_at_every_field_at_once_and_keeps_what_was_chosen(deployment):
    stored = "SELECT role, manager_id, email, active FROM users WHERE username = 'vp'"
    changes = "SELECT count(*) FROM audit_log WHERE action = 'user.change' AND target = 'vp'"
    at = start("admin", user=ADMIN)
    at.selectbox(key="admin_user").set_value("vp").run()
    # The VP made a manager with no manager chosen ("–") and a malformed e-mail.
    at.selectbox(key="admin_role_vp").set_value("manager")
    at.text_input(key="admin_email_vp").input("not-an-email")
    labelled(at.button, "Save").click().run()
    assert not at.exception
    assert change_user_form(at) == [
        ("selectbox", "Role"),
        ("selectbox", "Manager of the exports (for a manager)"),
        ("error", "A manager must be linked to a manager id of the exports\\."),
        ("text_input", "E-mail (for single sign-on)"),
        ("error", "not\\-an\\-email is not an e\\-mail address\\."),
        ("checkbox", "May sign in"),
        ("button", "Save"),
    ]
    shown = users_tab(at)
    refusal = "The user was not changed: see the message at each field."
    assert shown[shown.index(("form", "change_user")) + 1] == ("error", refusal)
    # What was chosen stays; nothing was saved.
    assert at.selectbox(key="admin_role_vp").value == "manager"
    assert at.selectbox(key="admin_manager_vp").value == ""
    assert at.text_input(key="admin_email_vp").value == "not-an-email"
    assert at.checkbox(key="admin_active_vp").value is True
    assert deployment.execute(stored).fetchall() == [("vp", None, None, True)]
    assert deployment.execute(changes).fetchall() == [(0,)]
    # Another user's form, then the VP's again: the VP as stored, without the messages about the values left.
    at.selectbox(key="admin_user").set_value("m01").run()
    assert not at.tabs[1].error
    at.selectbox(key="admin_user").set_value("vp").run()
    assert not at.tabs[1].error
    assert at.selectbox(key="admin_role_vp").value == "vp"
    assert at.text_input(key="admin_email_vp").value == ""
    # Linked to 李娜 (M2) with a real address, the change is saved with its audit row; the form shows it as saved.
    at.selectbox(key="admin_role_vp").set_value("manager")
    at.selectbox(key="admin_manager_vp").set_value("M2")
    at.text_input(key="admin_email_vp").input(" vp@example.com ")
    labelled(at.button, "Save").click().run()
    assert not at.exception
    assert not at.tabs[1].error
    assert [s.value for s in at.success] == ["vp changed."]
    assert deployment.execute(stored).fetchall() == [("manager", "M2", "vp@example.com", True)]
    assert deployment.execute(changes).fetchall() == [(1,)]
    assert at.text_input(key="admin_email_vp").value == "vp@example.com"


def test_the_change_form_tells_the_last_admin_at_its_field_in_chinese(deployment):
    at = app("admin", user=ADMIN)
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    # The only admin who is not a demo user, kept from signing in, given an e-mail with a space.
    with i18n.speaking("zh-CN"):  # the page's pickers read in the screen's language
        at.selectbox(key="admin_user").set_value("admin").run()
        at.checkbox(key="admin_active_admin").uncheck()
        at.text_input(key="admin_email_admin").input("admin at example.com")
        labelled(at.button, "保存").click().run()
    assert not at.exception
    assert change_user_form(at) == [
        ("selectbox", "角色"),
        ("selectbox", "导出数据中的客户经理（仅用于客户经理）"),
        ("text_input", "电子邮箱（用于单点登录）"),
        ("error", "admin at example\\.com 不是电子邮箱地址。"),
        ("checkbox", "可登录"),
        ("error", "admin 是最后一位管理员：请先将其他用户设为管理员。"),
        ("button", "保存"),
    ]
    shown = users_tab(at)
    assert shown[shown.index(("form", "change_user")) + 1] == ("error", "未修改该用户：请看各栏下的提示。")
    assert at.checkbox(key="admin_active_admin").value is False
    assert at.text_input(key="admin_email_admin").value == "admin at example.com"
    stored = "SELECT role, email, active FROM users WHERE username = 'admin'"
    assert deployment.execute(stored).fetchall() == [("admin", None, True)]


def test_the_admin_page_refuses_a_bad_new_user_at_every_field_at_once_and_keeps_what_was_typed(deployment):
    at = start("admin", user=ADMIN)
    labelled(at.text_input, "User name").input("zhaomin")
    labelled(at.text_input, "Full name").input("赵敏")
    labelled(at.selectbox, "Role").set_value("manager")
    labelled(at.text_input, "E-mail (for single sign-on)").input("not-an-email")
    labelled(at.text_input, "One-time password").input("short")
    labelled(at.button, "Add").click().run()
    assert not at.exception
    # Every problem at once, each under its field, shown as text (escaped for Markdown).
    manager, email, password = (
        "A manager must be linked to a manager id of the exports\\.",
        "not\\-an\\-email is not an e\\-mail address\\.",
        "The password needs at least 10 characters\\, not digits only\\, not a common password\\.",
    )
    assert add_user_form(at) == [
        ("text_input", "User name"),
        ("text_input", "Full name"),
        ("selectbox", "Role"),
        ("selectbox", "Manager of the exports (for a manager)"),
        ("error", manager),
        ("text_input", "E-mail (for single sign-on)"),
        ("error", email),
        ("text_input", "One-time password"),
        ("error", password),
        ("button", "Add"),
    ]
    # Under the form, in sight of its button (the form is a screen long), the refusal itself.
    shown = users_tab(at)
    refusal = "The user was not added: see the message at each field."
    assert shown[shown.index(("form", "add_user")) + 1] == ("error", refusal)
    # What was typed stays, the one-time password too (cleared only once the user is added).
    assert labelled(at.text_input, "User name").value == "zhaomin"
    assert labelled(at.text_input, "Full name").value == "赵敏"
    assert labelled(at.text_input, "E-mail (for single sign-on)").value == "not-an-email"
    assert labelled(at.text_input, "One-time password").value == "short"
    assert deployment.execute("SELECT count(*) FROM users WHERE username = 'zhaomin'").fetchall() == [(0,)]
    # Nothing typed: the name is asked for, not the characters a name may have.
    labelled(at.text_input, "User name").input("")
    labelled(at.button, "Add").click().run()
    assert ("error", "Enter a user name\\.") in add_user_form(at)
    # Linked to 李娜 (M2) with a long enough password and a real address, the user is added.
    labelled(at.text_input, "User name").input("zhaomin")
    labelled(at.selectbox, "Manager of the exports (for a manager)").set_value("M2")
    labelled(at.text_input, "E-mail (for single sign-on)").input("zhaomin@example.com")
    labelled(at.text_input, "One-time password").input("first-password")
    labelled(at.button, "Add").click().run()
    assert [s.value for s in at.success] == ["zhaomin added."]
    assert not at.error
    added = deployment.execute("SELECT role, manager_id, must_change_password FROM users WHERE username = 'zhaomin'")
    assert added.fetchall() == [("manager", "M2", True)]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("1234567890", "digits only"),
        ("20261125000000", "digits only"),
        ("Password123", "most common"),
        ("qwertyuiop", "most common"),
        ("woaini1314", "most common"),
    ],
)
def test_common_and_all_digit_passwords_are_refused(deployment, password, message):
    with pytest.raises(UserError, match=message):
        users.add_user(deployment, "liuna", "刘娜", "vp", password, by="admin")
    users.add_user(deployment, "shorty", "Short", "vp", "first-password", by="admin")
    with pytest.raises(UserError, match=message):
        users.set_password(deployment, "shorty", password, by="shorty")


def test_a_new_user_defaults_to_manager_and_the_form_is_empty_after_saving(deployment):
    at = start("admin", user=ADMIN)
    assert labelled(at.selectbox, "Role").value == "manager"
    labelled(at.text_input, "User name").input("zhaomin")
    labelled(at.text_input, "Full name").input("赵敏")
    labelled(at.selectbox, "Manager of the exports (for a manager)").set_value("M2")
    labelled(at.text_input, "One-time password").input("first-password")
    labelled(at.button, "Add").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["zhaomin added."]
    assert [w.value for w in at.text_input if w.key and w.key.startswith("add_")] == ["", "", "", ""]
    assert labelled(at.selectbox, "Role").value == "manager"
    # No manager chosen: the form's "–", not Streamlit's "Choose an option" (shown for a select box holding None).
    manager = labelled(at.selectbox, "Manager of the exports (for a manager)")
    assert manager.value == ""
    assert manager.format_func(manager.value) == "–"


@pytest.fixture
def warned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The warnings Streamlit logs on the server for a widget given a default and a value in the session state."""
    from types import SimpleNamespace

    from streamlit.elements.lib import policies

    logged: list[str] = []
    # Streamlit checks only with its server running, and warns once a process.
    monkeypatch.setattr(policies, "runtime", SimpleNamespace(exists=lambda: True))
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    monkeypatch.setattr(policies._LOGGER, "warning", lambda message, *args, **_kw: logged.append(message % args))
    return logged


def test_adding_users_sets_each_field_one_way_only(deployment, warned):
    at = start("admin", user=ADMIN)
    for name in ("zhaomin", "zhouyu"):
        labelled(at.text_input, "User name").input(name)
        labelled(at.selectbox, "Manager of the exports (for a manager)").set_value("M2")
        labelled(at.text_input, "One-time password").input("first-password")
        labelled(at.button, "Add").click().run()
        assert not at.exception
        assert [s.value for s in at.success] == [f"{name} added."]
    assert warned == []


def test_changing_users_sets_each_field_one_way_only(deployment, warned):
    at = start("admin", user=ADMIN)
    at.selectbox(key="admin_user").set_value("m02").run()
    # Refused (a manager without a link), saved, then the next user's form.
    at.selectbox(key="admin_manager_m02").set_value("")
    labelled(at.button, "Save").click().run()
    assert [e.value for e in at.tabs[1].error] == [
        "A manager must be linked to a manager id of the exports\\.",
        "The user was not changed: see the message at each field.",
    ]
    at.selectbox(key="admin_manager_m02").set_value("M2")
    labelled(at.button, "Save").click().run()
    assert [s.value for s in at.success] == ["m02 changed."]
    at.selectbox(key="admin_user").set_value("m01").run()
    assert not at.exception
    assert warned == []


def test_the_load_tab_names_the_demo_users_a_load_retires_and_the_limit_per_file(deployment, monkeypatch):
    at = start("admin", user=ADMIN)
    assert not at.exception
    # The names are escaped as Markdown text (demo\-admin shows as demo-admin).
    warning = next(w.value for w in at.warning if "retires the demo users" in w.value).replace("\\", "")
    assert warning.startswith("Loading exports retires the demo users: demo-admin, m01, m02, vp.")
    assert "You are a demo user: sign in as a real admin to load." in warning
    assert any(f"up to {config.settings().upload_max_mb} MB per file" in c.value for c in at.caption)
    # One file over the limit is refused, whatever the others weigh; every file under it loads.
    monkeypatch.setenv("KAM_UPLOAD_MAX_MB", "1")
    config.settings.cache_clear()
    big = [*uploads(), Upload("orders_2025.csv", b"order_id,account_id,order_date,amount\n" + b" " * 1_100_000)]
    with pytest.raises(loader.LoadError, match=r"orders_2025\.csv is 1\.0 MB; the limit is 1 MB per file"):
        admin_uploads.load_uploads(deployment, big, ROOT_ADMIN)
    assert admin_uploads.load_uploads(deployment, uploads(), ROOT_ADMIN).load_id == 2


def test_a_load_by_a_real_admin_retires_the_demo_users_and_keeps_the_admin(deployment):
    with pytest.raises(loader.LoadError, match="signed in as a demo user"):
        admin_uploads.load_import_folder(deployment, ADMIN)
    assert users.active_demo_users(deployment) == ["demo-admin", "m01", "m02", "vp"]
    # m02 kept from signing in by an admin before the load: not the load's doing.
    users.update_user(deployment, "m02", "demo-admin", active=False)
    admin_uploads.load_import_folder(deployment, ROOT_ADMIN)
    assert users.active_demo_users(deployment) == []
    assert users.refresh(deployment, ROOT_ADMIN) is not None
    # The users table says why the demo users may no longer sign in, beside the unticked box.
    users.add_user(deployment, "chen", "陈静", "admin", "first-password", by="admin", must_change_password=False)
    at = start("admin", user=User("chen", "陈静", "admin"))
    assert not at.exception
    people = next(frame.value for frame in at.dataframe if "username" in frame.value.columns)
    retired = "Retired by the first load of real exports"
    assert people[["username", "active", "note"]].fillna("").values.tolist() == [
        ["admin", True, ""],
        ["chen", True, ""],
        ["demo-admin", False, retired],
        ["m01", False, retired],
        ["m02", False, ""],
        ["vp", False, retired],
    ]


def test_the_admin_page_makes_a_backup_and_lists_it(deployment):
    from kam.present.text import markdown_text
    from kam.store import backup

    root = config.settings().backups
    at = start("admin", user=ADMIN)
    next(b for b in at.button if b.label == "Make a backup now").click().run()
    assert not at.exception
    [made] = backup.backups(root)
    # Escaped as text: the path is shown, not read as Markdown.
    assert [s.value for s in at.success] == [f"Backup made in {markdown_text(str(made))}."]
    assert any(made.name in m.value for m in at.markdown)
    assert backup.manifest(made)["load_id"] == 1
    events = deployment.execute("SELECT username, target FROM audit_log WHERE action = 'backup'").fetchall()
    assert events == [(ADMIN.username, str(made))]


def test_the_watcher_loads_a_ready_import_folder_and_makes_the_due_backup(deployment, monkeypatch):
    from kam.store import backup
    from kam.ui import watcher

    monkeypatch.setenv("KAM_IMPORT_WATCH_SECONDS", "30")
    monkeypatch.setenv("KAM_BACKUP_EVERY_HOURS", "24")
    config.settings.cache_clear()
    inbox = config.settings().import_dir
    with deployment.cursor() as cur:
        watcher.tick(cur)
    # No READY yet: only the first daily backup.
    [first] = backup.backups(config.settings().backups)
    assert deployment.execute("SELECT count(*) FROM load_history").fetchall() == [(1,)]
    (inbox / admin_uploads.READY).write_text("", encoding="utf-8")
    with deployment.cursor() as cur:
        watcher.tick(cur)
    assert not (inbox / admin_uploads.READY).exists()
    assert deployment.execute("SELECT load_id, loaded_by FROM load_history ORDER BY 1").fetchall() == [
        (1, "demo"),
        (2, admin_uploads.WATCHER),
    ]
    # The backup of today is not made twice.
    assert backup.backups(config.settings().backups) == [first]
    events = "SELECT username, action FROM audit_log WHERE action IN ('load', 'backup') ORDER BY event_id"
    assert deployment.execute(events).fetchall() == [
        ("demo", "load"),
        (watcher.BACKUP_BY, "backup"),
        (admin_uploads.WATCHER, "load"),
    ]


def test_the_visits_csv_for_the_crm_is_in_the_contracts_format_in_any_language(deployment, offered_data):
    wang = User("wangwei", "王伟", "manager", "M1")
    draft = VisitDraft("K1", date(2026, 11, 20), "phone", met_with="采购部 陈经理", notes="续约")
    visit_log.save_visit(deployment, draft, wang)
    at = app("admin", user=ADMIN)
    at.session_state[CHOSEN] = "zh-CN"
    assert not at.run().exception
    entered = next(frame.value for frame in at.dataframe if list(frame.value.columns) == ["table", "rows"])
    assert entered.values.tolist() == [
        ["应用中录入的拜访", 1],
        ["应用中录入的联系人", 0],
        ["客户计划", 0],
        ["客户计划行动", 0],
        ["客户计划状态历史", 0],
        ["季度评审", 0],
        ["应用中录入的年度目标", 0],
    ]
    # Made on the click, on a thread of its own: in the language of the page that offered it all the same.
    made = offered_data["download-visits-entered-in-the-app"]
    header, row = csv.reader(io.StringIO((made() if callable(made) else made).decode("utf-8-sig")))
    # The contract's columns (DATA_CONTRACT.md, visits) and values: not the screen's Chinese headers and labels.
    assert header == [
        "visit_id",
        "account_id",
        "manager_id",
        "visit_date",
        "channel",
        "purpose",
        "executive",
        "notes",
        "next_step",
        "next_date",
        "warning_signs",
        "contact_ids",
    ]
    # Only who was met, for which the contract has no column, leads the notes in the reader's words.
    assert row[1:8] == ["K1", "M1", "2026-11-20", "phone", "", "false", "会见：采购部 陈经理\n续约"]


def test_a_file_named_after_no_table_is_named_when_the_load_is_refused_for_lack_of_it(deployment):
    files = [Upload("accounts (1).csv" if name == "accounts.csv" else name, text) for name, text in EXPORTS.items()]
    with pytest.raises(loader.LoadError) as refused:
        admin_uploads.load_uploads(deployment, files, ROOT_ADMIN)
    assert refused.value.shown() == (
        "no accounts file (accounts.csv or accounts.parquet) among the exports; not read, as no table has their "
        "name: accounts (1).csv"
    )


def test_a_load_that_left_a_file_unread_says_so_instead_of_every_row_loaded(deployment, monkeypatch, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, text in EXPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "orders (1).csv").write_text(EXPORTS["orders.csv"], encoding="utf-8")
    monkeypatch.setenv("KAM_IMPORT_DIR", str(folder))
    config.settings.cache_clear()
    at = start("admin", user=User("zhouli", "周丽", "admin"))
    next(b for b in at.button if b.label.startswith("Load the folder")).click().run()
    assert not at.exception
    assert not at.success
    # The file's name as text (kam.present.text.markdown_text): its brackets and dot read as typed.
    assert [w.value for w in at.warning if "without" in w.value] == [
        f"Load 2 done without {markdown_text('orders (1).csv')}: no table has their name."
    ]


def test_a_password_reset_asks_first_and_cancelling_leaves_the_password(deployment):
    at = start("admin", user=ADMIN)
    at.selectbox(key="admin_user").set_value("m02").run()
    labelled(at.button, "Reset the password of m02").click().run()
    assert not at.exception
    # In the Users tab (the load tab warns of the demo users a load retires).
    assert [w.value for w in at.tabs[1].warning] == [
        "Reset the password of m02? They are signed out of every session, and must choose their own password at "
        "the next sign-in."
    ]
    assert not at.tabs[1].info
    assert "Reset the password of m02" not in [b.label for b in at.button]
    # Given up: the question goes, the button is back, the published password still signs m02 in.
    labelled(at.button, "Do not reset").click().run()
    assert not at.exception
    assert not at.tabs[1].warning
    assert not at.tabs[1].info
    assert users.sign_in(deployment, "m02", "m02-demo-2026").must_change_password is False
    password_events = "SELECT count(*) FROM audit_log WHERE action = 'user.password'"
    assert deployment.execute(password_events).fetchall() == [(0,)]
    # Confirmed: the one-time password, once, where the question was; the old password no longer works.
    labelled(at.button, "Reset the password of m02").click().run()
    labelled(at.button, "Reset the password").click().run()
    assert not at.exception
    assert not at.tabs[1].warning
    [shown] = [i.value for i in at.tabs[1].info]
    one_time = shown.split("`")[1]
    assert shown == f"One-time password for m02: `{one_time}`. Hand it over in person."
    assert users.sign_in(deployment, "m02", one_time).must_change_password is True
    with pytest.raises(SignInError):
        users.sign_in(deployment, "m02", "m02-demo-2026")


def users_tab(at: Any) -> list[tuple[str, str | None]]:
    """The Users tab's elements in order: each form by its id, a notice by its text, anything else by its type."""
    shown = []
    for element in at.tabs[1].children.values():
        if element.type == "form":
            shown.append(("form", element.proto.form.form_id))
        elif element.type in ("success", "error"):
            shown.append((element.type, element.value))
        else:
            shown.append((element.type, None))
    return shown


def test_a_users_notice_shows_below_the_form_or_button_that_did_it(deployment):
    # m01 locked out by five wrong passwords from one address.
    for _attempt in range(5):
        with pytest.raises(SignInError):
            users.sign_in(deployment, "m01", "not-the-password", source="10.0.0.9")
    at = start("admin", user=ADMIN)
    labelled(at.text_input, "User name").input("zhaomin")
    labelled(at.selectbox, "Manager of the exports (for a manager)").set_value("M2")
    labelled(at.text_input, "One-time password").input("first-password")
    labelled(at.button, "Add").click().run()
    assert not at.exception
    shown = users_tab(at)
    assert [s for s in shown if s[0] == "success"] == [("success", "zhaomin added.")]
    assert shown[shown.index(("form", "add_user")) + 1] == ("success", "zhaomin added.")
    at.selectbox(key="admin_user").set_value("m02").run()
    assert not [s for s in users_tab(at) if s[0] == "success"]
    at.checkbox(key="admin_active_m02").uncheck()
    labelled(at.button, "Save").click().run()
    shown = users_tab(at)
    assert [s for s in shown if s[0] == "success"] == [("success", "m02 changed.")]
    assert shown[shown.index(("form", "change_user")) + 1] == ("success", "m02 changed.")
    # The unlock button, below the same form, gives way to its notice.
    at.selectbox(key="admin_user").set_value("m01").run()
    labelled(at.button, "Unlock m01").click().run()
    assert not at.exception
    shown = users_tab(at)
    assert [s for s in shown if s[0] == "success"] == [("success", "m01 unlocked.")]
    assert shown[shown.index(("form", "change_user")) + 1 :][:2] == [("success", "m01 unlocked."), ("button", None)]
    assert "Unlock m01" not in [b.label for b in at.button]


def test_the_files_made_on_a_click_are_not_made_once_the_admins_access_has_ended(deployment, offered_data):
    at = app("admin", user=ADMIN)
    assert not at.run().exception
    keys = ("download-visits-entered-in-the-app", "download-app-data-csv", "download-app-data-parquet")
    assert [offered_data[key]()[:2] for key in keys[1:]] == [b"PK", b"PK"]
    # A reset signs the admin out everywhere: an open tab's click gets nothing.
    users.set_password(deployment, ADMIN.username, "another-horse-77", by="admin", must_change=True)
    for key in keys:
        with pytest.raises(dashboard.AccessEnded):
            offered_data[key]()

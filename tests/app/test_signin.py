"""Sign-in: the form, wrong passwords, lock-out, hashes only, sign-out, idle expiry, the first admin, demo users."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam import cli, config
from kam.ingest import bootstrap, loader
from kam.people import users
from kam.people.users import SignInError, User
from kam.store import db
from kam.ui import signin
from tests.apptest import app, cards, start

NOW = datetime(2026, 7, 1, 9, 0)
WANG = User("wangwei", "王伟", "manager", "M1")


def sign_in_with(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key=signin.NAME).input(username)
    at.text_input(key=signin.PASSWORD).input(password)
    return at.button[0].click().run()


def test_nobody_signed_in_sees_only_the_sign_in_form(portfolio):
    at = start("overview", user=None, as_of="2026-06-30")
    assert not at.exception
    assert [t.value for t in at.title] == ["Key accounts"]
    assert not at.metric and not at.dataframe and not at.sidebar.date_input


def test_a_wrong_password_is_refused_and_the_right_one_signs_in(portfolio):
    at = start(user=None, as_of="2026-06-30")
    sign_in_with(at, "vp", "not-the-password")
    assert [w.value for w in at.warning] == ["Wrong user name or password."]
    assert not at.metric
    sign_in_with(at, "vp", "vp-demo-2026")
    assert not at.exception
    assert [t.value for t in at.title] == ["Overview"]
    assert cards(at)["Active accounts"] == "4"
    # The password is never kept in the session.
    assert signin.PASSWORD not in at.session_state


def test_repeated_failures_lock_the_user_out(portfolio):
    with bootstrap.open_database(portfolio, config.settings().demo_dir) as con:
        policy = config.settings()
        for attempt in range(policy.max_failed_logins - 1):
            with pytest.raises(SignInError, match="Wrong user name or password"):
                users.sign_in(con, "vp", f"guess-{attempt}", now=NOW)
        with pytest.raises(SignInError, match=f"locked for {policy.lockout_minutes} minutes"):
            users.sign_in(con, "vp", "guess-last", now=NOW)
        # Locked: even the right password is refused until the lock-out has passed.
        with pytest.raises(SignInError, match="try again after 09:15"):
            users.sign_in(con, "vp", "vp-demo-2026", now=NOW + timedelta(minutes=5))
        later = NOW + timedelta(minutes=policy.lockout_minutes + 1)
        assert users.sign_in(con, "vp", "vp-demo-2026", now=later).role == "vp"
        actions = [
            r[0]
            for r in con.execute(
                "SELECT action FROM audit_log WHERE target = 'vp' AND action LIKE 'sign_in%' ORDER BY event_id"
            ).fetchall()
        ]
        assert actions == ["sign_in.failed"] * 5 + ["sign_in.locked", "sign_in"]


def test_passwords_are_stored_only_as_salted_hashes_and_never_logged(portfolio):
    at = start(user=None)
    sign_in_with(at, "vp", "wrong-password-123")
    sign_in_with(at, "vp", "vp-demo-2026")
    with db.connect(portfolio) as con:
        hashes = [r[0] for r in con.execute("SELECT password_hash FROM users").fetchall()]
        everything = repr(con.execute("SELECT * FROM users").fetchall())
        everything += repr(con.execute("SELECT * FROM audit_log").fetchall())
    assert all(h.startswith("scrypt$") for h in hashes)
    assert len(set(hashes)) == len(hashes)  # a salt per user
    for password in ("wrong-password-123", "vp-demo-2026", "admin-demo-2026", "m01-demo-2026"):
        assert password not in everything
    # The same password hashes differently each time, and verifies.
    assert users.hash_password("same-password") != users.hash_password("same-password")
    assert users.verify_password("same-password", users.hash_password("same-password"))


def test_sign_out_ends_the_session(portfolio):
    at = start(user=None)
    sign_in_with(at, "vp", "vp-demo-2026")
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Key accounts"]
    assert not at.metric
    assert signin.USER not in at.session_state
    with db.connect(portfolio) as con:
        assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'sign_out'").fetchall() == [(1,)]


def test_an_idle_session_is_signed_out(portfolio):
    at = start(user=None)
    sign_in_with(at, "vp", "vp-demo-2026")
    idle = config.settings().session_idle_minutes
    at.session_state[signin.SEEN] = datetime.now() - timedelta(minutes=idle + 1)
    at.run()
    assert [t.value for t in at.title] == ["Key accounts"]
    assert [w.value for w in at.warning] == [f"Signed out after {idle} minutes without activity."]


def test_the_first_admin_gets_a_one_time_password_on_the_console_only(new_portfolio, capfd):
    at = start(user=None)
    printed = capfd.readouterr().err
    password = re.search(r"User name: admin, one-time password: (\S+)", printed).group(1)
    assert password not in repr(at.session_state) and not any(password in t.value for t in at.title)
    sign_in_with(at, "admin", password)
    assert [t.value for t in at.title] == ["Choose your password"]
    at.text_input(key=signin.CURRENT).input(password)
    at.text_input(key=signin.NEW_PASSWORD).input("a-new-admin-password")
    at.text_input(key=signin.REPEAT).input("a-new-admin-password")
    at.button[0].click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Overview"]
    with db.connect(new_portfolio) as con:
        with pytest.raises(SignInError):
            users.sign_in(con, "admin", password)
        assert users.sign_in(con, "admin", "a-new-admin-password").role == "admin"


def test_demo_users_stop_working_once_real_exports_are_loaded(portfolio):
    with bootstrap.open_database(portfolio, config.settings().demo_dir) as con:
        assert users.sign_in(con, "m01", "m01-demo-2026").manager_id == "M01"
        bootstrap.load_exports(con, loader.folder_files(config.settings().demo_dir), "nightly", by="admin")
        with pytest.raises(SignInError):
            users.sign_in(con, "m01", "m01-demo-2026")
        # The first admin stays.
        assert con.execute("SELECT username FROM users WHERE active").fetchall() == [("admin",)]


def test_a_deactivated_user_is_signed_out_at_their_next_request(portfolio):
    at = start(user=None)
    sign_in_with(at, "vp", "vp-demo-2026")
    assert at.metric
    with db.connect(portfolio) as con:
        users.update_user(con, "vp", "admin", active=False)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Key accounts"]
    assert [w.value for w in at.warning] == ["Your access to this dashboard has ended; ask an admin."]
    assert not at.metric


def test_a_change_of_role_applies_at_the_next_request(portfolio):
    at = start("overview", user=WANG, as_of="2026-06-30")
    # 王伟's own accounts: K1 and K2 active at D.
    assert cards(at)["Active accounts"] == "2"
    with db.connect(portfolio) as con:
        users.update_user(con, "wangwei", "admin", role="vp")
        assert con.execute("SELECT manager_id FROM users WHERE username = 'wangwei'").fetchall() == [(None,)]
    at.run()
    assert cards(at)["Active accounts"] == "4"
    assert at.session_state[signin.USER].role == "vp"


# Single sign-on: what Streamlit's st.user holds after the company's OpenID Connect provider signed the user in.
AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-test-cookie-secret",
        "client_id": "kam",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://sso.example/.well-known/openid-configuration",
    }
}


def signed_on(email: str, **claims: object) -> AppTest:
    at = app(user=None, as_of="2026-06-30")
    at.secrets = AUTH
    at.user = {"is_logged_in": True, "email": email, **claims}
    return at.run()


def sign_in_events(portfolio: Path) -> list[tuple]:
    with db.connect(portfolio) as con:
        return con.execute(
            "SELECT username, action, after FROM audit_log WHERE action LIKE 'sign_in%' ORDER BY event_id"
        ).fetchall()


def test_single_sign_on_matches_a_manager_of_the_exports_by_email(portfolio):
    at = signed_on("M1@example.com", email_verified=True)
    assert not at.exception
    user = at.session_state[signin.USER]
    assert (user.role, user.manager_id, user.name) == ("manager", "M1", "王伟")
    # A manager lands on their worklist, and the scope holds only their accounts.
    assert [t.value for t in at.title] == ["My worklist"]
    assert at.session_state["scope"].allowed_accounts == frozenset({"K1", "K2", "K6"})
    assert sign_in_events(portfolio)[-1][:2] == ("m1@example.com", "sign_in")


def test_single_sign_on_prefers_the_user_record_with_that_email(portfolio):
    with bootstrap.open_database(portfolio, config.settings().demo_dir) as con:
        users.add_user(con, "lina", "李娜", "vp", "first-password", email="m2@example.com", by="admin")
    at = signed_on("m2@example.com")
    assert not at.exception
    assert at.session_state[signin.USER].username == "lina"
    assert [t.value for t in at.title] == ["Overview"]
    assert cards(at)["Active accounts"] == "4"


def test_single_sign_on_refuses_an_unknown_unverified_or_deactivated_email(portfolio):
    at = signed_on("stranger@example.com")
    assert not at.exception
    assert signin.USER not in at.session_state
    assert [w.value for w in at.warning] == ["stranger@example.com has no access to this dashboard; ask an admin."]
    assert [b.label for b in at.button] == ["Sign in with another company account"]
    assert not at.metric
    at.run()  # a rerun does not refuse (and log) the same e-mail again
    assert len([e for e in sign_in_events(portfolio) if e[0] == "stranger@example.com"]) == 1

    at = signed_on("m1@example.com", email_verified=False)
    assert signin.USER not in at.session_state and not at.metric
    assert "e-mail not verified" in sign_in_events(portfolio)[-1][2]

    # A deactivated user does not get in as the manager of the exports with the same e-mail either.
    with db.connect(portfolio) as con:
        users.add_user(con, "wang", "王伟", "manager", "first-password", "M1", "m1@example.com", by="admin")
        users.update_user(con, "wang", "admin", active=False)
    at = signed_on("m1@example.com")
    assert signin.USER not in at.session_state and not at.metric


def test_single_sign_on_offers_the_company_sign_in_instead_of_the_form(portfolio):
    at = app(user=None)
    at.secrets = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with the company account"]
    assert not at.text_input


def test_a_lost_one_time_password_is_reset_on_the_server_command_line(portfolio, capsys):
    bootstrap.open_database(portfolio, config.settings().demo_dir).close()
    capsys.readouterr()
    assert cli.main(["reset-password", "admin", "--db", str(portfolio)]) == 0
    password = re.search(r"One-time password for admin: (\S+) ", capsys.readouterr().out).group(1)
    with db.connect(portfolio) as con:
        assert users.sign_in(con, "admin", password).must_change_password
        assert password not in repr(con.execute("SELECT * FROM users, audit_log").fetchall())
    assert cli.main(["reset-password", "nobody", "--db", str(portfolio)]) == 1
    assert capsys.readouterr().err == "error: There is no user nobody.\n"


def test_a_link_keeps_its_filters_through_sign_in(portfolio):
    # The VP's start page, as a mailed link: a month to date as of 15 June, in one region.
    at = start(user=None, as_of="2026-06-15", period="month", region="华南")
    assert [t.value for t in at.title] == ["Key accounts"]
    sign_in_with(at, "vp", "vp-demo-2026")
    assert not at.exception
    assert at.sidebar.date_input(key="as_of").value == date(2026, 6, 15)
    assert at.sidebar.selectbox(key="period").value == "month"
    assert at.sidebar.multiselect(key="region").value == ["华南"]
    assert (at.query_params["as_of"], at.query_params["period"]) == ("2026-06-15", "month")
    # 华南 on 15 June: K3 (new in May) and K5; K4 churned on 15 May.
    assert cards(at)["Active accounts"] == "2"


def test_a_link_to_another_managers_account_shows_nothing_of_it_after_sign_in(portfolio):
    with db.connect(portfolio) as con:
        users.add_user(
            con, "wangwei", "王伟", "manager", "wang-password-1", "M1", by="admin", must_change_password=False
        )
    # K5 is 李娜's, not his.
    at = start("account", user=None, as_of="2026-06-30", account="K5")
    sign_in_with(at, "wangwei", "wang-password-1")
    assert not at.exception
    assert signin.USER in at.session_state
    assert not at.main.selectbox
    assert any("No account matches “K5”" in info.value for info in at.info)
    assert "戊公司" not in repr([m.value for m in at.main.markdown])

"""Single sign-on never guesses: an e-mail two managers of the exports share is refused with a clear message."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kam import config
from kam.people import users
from kam.store import db
from kam.ui import signin
from tests.apptest import app
from tests.portfolio import EXPORTS

# 张敏 (M3) was exported with 王伟's (M1) address.
SHARED = EXPORTS["managers.csv"].replace("M3,张敏,华东,m3@example.com", "M3,张敏,华东,M1@example.com")
REFUSED = (
    "Several managers in the exports have the e-mail m1@example.com, so single sign-on cannot tell who you are. "
    "Ask an admin to correct it."
)
AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-test-cookie-secret",
        "client_id": "kam",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://sso.example/.well-known/openid-configuration",
    }
}


@pytest.fixture
def shared_email(new_portfolio):
    (config.settings().demo_dir / "managers.csv").write_text(SHARED, encoding="utf-8")
    return new_portfolio


def signed_on(email: str) -> AppTest:
    at = app(user=None, as_of="2026-06-30")
    at.secrets = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True}
    return at.run()


def test_an_email_two_managers_share_is_refused_not_guessed(shared_email):
    at = signed_on("m1@example.com")
    assert not at.exception
    assert signin.USER not in at.session_state and not at.metric
    assert [w.value for w in at.warning] == [REFUSED]
    with db.connect(shared_email) as con:
        with pytest.raises(users.AmbiguousEmail):
            users.user_for_email(con, "M1@example.com")
        # The other managers still sign on.
        assert users.user_for_email(con, "m2@example.com").manager_id == "M2"
        [(after,)] = con.execute("SELECT after FROM audit_log WHERE action = 'sign_in.failed'").fetchall()
    assert "e-mail shared" in after


def test_an_email_two_users_share_is_refused(portfolio):
    signed_on("nobody@example.com")
    with db.connect(portfolio) as con:
        # Made before e-mails were checked for uniqueness.
        users.add_user(con, "lina", "李娜", "vp", "first-password", by="admin")
        users.add_user(con, "lina2", "李娜", "vp", "first-password", by="admin")
        con.execute("UPDATE users SET email = 'lina@example.com' WHERE username LIKE 'lina%'")
        with pytest.raises(users.AmbiguousEmail, match="Several users have the e-mail"):
            users.user_for_email(con, "lina@example.com")

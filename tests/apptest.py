"""Driving the app with Streamlit's AppTest, signed in as a given user."""

from __future__ import annotations

import secrets
from dataclasses import replace
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kam.config import settings
from kam.ingest.bootstrap import open_database
from kam.people import users
from kam.people.users import User
from kam.ui.dashboard import USER

ROOT = Path(__file__).resolve().parent.parent
ENTRY = Path(__file__).resolve().parent / "app_entry.py"
VP = User("vp", "Demo VP", "vp")
ADMIN = User("demo-admin", "Demo admin", "admin")


def enrol(user: User) -> User:
    """Make user an active user of the configured deployment (building its database if new).

    The app reads its signed-in user from the store on every run, so a session can only
    hold a user the store knows; returned as a session that signed in now holds it.
    """
    policy = settings()
    with open_database(policy.db_path, policy.demo_dir) as con:
        known = users.users(con).filter(username=user.username)
        if known.is_empty():
            password = secrets.token_urlsafe(12)
            users.add_user(
                con,
                user.username,
                user.name,
                user.role,
                password,
                user.manager_id,
                by="tests",
                must_change_password=False,
            )
        elif known.select("role", "manager_id", "active").row(0) != (user.role, user.manager_id, True):
            users.update_user(con, user.username, "tests", user.role, user.manager_id, active=True)
        [(generation,)] = con.execute("SELECT generation FROM users WHERE username = ?", [user.username]).fetchall()
    return replace(user, generation=generation)


# The period the hand-worked figures of the tests are for, unless a test names another
# (period=None: the app's own default, the last full week).
YEAR_TO_DATE = "ytd"


def app(page: str | None = None, user: User | None = VP, **query: str | list[str] | None) -> AppTest:
    """The app, not yet run: signed in as user (None: nobody), on pages/<page>.py, with a link's query."""
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    if user is not None:
        at.session_state[USER] = enrol(user)
    for key, value in ({"period": YEAR_TO_DATE} | query).items():
        if value is not None:
            at.query_params[key] = value
    if page is not None:
        at.switch_page(str(ROOT / "pages" / f"{page}.py"))
    return at


def start(page: str | None = None, user: User | None = VP, **query: str | list[str] | None) -> AppTest:
    """Run the app, on its default page or on pages/<page>.py."""
    return app(page, user, **query).run()


def cards(at: AppTest) -> dict[str, str]:
    """The page's metric cards, label → value as shown."""
    return {m.label: m.value for m in at.metric}

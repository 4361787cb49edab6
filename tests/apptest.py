"""Driving the app with Streamlit's AppTest, signed in as a given user."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from kam.dashboard import USER
from kam.users import User

ROOT = Path(__file__).resolve().parent.parent
ENTRY = Path(__file__).resolve().parent / "app_entry.py"
VP = User("vp", "Demo VP", "vp")
ADMIN = User("demo-admin", "Demo admin", "admin")


def app(page: str | None = None, user: User | None = VP, **query: str | list[str]) -> AppTest:
    """The app, not yet run: signed in as user (None: nobody), on pages/<page>.py, with a link's query."""
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    if user is not None:
        at.session_state[USER] = user
    for key, value in query.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(str(ROOT / "pages" / f"{page}.py"))
    return at


def start(page: str | None = None, user: User | None = VP, **query: str | list[str]) -> AppTest:
    """Run the app, on its default page or on pages/<page>.py."""
    return app(page, user, **query).run()

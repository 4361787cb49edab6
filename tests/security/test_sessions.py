"""A reset or a deactivation ends the user's open sessions; the new-password form needs the one-time password."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from kam.people import users
from kam.store import db
from kam.ui import signin
from tests.apptest import ADMIN, start

ENDED = "Your access to this dashboard has ended; ask an admin."


def sign_in_with(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key=signin.NAME).input(username)
    at.text_input(key=signin.PASSWORD).input(password)
    return at.button[0].click().run()


def choose_password(at: AppTest, current: str, new: str) -> AppTest:
    at.text_input(key=signin.CURRENT).input(current)
    at.text_input(key=signin.NEW_PASSWORD).input(new)
    at.text_input(key=signin.REPEAT).input(new)
    return at.button[0].click().run()


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_a_password_reset_ends_the_open_session_which_cannot_choose_a_password(portfolio):
    at = start(user=None)
    sign_in_with(at, "m01", "m01-demo-2026")
    assert titles(at) == ["My worklist"]
    with db.connect(portfolio) as con:
        one_time = users.reset_password(con, "m01", ADMIN)
    at.run()
    assert not at.exception
    assert titles(at) == ["Key accounts"]
    assert [w.value for w in at.warning] == [ENDED]
    assert signin.USER not in at.session_state

    # Only the one-time password opens the account, and the form asks for it again.
    sign_in_with(at, "m01", one_time)
    assert titles(at) == ["Choose your password"]
    choose_password(at, "not-the-one-time-password", "m01-chose-this-one")
    assert titles(at) == ["Choose your password"]
    assert [w.value for w in at.warning] == ["The current password is wrong."]
    choose_password(at, one_time, "m01-chose-this-one")
    assert not at.exception
    assert titles(at) == ["My worklist"]
    with db.connect(portfolio) as con:
        assert users.sign_in(con, "m01", "m01-chose-this-one").username == "m01"


def test_a_deactivation_ends_the_session_even_if_undone_before_its_next_request(portfolio):
    at = start(user=None)
    sign_in_with(at, "m01", "m01-demo-2026")
    with db.connect(portfolio) as con:
        users.update_user(con, "m01", "demo-admin", active=False)
        users.update_user(con, "m01", "demo-admin", active=True)
    at.run()
    assert titles(at) == ["Key accounts"]
    assert [w.value for w in at.warning] == [ENDED]
    # A change of role alone does not end it (it applies at the next request).
    sign_in_with(at, "m02", "m02-demo-2026")
    with db.connect(portfolio) as con:
        users.update_user(con, "m02", "demo-admin", role="vp")
    at.run()
    assert titles(at) == ["Overview"]
    assert at.session_state[signin.USER].role == "vp"


def test_an_admin_unlocks_a_locked_out_user_on_the_admin_page(portfolio):
    at = start(user=None)
    for attempt in range(5):
        sign_in_with(at, "m02", f"guess-{attempt}")
    assert [w.value for w in at.warning] == ["Too many failed attempts: locked for 15 minutes."]
    admin = start("admin", user=ADMIN)
    admin.selectbox(key="admin_user").set_value("m02").run()
    admin.button(key="admin_unlock").click().run()
    assert not admin.exception
    assert [s.value for s in admin.success] == ["m02 unlocked."]
    sign_in_with(at, "m02", "m02-demo-2026")
    assert titles(at) == ["My worklist"]

"""One-time passwords expire and cannot be kept; a retired demo user comes back only with a new password."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kam.config import Settings
from kam.people import users
from kam.people.users import SignInError, UserError
from kam.store import db, write
from tests.portfolio import build

POLICY = Settings()  # one_time_password_hours = 72
ADMIN = users.User("demo-admin", "Demo admin", "admin")


@pytest.fixture
def con(tmp_path: Path):
    connection = db.connect(build(tmp_path))
    write.write(connection, users.seed_demo_users)
    yield connection
    connection.close()


def test_a_one_time_password_expires(con):
    one_time = users.reset_password(con, "vp", ADMIN)
    with pytest.raises(SignInError, match="This one-time password has expired; ask an admin for a new one"):
        users.sign_in(con, "vp", one_time, now=datetime.now() + timedelta(hours=73), policy=POLICY)
    assert users.sign_in(con, "vp", one_time, now=datetime.now() + timedelta(hours=71)).must_change_password


def test_a_one_time_password_cannot_become_the_new_password(con):
    one_time = users.reset_password(con, "vp", ADMIN)
    signed = users.sign_in(con, "vp", one_time)
    with pytest.raises(UserError, match="Choose a password other than the one-time password"):
        users.change_own_password(con, signed, one_time, one_time)
    assert users.change_own_password(con, signed, one_time, "the-vp-chose-this").must_change_password is False
    assert users.sign_in(con, "vp", "the-vp-chose-this").username == "vp"


def test_a_retired_demo_user_let_in_again_needs_a_new_password(con):
    write.write(con, lambda cur: users.retire_demo_users(cur, "admin"))
    one_time = users.update_user(con, "m01", "demo-admin", active=True)
    assert one_time is not None
    with pytest.raises(SignInError, match="Wrong user name or password"):
        users.sign_in(con, "m01", "m01-demo-2026")
    assert users.sign_in(con, "m01", one_time).must_change_password
    # A regular user now: the next load does not retire it again.
    assert con.execute("SELECT demo, active FROM users WHERE username = 'm01'").fetchall() == [(False, True)]
    # Changing a user that was never retired hands out nothing.
    assert users.update_user(con, "m02", "demo-admin", role="vp") is None

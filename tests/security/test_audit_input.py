"""What a visitor types into the sign-in form reaches the audit log bounded, and never as typed when unknown."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam.people import users
from kam.people.users import SignInError
from kam.store import audit, db
from tests.portfolio import build


@pytest.fixture
def con(tmp_path: Path):
    connection = db.connect(build(tmp_path))
    users.add_user(connection, "vp", "赵总", "vp", "the-vp-password", by="tests", must_change_password=False)
    yield connection
    connection.close()


def stored(con) -> str:
    """Everything the audit log and the sign-in counters hold, as one text."""
    return repr(con.execute("SELECT * FROM audit_log").fetchall()) + repr(
        con.execute("SELECT * FROM sign_in_throttle").fetchall()
    )


def test_a_huge_user_name_is_cut_before_it_is_stored(con):
    huge = "x" * 5_000_000
    for _ in range(3):
        with pytest.raises(SignInError, match="Wrong user name or password"):
            users.sign_in(con, huge, "whatever")
    assert len(stored(con)) < 5_000
    # The sign-in rows (the load's row names the folder it read, as long as the test's temporary path).
    [(longest,)] = con.execute(
        """
        SELECT max(greatest(length(coalesce(username, '')), length(coalesce(target, ''))))
        FROM audit_log
        WHERE action LIKE 'sign_in.%'
        """
    ).fetchall()
    assert longest <= users.MAX_NAME


def test_a_password_typed_as_the_user_name_is_not_kept(con):
    with pytest.raises(SignInError, match="Wrong user name or password"):
        users.sign_in(con, "The-VP-Password-2026", "")
    assert "the-vp-password-2026" not in stored(con).lower()
    [event] = audit.events(con, action="sign_in.failed").to_dicts()
    assert (event["username"], event["target"]) == (None, users.UNKNOWN)
    # A known user's failures still name them.
    with pytest.raises(SignInError):
        users.sign_in(con, "VP", "a-wrong-password")
    assert audit.events(con, action="sign_in.failed", limit=1)["target"].to_list() == ["vp"]


def test_the_audit_log_bounds_any_name_it_is_handed(con):
    audit.record_alone(con, "s" * 10_000, "sign_in.failed", "t" * 10_000, after={"via": "single sign-on"})
    [event] = audit.events(con, action="sign_in.failed").to_dicts()
    assert (len(event["username"]), len(event["target"])) == (audit.MAX_NAME, audit.MAX_NAME)

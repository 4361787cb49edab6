"""A change of a user is checked at every field at once, and a refused one changes nothing."""

from __future__ import annotations

import duckdb
import pytest

from kam.people import users
from kam.people.users import InvalidUser, UserError

LAST_ADMIN = "chen is the last admin: make another user admin first."


@pytest.fixture
def people(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """chen, the only admin; liuna, a manager linked to M2 with an e-mail; zhao, a VP."""
    users.add_user(con, "chen", "陈总", "admin", "first-password", email="chen@example.com", by="setup")
    users.add_user(con, "liuna", "刘娜", "manager", "first-password", "M2", "liuna@example.com", by="setup")
    users.add_user(con, "zhao", "赵总", "vp", "first-password", by="setup")
    return con


def test_every_rule_a_change_breaks_is_told_at_its_field(people):
    # A VP made a manager without a link, with a malformed e-mail.
    assert users.changed_user_errors(people, "zhao", role="manager", manager_id="", email="not-an-email") == {
        "manager_id": "A manager must be linked to a manager id of the exports.",
        "email": "not-an-email is not an e-mail address.",
    }
    # The last admin demoted, given liuna's e-mail (in other letters): the role is what takes the admin away.
    assert users.changed_user_errors(people, "chen", role="vp", email="LIUNA@example.com") == {
        "role": LAST_ADMIN,
        "email": "liuna already has the e-mail LIUNA@example.com.",
    }
    # Kept from signing in while still an admin: said at whether they may sign in.
    assert users.changed_user_errors(people, "chen", role="admin", active=False) == {"active": LAST_ADMIN}
    # A manager left without a link ("" is none; None keeps the link).
    assert users.changed_user_errors(people, "liuna", manager_id="") == {
        "manager_id": "A manager must be linked to a manager id of the exports."
    }
    assert users.changed_user_errors(people, "liuna", manager_id=None, email=" liuna@example.com ") == {}
    with pytest.raises(UserError, match="There is no user nobody"):
        users.changed_user_errors(people, "nobody", role="vp")


def test_a_refused_change_raises_every_message_and_changes_nothing(people):
    stored = "SELECT role, manager_id, email, active FROM users WHERE username = 'chen'"
    before = people.execute(stored).fetchall()
    events = people.execute("SELECT count(*) FROM audit_log").fetchall()
    with pytest.raises(InvalidUser) as refused:
        users.update_user(people, "chen", "chen", role="vp", active=False, email="chen at example")
    assert refused.value.errors == {"role": LAST_ADMIN, "email": "chen at example is not an e-mail address."}
    assert people.execute(stored).fetchall() == before == [("admin", None, "chen@example.com", True)]
    assert people.execute("SELECT count(*) FROM audit_log").fetchall() == events

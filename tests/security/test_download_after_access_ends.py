"""A file made on click (the weekly brief) is not made once its user's access has ended."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam.ingest.bootstrap import open_database
from kam.people import users
from kam.people.users import User
from kam.ui.dashboard import AccessEnded, made_for
from tests.portfolio import build


@pytest.fixture
def con(tmp_path: Path):
    with open_database(build(tmp_path), tmp_path / "no-demo") as con:
        users.add_user(
            con, "wangwei", "王伟", "manager", "correct-horse-42", "M1", by="test", must_change_password=False
        )
        yield con


def test_the_brief_is_made_while_the_user_may_sign_in(con):
    wang = users.refresh(con, User("wangwei", "王伟", "manager", "M1"))
    assert made_for(wang, lambda: b"brief", con)() == b"brief"


@pytest.mark.parametrize("ending", ["deactivated", "password reset"])
def test_an_open_tab_gets_nothing_after_a_deactivation_or_a_reset(con, ending: str):
    wang = users.refresh(con, User("wangwei", "王伟", "manager", "M1"))
    download = made_for(wang, lambda: b"brief", con)
    if ending == "deactivated":
        users.update_user(con, "wangwei", "admin", active=False)
    else:
        users.set_password(con, "wangwei", "another-horse-77", by="admin", must_change=True)
    with pytest.raises(AccessEnded):
        download()

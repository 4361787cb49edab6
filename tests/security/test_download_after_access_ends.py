"""A file made on click (the weekly brief) is not made once its user's access has ended."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date
from pathlib import Path

import pytest

from kam import i18n
from kam.config import settings
from kam.ingest.bootstrap import open_database
from kam.metrics.scope import Scope
from kam.people import users
from kam.people.users import User
from kam.reports.brief import weekly_brief
from kam.ui.dashboard import AccessEnded, made_for
from tests.portfolio import build

NO_CHROMIUM = dataclasses.replace(settings(), browser_path="/nonexistent/chromium")


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


def test_the_brief_made_on_click_speaks_the_language_of_the_page_that_offered_it(con):
    wang = users.refresh(con, User("wangwei", "王伟", "manager", "M1"))
    year = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31), policy=NO_CHROMIUM)
    made: list[str] = []
    token = i18n.use_language("zh-CN")  # the Chinese page's run offers the download
    try:
        download = made_for(wang, lambda: weekly_brief(con, year), con)
    finally:
        i18n._language.reset(token)
    # Streamlit makes the file on a thread of its own, which has not the run's language.
    clicked = threading.Thread(target=lambda: made.append(download()))
    clicked.start()
    clicked.join()
    assert "<h1>简报 · 2026-01-01 至 2026-06-30 · " in made[0]
    assert "<h2>响应超时未关闭的投诉（2）</h2>" in made[0]
    assert i18n.language() == "en"

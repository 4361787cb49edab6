"""Which language the interface speaks: the switch, the user's kept choice, the browser's, the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam import config
from kam.store import db
from kam.ui.language import CHOSEN, SWITCH
from tests.app.test_signin import sign_in_with
from tests.apptest import VP, start


def kept_language(database: Path, username: str) -> str | None:
    with db.connect(database) as con:
        return db.scalar(con, "SELECT language FROM users WHERE username = $u", {"u": username})


def test_a_new_user_gets_the_deployments_default(portfolio: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KAM_LANGUAGE", "zh-CN")
    config.settings.cache_clear()
    at = start("overview", user=VP)
    assert not at.exception
    assert at.session_state[SWITCH] == "zh-CN"
    assert kept_language(portfolio, "vp") is None


def test_the_switch_is_kept_with_the_user_and_follows_them(portfolio: Path):
    at = start("overview", user=VP)
    assert at.session_state[SWITCH] == "en"
    at.sidebar.get("button_group")[0].set_value("zh-CN").run()
    assert not at.exception
    assert at.session_state[CHOSEN] == "zh-CN"
    assert kept_language(portfolio, "vp") == "zh-CN"
    # A new session of the same user (the next sign-in) speaks their language at once.
    again = start("overview", user=VP)
    assert again.session_state[SWITCH] == "zh-CN"
    with db.connect(portfolio) as con:
        [(after,)] = con.execute("SELECT after FROM audit_log WHERE action = 'user.language'").fetchall()
    assert '"zh-CN"' in after


def test_a_choice_on_the_sign_in_page_is_kept_with_the_user_who_signs_in(portfolio: Path):
    at = start(user=None)
    assert not at.exception
    switch = at.get("button_group")[0]
    assert switch.value == "en"
    switch.set_value("zh-CN").run()
    assert at.session_state[CHOSEN] == "zh-CN"
    # Nobody is signed in yet: nobody's choice changes.
    assert kept_language(portfolio, "vp") is None
    # The page reloads after a sign-in (to set the session cookie), losing this session: the choice is kept
    # with the user who signs in, so that the reloaded page speaks it.
    signed_in = sign_in_with(at, "vp", "vp-demo-2026")
    assert not signed_in.exception
    assert kept_language(portfolio, "vp") == "zh-CN"
    assert start("overview", user=VP).session_state[SWITCH] == "zh-CN"

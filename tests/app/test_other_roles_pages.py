"""A link to another role's page opens the user's start page, saying in their language that the page is not theirs."""

from __future__ import annotations

import pytest

from tests.app.test_access import WANG
from tests.apptest import ADMIN, VP, start


@pytest.mark.parametrize(
    ("user", "path", "heading", "message"),
    [
        (VP, "worklist", "Overview", "The page “My worklist” is not available to your role (Sales VP)"),
        (VP, "log_visit", "Overview", "The page “Log a visit” is not available to your role (Sales VP)"),
        (VP, "admin", "Overview", "The page “Admin” is not available to your role (Sales VP)"),
        (WANG, "admin", "My worklist", "The page “Admin” is not available to your role (Account manager)"),
        (ADMIN, "plans", "Overview", "The page “Account plans” is not available to your role (Administrator)"),
    ],
    ids=["vp-worklist", "vp-log-visit", "vp-admin", "manager-admin", "admin-plans"],
)
def test_another_roles_page_opens_the_start_page_saying_so(portfolio, user, path, heading, message):
    at = start(path, user=user)
    assert not at.exception
    assert [w.value for w in at.warning] == [f"{message}: your pages are in the sidebar."]
    # The start page alone: its title only, nothing of the page asked for.
    assert [t.value for t in at.title] == [heading]


def test_the_message_reads_in_chinese(portfolio, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KAM_LANGUAGE", "zh-CN")
    at = start("worklist", user=VP)
    assert [w.value for w in at.warning] == ["“我的待办清单”页面不对您的角色（销售副总）开放：您可用的页面见侧边栏。"]
    assert [t.value for t in at.title] == ["总览"]


def test_ones_own_page_says_nothing_of_the_kind(portfolio):
    at = start("plans", user=VP)
    assert not at.warning
    assert [t.value for t in at.title] == ["Account plans"]

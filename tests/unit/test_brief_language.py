"""The weekly brief in one language: a download in the page's, a scheduled brief in the recipient's."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from kam import i18n
from kam.config import settings
from kam.metrics.scope import Scope
from kam.people.users import User
from kam.reports.brief import mail_files, weekly_brief
from kam.store import db
from tests.portfolio import build

NO_CHROMIUM = dataclasses.replace(settings(), browser_path="/nonexistent/chromium")
YEAR = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31), policy=NO_CHROMIUM)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    return build(tmp_path)


def test_brief_in_chinese(portfolio: Path):
    with db.connect(portfolio) as con:
        html = weekly_brief(con, YEAR, language="zh-CN")
    assert "<html lang=zh-CN>" in html
    assert "<h1>周报 · 2026-01-01 – 2026-06-30 · 全部区域/客户经理/等级</h1>" in html
    # The hand-worked year to 2026-06-30 (tests/unit/test_brief.py): coverage 75.0%, two open breaches.
    assert "拜访覆盖率<b>75.0%</b>" in html
    assert "<h2>超时未处理完的投诉（2）</h2>" in html
    assert "<th>已受理时长</th>" in html
    assert "期间 2026年1月1日 至 2026年6月30日" in html
    assert '"Noto Sans CJK SC"' in html
    # The run's own language is untouched.
    assert i18n.language() == "en"


def test_brief_in_the_runs_language_by_default(portfolio: Path):
    with db.connect(portfolio) as con:
        html = weekly_brief(con, YEAR)
    assert "<html lang=en>" in html
    assert "<h2>Complaints past SLA, still open (2)</h2>" in html


@pytest.mark.parametrize(("stored", "heading"), [("zh-CN", "<h1>周报 · "), ("en", "<h1>Weekly brief · "), (None, None)])
def test_scheduled_brief_in_the_recipients_language(portfolio: Path, stored: str | None, heading: str | None):
    policy = dataclasses.replace(NO_CHROMIUM, language="zh-CN")
    wang = User("wangwei", "王伟", "manager", "M1", language=stored)
    with db.connect(portfolio) as con:
        _week, files = mail_files(con, wang, policy)
    html = dict(files)[next(name for name, _ in files if name.endswith(".html"))].decode("utf-8")
    # Without a stored choice: the deployment's default (Chinese here).
    assert (heading or "<h1>周报 · ") in html

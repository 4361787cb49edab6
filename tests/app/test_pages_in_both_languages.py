"""The sign-in page, the worklist, the visit form, the account view and the admin page in Chinese and in English.

Each page is run as every role that may open it, in both languages, and a few of its texts are
read back: a title, a metric label, a column header, a validation message. The Chinese comes from
the zh catalog (kam/locales); the database keeps its English (audit, reject reasons).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from streamlit.proto.Dataframe_pb2 import Dataframe
from streamlit.testing.v1 import AppTest

from kam import config, i18n
from kam.ingest import uploads as admin_uploads
from kam.ingest.bootstrap import open_database
from kam.people.users import User
from kam.present.text import markdown_text
from tests.app.test_tables import shown
from tests.apptest import ADMIN, VP, app
from tests.portfolio import EXPORTS

WANG = User("wangwei", "王伟", "manager", "M1")  # manages K1, K2 and K6
ROOT_ADMIN = User("admin", "Administrator", "admin")
# An admin who is no demo user: a load of real exports retires the demo users.
CHIEF = User("chief", "Chief", "admin")
ZH, EN = "zh-CN", "en"
PURPOSE = {ZH: "拜访目的", EN: "Purpose"}


def run(page: str | None, user: User | None, language: str | None, **query: str) -> AppTest:
    """The app on a page, with the language picked in the switch (None: the browser's, en-US)."""
    at = app(page, user, **query)
    if language is not None:
        at.session_state["language"] = language
    return at.run()


@contextmanager
def picking_in(language: str) -> Iterator[None]:
    """AppTest formats each choice with the format_func of the page, on the test's thread: speak its language."""
    token = i18n.use_language(language)
    try:
        yield
    finally:
        i18n._language.reset(token)


def headers(at: AppTest, index: int = 0) -> list[str]:
    """The column headers of the page's table as shown (a configured label, else the column's name)."""
    table = at.dataframe[index]
    config_ = json.loads(table.proto.columns or "{}")
    order = list(table.proto.column_order) or list(table.value.columns)
    return [config_.get(column, {}).get("label") or column for column in order]


def texts(at: AppTest) -> list[str]:
    """Every title, header, subheader, caption, message and markdown text of the run."""
    found = [e.value for kind in ("title", "header", "subheader", "caption", "markdown") for e in getattr(at, kind)]
    found += [e.value for kind in ("error", "warning", "info", "success") for e in getattr(at, kind)]
    return found


@pytest.mark.parametrize(
    ("language", "title", "button", "user_name"),
    [(ZH, "重点客户管理", "登录", "用户名"), (EN, "Key accounts", "Sign in", "User name")],
)
def test_the_sign_in_page_speaks_the_chosen_language(portfolio, language, title, button, user_name):
    at = run(None, None, language)
    assert not at.exception
    assert [t.value for t in at.title] == [title]
    assert [b.label for b in at.button] == [button]
    assert at.text_input(key="sign_in_name").label == user_name


def test_the_browser_language_is_used_before_a_choice(portfolio):
    at = app(None, None)
    at.context["locale"] = "zh-CN"
    at.run()
    assert [t.value for t in at.title] == ["重点客户管理"]


def test_the_language_survives_sign_out(portfolio):
    at = run("worklist", WANG, ZH)
    with picking_in(ZH):
        at.sidebar.button[0].click().run()
    assert [t.value for t in at.title] == ["重点客户管理"]
    assert [b.label for b in at.button] == ["登录"]


def test_a_refused_sign_in_is_said_in_chinese(portfolio):
    at = run(None, None, ZH)
    at.text_input(key="sign_in_name").set_value("nobody")
    at.text_input(key="sign_in_password").set_value("wrong-password-1")
    at.button[0].click().run()
    assert [w.value for w in at.warning] == ["用户名或密码错误。"]


@pytest.mark.parametrize(
    ("language", "title", "header", "column"),
    [(ZH, "我的待办清单", "应拜访（2）", "客户"), (EN, "My worklist", "Due for a visit (2)", "Account")],
)
def test_the_worklist_in_both_languages(portfolio, language, title, header, column):
    at = run("worklist", WANG, language)
    assert not at.exception
    assert [t.value for t in at.title] == [title]
    assert header in [h.value for h in at.header]
    assert headers(at)[0] == column
    # The sidebar: the role in the language, the period line.
    role = "客户经理" if language == ZH else "Account manager"
    assert any(c.value.endswith(f"王伟（{role}）" if language == ZH else f"王伟 ({role})") for c in at.sidebar.caption)


@pytest.mark.parametrize(
    ("language", "first"),
    [(ZH, ["客户", "拜访状态", "到期日"]), (EN, ["Account", "Visit status", "Due"])],
)
def test_the_worklist_shows_the_account_and_how_late_first_within_a_phones_width(portfolio, language, first):
    at = run("worklist", WANG, language)
    assert headers(at)[:3] == first
    # The account carries its name, its id after it (the grid wraps at spaces: an id first took a line of its own):
    # no second column of names.
    assert len(headers(at)) == 6
    assert list(at.dataframe[0].value["account_id"]) == ["甲公司 (K1)", "乙公司 (K2)"]
    config_ = json.loads(at.dataframe[0].proto.columns)
    order = list(at.dataframe[0].proto.column_order)
    # A phone 390 px wide has 356 px inside the table's border: the account (150 px), its status (105) and its due
    # date (85) read whole beside each other (340 px), in rows of three lines (72 px) where a long name and
    # "365 days overdue" wrap. No tick boxes before the rows (a to-do list's tick would read as done).
    assert [config_[column].get("width") for column in order[:3]] == [150, 105, 85]
    assert at.dataframe[0].proto.row_height == 72
    assert list(at.dataframe[0].proto.selection_mode) == [Dataframe.SelectionMode.SINGLE_CELL]


@pytest.mark.parametrize(
    ("language", "tap", "title"),
    [(ZH, "点击一行打开该客户。", "客户视图"), (EN, "Click a row to open the account.", "Account view")],
)
def test_a_tap_on_a_row_of_the_worklist_opens_its_account(portfolio, language, tap, title):
    at = run("worklist", WANG, language)
    assert tap in [c.value for c in at.caption]
    # 王伟's worklist: 甲公司 (K1, tier A) first, 乙公司 (K2, tier B) second; a tap on the second row's status.
    assert list(at.dataframe[0].value["account_id"][:2]) == ["甲公司 (K1)", "乙公司 (K2)"]
    # The list is of today: its table keyed by the day, as its download is.
    chosen = {"selection": {"rows": [], "columns": [], "cells": [[1, "due_status"]]}}
    at.session_state[f"table-my-worklist-{date.today():%Y-%m-%d}"] = chosen
    with picking_in(language):
        at.run()
    assert not at.exception
    assert [t.value for t in at.title] == [title]
    assert at.header[0].value == "乙公司 (K2)"
    assert at.query_params["account"] == "K2"


@pytest.mark.parametrize(
    ("language", "refusal", "save", "channel"),
    [(ZH, "请选择客户。", "保存拜访", "电话"), (EN, "Choose the account.", "Save visit", "Phone")],
)
def test_the_visit_form_refuses_in_the_language(portfolio, language, refusal, save, channel):
    at = run("log_visit", WANG, language)
    assert not at.exception
    assert at.button[0].label == save
    picker = at.selectbox(key="visit_channel")
    assert channel in picker.options
    with picking_in(language):
        picker.set_value("phone")
        at.button[0].click().run()
    assert not at.exception
    assert refusal in [e.value for e in at.error]


def test_a_saved_visit_is_confirmed_in_chinese_and_stored_with_its_codes(portfolio):
    at = run("log_visit", WANG, ZH, account="K1")
    assert "1 当面致谢" in at.selectbox(key="visit_purpose").options
    with picking_in(ZH):
        at.selectbox(key="visit_channel").set_value("in_person")
        at.selectbox(key="visit_purpose").set_value("thank")
        at.button[0].click().run()
    # 对 and the account's name side by side: no space between two Chinese characters.
    today = date.today().isoformat()
    assert f"{today} 对{markdown_text('甲公司 (K1)')} 的拜访已保存。" in [s.value for s in at.success]
    with open_database(portfolio, config.settings().demo_dir) as con:
        assert con.execute("SELECT channel, purpose FROM visits_app").fetchall() == [("in_person", "1 当面致谢")]
    # The account's visits name the step in the reader's language, as the form did.
    for language, purpose in ((ZH, "1 当面致谢"), (EN, "1 In person: thank the customer")):
        account = run("account", WANG, language, as_of=date.today().isoformat())
        [(headers, rows)] = [shown(d) for d in account.dataframe if PURPOSE[language] in shown(d)[0]]
        assert [row[headers.index(PURPOSE[language])] for row in rows][:1] == [purpose]


@pytest.mark.parametrize("user", [VP, WANG, ADMIN], ids=["vp", "manager", "admin"])
@pytest.mark.parametrize(
    ("language", "title", "labels", "followups"),
    [
        (ZH, "客户视图", ["客户经理 (M1)", "区域", "建档日期"], "拜访（"),
        (EN, "Account view", ["Manager (M1)", "Region", "Customer since"], "Visits ("),
    ],
)
def test_the_account_view_in_both_languages_for_every_role(portfolio, user, language, title, labels, followups):
    at = run("account", user, language, account="K1")
    assert not at.exception
    assert [t.value for t in at.title] == [title]
    # The archive's cards after the tier (whose Chinese name the catalog settles).
    assert [m.label for m in at.metric][1:4] == labels
    assert any(s.value.startswith(followups) for s in at.subheader)


@pytest.fixture
def deployment(portfolio: Path, monkeypatch: pytest.MonkeyPatch):
    """The portfolio deployment opened."""
    monkeypatch.setenv("KAM_IMPORT_DIR", str(config.settings().demo_dir))
    config.settings.cache_clear()
    with open_database(portfolio, config.settings().demo_dir) as con:
        yield con


class Upload:
    """An uploaded file, as st.file_uploader hands it over."""

    def __init__(self, name: str, text: str) -> None:
        self.name, self.data = name, text.encode("utf-8")

    @property
    def size(self) -> int:
        return len(self.data)

    def getvalue(self) -> bytes:
        return self.data


@pytest.mark.parametrize(
    ("language", "title", "tabs", "reason"),
    [
        (
            ZH,
            "管理",
            ["导入数据", "用户", "周报邮件", "审计日志", "应用中录入的拜访", "备份"],
            "在 accounts 中找不到“K9”",
        ),
        (
            EN,
            "Admin",
            ["Load exports", "Users", "Weekly brief by mail", "Audit log", "Visits entered in the app", "Backups"],
            None,
        ),
    ],
)
def test_the_admin_page_in_both_languages(deployment, language, title, tabs, reason):
    # A load with one order of an unknown account: its reason is stored in English, shown in the language.
    bad = EXPORTS["orders.csv"] + "O11,K9,2026-07-01,10\n"
    files = [Upload(name, bad if name == "orders.csv" else text) for name, text in EXPORTS.items()]
    admin_uploads.load_uploads(deployment, files, ROOT_ADMIN)
    stored = deployment.execute("SELECT reason FROM load_rejects").fetchall()
    assert stored == [("'K9' not found in accounts",)]

    at = run("admin", CHIEF, language)
    assert not at.exception
    assert [t.value for t in at.title] == [title]
    assert [t.label for t in at.tabs] == tabs
    with picking_in(language):
        at.selectbox(key="rejects_of_load").set_value(2).run()
    rejects = at.dataframe[1].value
    assert list(rejects["reason"]) == [reason or "'K9' not found in accounts"]
    if language == ZH:
        assert shown(at.dataframe[1])[0] == ["表", "文件", "行号", "行主键", "列", "原因"]


@pytest.mark.parametrize(("language", "entered_in"), [(ZH, "导入数据"), (EN, "Loaded exports")])
def test_the_account_views_visits_say_where_each_was_entered_in_words(portfolio, language, entered_in):
    at = run("account", VP, language, account="K1")
    entered = [set(table.value["source"]) for table in at.dataframe if "source" in table.value.columns]
    # K1's visits all come from the exports (tests/portfolio.py): its visit list and its follow-ups due.
    assert entered and all(sources == {entered_in} for sources in entered)


def test_a_refused_load_says_why_in_the_open_in_chinese(deployment, tmp_path, monkeypatch):
    # The import folder's accounts.csv lacks its tier column.
    folder = tmp_path / "import"
    folder.mkdir()
    for name, text in EXPORTS.items():
        if name == "accounts.csv":
            lines = text.splitlines()
            text = "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 4) for line in lines) + "\n"
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAM_IMPORT_DIR", str(folder))
    config.settings.cache_clear()
    at = run("admin", CHIEF, ZH)
    with picking_in(ZH):
        at.button[1].click().run()
    assert not at.exception
    [status] = at.status
    assert (status.label, status.state, status.proto.expanded) == ("未导入任何数据", "error", True)
    # The reason is shown as text: its Markdown escapes (accounts\\.csv) read as the plain characters.
    assert [e.value.replace("\\", "") for e in at.error] == [
        "未导入任何数据：accounts.csv：缺少数据表 accounts 的必需列 tier（或 客户等级 / 等级 / 客户级别 / 级别 / 分级）"
    ]


def test_a_demo_admin_finds_the_load_buttons_disabled_saying_why(deployment):
    at = run("admin", ADMIN, ZH)
    loads = [b for b in at.button if b.label.startswith("导入")]
    assert [b.label for b in loads] == ["导入上传的文件", f"导入文件夹 {config.settings().import_dir}"]
    assert all(b.disabled for b in loads)
    assert {b.help for b in loads} == {
        "您以演示用户身份登录，其密码是公开的，而导入正式数据会停用演示用户。请以正式管理员身份登录后再导入"
        "（首位管理员 `admin` 的一次性密码显示在服务器控制台上；也可在“用户”中添加管理员）。"
    }


@pytest.mark.parametrize(("language", "change"), [(ZH, "升级"), (EN, "upgrade")])
def test_the_tier_reviews_change_reads_as_a_word(portfolio, language, change):
    # At 2026-06-30 only K2 is up for review: assigned C, suggested B (tests/app/test_pages.py).
    at = run("tiers", VP, language, as_of="2026-06-30")
    [candidates] = [t.value for t in at.dataframe if "change" in t.value.columns]
    assert list(candidates["change"]) == [change]


NOTHING_TO_SHOW = (
    "Nothing to show for this period and these filters: choose a longer period or clear a filter in the sidebar."
)


@pytest.mark.parametrize("page", ["complaints", "satisfaction", "tiers", "visits", "managers"])
@pytest.mark.parametrize(
    ("language", "said"),
    [(ZH, "此期间和筛选条件下没有可显示的数据：可在侧栏选择更长的期间或清除筛选条件。"), (EN, NOTHING_TO_SHOW)],
)
def test_a_page_with_nothing_to_show_says_so_in_the_readers_language(portfolio, page, language, said):
    # Before any data: every chart of the page is empty.
    at = run(page, VP, language, as_of="2020-01-01")
    assert not at.exception
    assert said in [info.value for info in at.info]

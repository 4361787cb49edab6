"""The weekly-meeting pages in both languages, as the VP and as a manager: a metric label, a column
header and a chart title in the language chosen, and no exception."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam.people.users import User
from kam.ui.language import CHOSEN
from tests.app.test_tables import shown
from tests.apptest import ADMIN, VP, YEAR_TO_DATE, app

WANG = User("wangwei", "王伟", "manager", "M1")
# Per page and language: a metric card's label (None: the page has none), a column header, a chart title.
EXPECTED = {
    "overview": {
        "zh-CN": ("在册客户", "销售额", "月度销售额"),
        "en": ("Active accounts", "Revenue", "Revenue by month"),
    },
    "tiers": {
        "zh-CN": (None, "客户等级", "各等级在册客户数"),
        "en": (None, "Tier", "Active accounts by tier"),
    },
    "visits": {
        "zh-CN": (None, "覆盖率", "按拜访方式的每周拜访次数"),
        "en": (None, "Coverage", "Visits per week by channel"),
    },
    "complaints": {
        "zh-CN": ("响应达标率", "类别", "投诉响应达标率趋势"),
        "en": ("SLA met", "Category", "Complaint SLA met over time"),
    },
    "satisfaction": {
        "zh-CN": ("平均得分", "客户等级", "平均得分（1–5）趋势"),
        "en": ("Mean score", "Tier", "Mean score (1–5) over time"),
    },
    "managers": {
        "zh-CN": (None, "客户经理", "客户经理排名：销售达成率"),
        "en": (None, "Manager", "Managers by revenue attainment"),
    },
}

# Per page and language, the VP's files of the tables that are not of the period (year to 2026-06-30): the revenue by
# month of the 24 months to D, the tiers' tables of the 12 months to D (from D-364), the satisfaction trend and the
# comments of every survey up to D, and the lists of what stood at the end of D whenever it began (complaints still
# open, follow-ups due, each account's latest score, coverage), named by that day. A table of the period keeps it (the
# managers behind pace, the breaches opened in it, the visits per week). A manager's end in _own-accounts (_本人客户).
FILES = {
    "overview": {
        "en": {
            "revenue-by-month": "revenue-by-month_2024-07-01_2026-06-30",
            "open-breaches": "open-breaches_at-2026-06-30",
            "satisfaction-drops": "satisfaction-drops_at-2026-06-30",
            "executive-ties": "executive-ties_at-2026-06-30",
            "managers-behind-pace": "managers-behind-pace_2026-01-01_2026-06-30",
        },
        "zh-CN": {
            "revenue-by-month": "月度销售额_2024-07-01_2026-06-30",
            "open-breaches": "响应超时未关闭的投诉_截至2026-06-30",
            "satisfaction-drops": "满意度下降_截至2026-06-30",
            "executive-ties": "缺少高层关系的重点客户_截至2026-06-30",
            "managers-behind-pace": "进度落后的客户经理_2026-01-01_2026-06-30",
        },
    },
    "visits": {
        "en": {
            "coverage-by-tier": "coverage-by-tier_at-2026-06-30",
            "coverage-by-region": "coverage-by-region_at-2026-06-30",
            "coverage-by-manager": "coverage-by-manager_at-2026-06-30",
            "followups-due": "followups-due_at-2026-06-30",
            "visits-by-week": "visits-by-week_2026-01-01_2026-06-30",
        },
        "zh-CN": {
            "coverage-by-tier": "按客户等级的拜访覆盖率_截至2026-06-30",
            "coverage-by-region": "按区域的拜访覆盖率_截至2026-06-30",
            "coverage-by-manager": "按客户经理的拜访覆盖率_截至2026-06-30",
            "followups-due": "到期的跟进_截至2026-06-30",
            "visits-by-week": "每周拜访_2026-01-01_2026-06-30",
        },
    },
    "complaints": {
        "en": {
            "open-breaches": "open-breaches_at-2026-06-30",
            "open-ageing": "open-ageing_at-2026-06-30",
            "breaches": "breaches_2026-01-01_2026-06-30",
        },
        "zh-CN": {
            "open-breaches": "响应超时未关闭的投诉_截至2026-06-30",
            "open-ageing": "未结投诉账龄_截至2026-06-30",
            "breaches": "超时投诉_2026-01-01_2026-06-30",
        },
    },
    "tiers": {
        "en": {
            "tier-distribution": "tier-distribution_2025-07-01_2026-06-30",
            "tier-mix": "tier-mix_2025-07-01_2026-06-30",
            "abc-suggestion": "abc-suggestion_2025-07-01_2026-06-30",
            "review-candidates": "review-candidates_2025-07-01_2026-06-30",
        },
        "zh-CN": {
            "tier-distribution": "等级分布_2025-07-01_2026-06-30",
            "tier-mix": "等级结构变化_2025-07-01_2026-06-30",
            "abc-suggestion": "ABC分析建议等级_2025-07-01_2026-06-30",
            "review-candidates": "待复核客户_2025-07-01_2026-06-30",
        },
    },
    "satisfaction": {
        "en": {
            "satisfaction-trend": "satisfaction-trend_up-to-2026-06-30",
            "latest-comments": "latest-comments_up-to-2026-06-30",
            "satisfaction-drops": "satisfaction-drops_at-2026-06-30",
        },
        "zh-CN": {
            "satisfaction-trend": "满意度趋势_截至2026-06-30",
            "latest-comments": "最新评价_截至2026-06-30",
            "satisfaction-drops": "满意度下降_截至2026-06-30",
        },
    },
}
OWN = {"en": "_own-accounts", "zh-CN": "_本人客户"}


def run_in(page: str, user: User, language: str) -> AppTest:
    at = app(page, user, as_of="2026-06-30", period=YEAR_TO_DATE)
    at.session_state[CHOSEN] = language
    return at.run()


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def download_buttons(at: AppTest) -> list[tuple[str | None, str]]:
    """Per chart, the locale its config gives Plotly and the title of Plotly's download button in it."""
    configs = [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]
    words = [config.get("locales", {}).get(config.get("locale"), {}).get("dictionary", {}) for config in configs]
    text = "Download plot as a PNG"
    return [(config.get("locale"), said.get(text, text)) for config, said in zip(configs, words, strict=True)]


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("user", [VP, WANG], ids=["vp", "manager"])
@pytest.mark.parametrize("page", list(EXPECTED))
def test_page_speaks_the_chosen_language(
    page: str, user: User, language: str, portfolio: Path, offered_files: dict[str, str]
):
    at = run_in(page, user, language)
    assert not at.exception
    metric, header, title = EXPECTED[page][language]
    if metric is not None:
        assert metric in [m.label for m in at.metric]
    assert any(header in headers for headers, _rows in map(shown, at.dataframe))
    assert title in chart_titles(at)
    # The bar over each chart speaks the language: English is Plotly's own, with no locale given.
    button = {"zh-CN": ("zh-CN", "下载图片（PNG）"), "en": (None, "Download plot as a PNG")}[language]
    assert set(download_buttons(at)) == {button}
    own = OWN[language] if user.role == "manager" else ""
    files = FILES.get(page, {}).get(language, {})
    assert {key: offered_files[f"download-{key}"] for key in files} == {
        key: f"{name}{own}.csv" for key, name in files.items()
    }


def headers_of(at: AppTest) -> list[list[str]]:
    return [headers for headers, _rows in map(shown, at.dataframe)]


@pytest.mark.parametrize(
    ("language", "churned", "active"),
    [("zh-CN", "背离客户", "在册客户"), ("en", "Churned", "Active accounts")],
)
def test_the_retention_tables_count_churned_accounts(language: str, churned: str, active: str, portfolio: Path):
    """The portfolio's one churned account (K4, 2026-05, price, A, 华南, M2) is counted under its name."""
    at = run_in("retention", VP, language)
    assert not at.exception
    counts = [headers for headers in headers_of(at) if churned in headers]
    # By month, by tier, by region, by manager; none says the accounts are active.
    assert len(counts) == 4
    assert not any(active in headers for headers in headers_of(at))


def test_the_admin_tables_read_in_chinese(portfolio: Path):
    """Every header of the load history, rejected rows, users and audit log in Chinese; roles and actions too."""
    at = run_in("admin", ADMIN, "zh-CN")
    assert not at.exception
    history = [json.loads(at.dataframe[0].proto.columns)[c]["label"] for c in at.dataframe[0].proto.column_order]
    people, log = (shown(frame) for frame in at.dataframe[1:3])
    assert history == [
        "导入编号",
        "导入时间",
        "结果",
        "导入行数",
        "被拒行数",
        "导入人",
        "拒绝原因",
    ]
    # The load's files as one text, not a list's brackets.
    assert at.dataframe[0].value["files"][0].startswith("accounts.csv, ")
    # Its rejected rows: none, said in words (the table's headers: test_pages_in_both_languages).
    assert "导入 1 没有被拒的行。" in [c.value for c in at.caption]
    assert people[0] == [
        "用户名",
        "姓名",
        "角色",
        "客户经理",
        "电子邮件",
        "可登录",
        "锁定至",
        "最近登录",
    ]
    assert log[0] == ["事件编号", "时间", "用户名", "操作", "对象", "变更"]
    # The users of the portfolio: admin, demo-admin, m01, m02, vp (by name).
    assert [row[1:3] for row in people[1]] == [
        ["Administrator", "管理员"],
        ["Demo admin", "管理员"],
        ["Demo manager M01", "客户经理"],
        ["Demo manager M02", "客户经理"],
        ["Demo VP", "销售副总"],
    ]
    # The first admin was added last at the start: its event is the newest, its target the user added.
    assert log[1][0][3:5] == ["添加用户", "admin"]


def test_the_executive_coverage_table_reads_in_chinese(portfolio: Path):
    """K1, the portfolio's key account, has an executive contact (P1) but no executive visit."""
    at = run_in("overview", VP, "zh-CN")
    assert not at.exception
    table = next(shown(frame) for frame in at.dataframe if "无高层联系人" in shown(frame)[0])
    assert table[0] == ["客户", "客户经理", "无高层联系人", "90天内无高层拜访", "最近一次高层拜访"]
    assert [row[0] for row in table[1]] == ["甲公司 (K1)"]


@pytest.mark.parametrize(
    ("language", "caption", "reply", "fix"),
    [
        ("zh-CN", "自受理起的时长，以各列标题所示的小时或天计", "响应，中位数（小时）", "解决，中位数（天）"),
        (
            "en",
            "Time from opening, in hours or days as each column's header says",
            "Reply, median (hours)",
            "Fix, median (days)",
        ),
    ],
)
def test_the_complaint_times_caption_agrees_with_the_units_of_its_columns(
    language: str, caption: str, reply: str, fix: str, portfolio: Path
):
    """Year to date at 2026-06-30: M1's median first reply 25 h and M2's 1.5 h (median 13.25 h) read in hours,
    M1's median resolution 48 h and M2's 24 h (median 36 h) in days; the caption above says no single unit."""
    at = run_in("complaints", VP, language)
    assert not at.exception
    times = next(headers for headers in headers_of(at) if reply in headers)
    assert fix in times
    captions = [c.value for c in at.caption]
    assert any(c.startswith(caption) for c in captions), captions
    assert not any("小时数" in c or c.startswith("Hours from opening") for c in captions)


# Every page with a download, as someone who may open it, on the demo data (the richest tables), with what it needs
# (the demo data has no account plan: the plans page offers none).
M01 = User("m01", "Demo manager M01", "manager", "M01")
EVERY_PAGE = {
    "overview": (VP, {}),
    "tiers": (VP, {}),
    "visits": (VP, {}),
    "managers": (VP, {}),
    "complaints": (VP, {}),
    "satisfaction": (VP, {}),
    "retention": (VP, {}),
    "risk": (VP, {}),
    "credit": (VP, {}),
    "account": (VP, {"account": "K0001"}),
    "reviews": (VP, {}),
    "worklist": (M01, {}),
    "log_visit": (M01, {}),
    "admin": (ADMIN, {}),
}
# The admin's files for the CRM keep the contract's column names (DATA_CONTRACT.md), whatever the language.
MACHINE_FILES = {"download-visits-entered-in-the-app"}
# Letters a Chinese header may hold: the tiers (A类), the ABC analysis and the NPS, as the glossary writes them.
LATIN_KEPT = {"A", "B", "C", "ABC", "NPS"}


def latin_words(header: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", header)) - LATIN_KEPT


@pytest.mark.parametrize("page", list(EVERY_PAGE))
def test_every_download_of_a_chinese_screen_has_chinese_headers(page: str, on_demo: Path, offered_data: dict):
    """A column the registry (kam.present.columns) does not know is headed by its English name: none is left."""
    user, query = EVERY_PAGE[page]
    at = app(page, user, **query)
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    assert not at.exception
    headers = {}
    # A table's file (kam.ui.widgets.download) is keyed download-<its name>; the briefs by their buttons' texts.
    tables = {
        key: data for key, data in offered_data.items() if key.startswith("download-") and key not in MACHINE_FILES
    }
    for key, data in tables.items():
        made = data() if callable(data) else data
        if made.startswith(b"\xef\xbb\xbf"):  # not a ZIP file
            headers[key] = next(csv.reader(io.StringIO(made.decode("utf-8-sig"))))
    assert headers
    english = {key: [h for h in found if latin_words(h)] for key, found in headers.items()}
    assert not {key: found for key, found in english.items() if found}


def test_the_chinese_pages_say_tier_resolution_time_quarters_and_date_ranges_as_the_others_do(portfolio: Path):
    """Tier is 客户等级 and resolution time 解决时长 (docs/GLOSSARY.md); a quarter reads 2026年第2季度 on the retention
    page as on the reviews; a range of days reads "… 至 …" on the reviews as on every other page."""
    risk = run_in("risk", VP, "zh-CN")
    assert not risk.exception
    assert "按客户等级、区域和客户经理的健康度" in [h.value for h in risk.header]
    # The sidebar's period reads as the page's caption does.
    assert any(c.value.startswith("统计期 2026-01-01 至 2026-06-30 · ") for c in risk.sidebar.caption)
    # K1's C1: opened 2026-06-01 09:00, resolved 06-03 09:00: 48 hours, 2.0 days.
    account = app("account", VP, as_of="2026-06-30", period=YEAR_TO_DATE, account="K1")
    account.session_state[CHOSEN] = "zh-CN"
    account.run()
    assert not account.exception
    headers, rows = next(shown(frame) for frame in account.dataframe if "响应状态" in shown(frame)[0])
    assert "解决时长（天）" in headers
    assert rows[-1][headers.index("解决时长（天）")] == "2.0"
    # Its visits drawn one dot each along the days: a record of them, not a count.
    assert "拜访记录" in chart_titles(account)
    # K2 turns B on 2026-08-01: C up to 2026-06-30, written 'C类' as the tiers are everywhere.
    other = app("account", VP, as_of="2026-06-30", period=YEAR_TO_DATE, account="K2")
    other.session_state[CHOSEN] = "zh-CN"
    other.run()
    said = [e.value for e in (*other.caption, *other.markdown)]
    assert "截至日期前没有等级变更：始终为C类。" in said
    # The year to 2026-05-15: its first quarter whole, its second to that day.
    retention = app("retention", VP, as_of="2026-05-15", period=YEAR_TO_DATE)
    retention.session_state[CHOSEN] = "zh-CN"
    retention.run()
    assert not retention.exception
    quarters = next(f.value for f in retention.dataframe if {"period", "repeat_rate"} <= set(f.value.columns))
    assert list(quarters["period"]) == ["2026年第1季度", "2026年第2季度"]
    assert "2026年第2季度只统计到 2026-05-15：本季度尚未结束。" in [c.value for c in retention.caption]
    # The quarter of 2026-06-30, whole, beside the one before.
    reviews = run_in("reviews", VP, "zh-CN")
    assert not reviews.exception
    assert "2026-04-01 至 2026-06-30，对比 2026-01-01 至 2026-03-31" in [c.value for c in reviews.caption]

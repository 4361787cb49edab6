"""The weekly-meeting pages in both languages, as the VP and as a manager: a metric label, a column
header and a chart title in the language chosen, and no exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam.people.users import User
from kam.ui.language import CHOSEN
from tests.app.test_tables import shown
from tests.apptest import VP, YEAR_TO_DATE, app

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


def run_in(page: str, user: User, language: str) -> AppTest:
    at = app(page, user, as_of="2026-06-30", period=YEAR_TO_DATE)
    at.session_state[CHOSEN] = language
    return at.run()


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("user", [VP, WANG], ids=["vp", "manager"])
@pytest.mark.parametrize("page", list(EXPECTED))
def test_page_speaks_the_chosen_language(page: str, user: User, language: str, portfolio: Path):
    at = run_in(page, user, language)
    assert not at.exception
    metric, header, title = EXPECTED[page][language]
    if metric is not None:
        assert metric in [m.label for m in at.metric]
    assert any(header in headers for headers, _rows in map(shown, at.dataframe))
    assert title in chart_titles(at)

"""A link carries the sidebar's period by its code, so that it opens the same period in either language."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam import i18n
from kam.metrics.periods import period_in_link
from kam.ui.language import CHOSEN
from tests.apptest import app

# The sidebar lists the periods in kam.metrics.periods.PERIODS order: the month to date is the third.


def run_in(language: str, period: str) -> AppTest:
    at = app(None, as_of="2026-06-30", period=period)
    at.session_state[CHOSEN] = language
    return at.run()


@pytest.mark.parametrize(("language", "shown"), [("en", "Month to date"), ("zh-CN", "本月至今")])
def test_a_link_names_the_period_by_its_code(language: str, shown: str, portfolio: Path):
    at = run_in(language, "month")
    assert not at.exception
    period = at.sidebar.selectbox(key="period")
    assert (period.value, period.options[2]) == ("month", shown)
    # The overview's figures are June's, up to the as-of date.
    assert "2026-06-01" in at.caption[0].value and "2026-06-30" in at.caption[0].value
    assert at.query_params["period"] == "month"


def test_a_link_made_on_a_chinese_screen_opens_the_same_period_in_english(portfolio: Path):
    # Links made before they carried the code named the period in the language of the screen.
    at = run_in("en", "本月至今")
    period = at.sidebar.selectbox(key="period")
    assert (period.value, period.options[2]) == ("month", "Month to date")
    assert at.query_params["period"] == "month"


def test_choosing_a_period_puts_its_code_in_the_link(portfolio: Path):
    at = run_in("zh-CN", "month")
    # The selectbox finds the option by its name, in the language of the screen.
    token = i18n.use_language("zh-CN")
    try:
        at.sidebar.selectbox(key="period").set_value("quarter").run()
    finally:
        i18n._language.reset(token)
    assert not at.exception
    assert at.query_params["period"] == "quarter"
    assert "2026-04-01" in at.caption[0].value


def test_a_link_naming_no_period_opens_the_default():
    assert period_in_link(None) == period_in_link("") == period_in_link("next decade") == "last_week"
    assert period_in_link("Year to date") == period_in_link("本年至今") == period_in_link("ytd") == "ytd"


# The overview of a link naming a period the dashboard does not know, as of 2026-06-30 (a Tuesday): the default
# period, the last full week 06-22..06-28, in which no survey was answered (S5 06-05 and S7 06-10 came before it) and
# no account churned (K4 churned 05-15); K1, K2, K3 and K5 were active at its start.
UNKNOWN = {
    "en": {
        "note": "The link's period “year” was not recognised. Period shown: Last full week, 2026-06-22 – 2026-06-28.",
        "title": "Overview",
        "satisfaction": (
            "Satisfaction",
            "No survey",
            "No survey answered from 2026-06-22 to 2026-06-28 by the accounts in scope: customers are surveyed each "
            "half-year, so a week or a month often has none. Choose a longer period in the sidebar.",
        ),
        "churn": (
            "Churn rate",
            "0.0%",
            "Accounts churned from 2026-06-22 to 2026-06-28, as a share of the accounts active on 2026-06-22",
        ),
    },
    "zh-CN": {
        "note": "无法识别链接中的统计期“year”。当前显示的统计期：上一整周，2026-06-22 至 2026-06-28。",
        "title": "总览",
        "satisfaction": (
            "满意度",
            "无调查",
            "所选范围内的客户在 2026-06-22 至 2026-06-28 期间没有满意度调查答卷：满意度调查每半年进行一次，"
            "一周或一个月内常常没有。可在侧栏选择更长的统计期。",
        ),
        "churn": ("客户背离率", "0.0%", "2026-06-22 至 2026-06-28 背离的客户占 2026-06-22 在册客户的比例"),
    },
}


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_a_link_naming_an_unknown_period_says_so_and_the_overview_says_what_its_cards_count(
    language: str, portfolio: Path
):
    said = UNKNOWN[language]
    at = run_in(language, "year")
    assert not at.exception
    assert at.sidebar.selectbox(key="period").value == "last_week"
    assert [i.value for i in at.info if "year" in i.value] == [said["note"]]
    # Titled as the sidebar names the page, whatever the period: not a weekly overview of a quarter.
    assert [t.value for t in at.title] == [said["title"]]
    shown = {m.label: (m.label, m.value, m.help) for m in at.metric}
    assert shown[said["satisfaction"][0]] == said["satisfaction"]
    assert shown[said["churn"][0]] == said["churn"]
    if language == "en":
        # Once a period is chosen, the link's is no longer what is shown: the note goes. The quarter to 06-30 has
        # surveys S8 (1), S2 (4), S4 (2), S5 (3) and S7 (4): mean 2.80.
        at.sidebar.selectbox(key="period").set_value("quarter").run()
        assert not at.exception
        assert not [i.value for i in at.info if "year" in i.value]
        assert [t.value for t in at.title] == ["Overview"]
        assert next(m.value for m in at.metric if m.label == "Satisfaction") == "2.80"

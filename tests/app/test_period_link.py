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

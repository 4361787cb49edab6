"""The satisfaction page on the hand-worked portfolio of tests/portfolio.py, with no data, and on the demo data.

Surveys up to D = 2026-06-30 (score 1–5, NPS 0–10), with each account's tier at D and region:

    S1  K1 A 华东 2025-11-15  5  9        S6  K5 B 华南 2025-11-20  5  –
    S3  K2 C 华东 2025-11-10  4  7        S8  K4 A 华南 2026-04-10  1  9   (K4 churns on 05-15)
    S2  K1 A 华东 2026-05-20  4  10       S4  K2 C 华东 2026-05-25  2  3   “响应慢”
    S5  K3 C 华南 2026-06-05  3  –        S7  K5 B 华南 2026-06-10  4  8
    S9  K1 A 华东 2026-07-10  1  0   (after D)
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pytest import approx
from streamlit.testing.v1 import AppTest

from kam.present.charts import TIER_COLORS
from kam.ui.language import CHOSEN
from kam.ui.widgets import NO_DATA
from tests.apptest import cards, start

FIGURES = ("responses", "mean_score", "csat_pct", "nps_responses", "nps")


def at_june_end(**query: str | list[str]) -> AppTest:
    """The page as of 2026-06-30, year to date, opened from a link carrying the query."""
    at = start("satisfaction", **({"as_of": "2026-06-30"} | query))
    assert not at.exception
    return at


def frame(at: AppTest, *columns: str) -> pd.DataFrame:
    """The table that starts with the first of these columns and has all of them."""
    for shown in at.dataframe:
        if shown.value.columns[0] == columns[0] and set(columns) <= set(shown.value.columns):
            return shown.value
    raise AssertionError(f"no table with the columns {columns}")


def rows(at: AppTest, *columns: str) -> list[tuple]:
    """Those columns of the table that has them, missing values as None."""
    shown = frame(at, *columns)[list(columns)].astype(object)
    return [tuple(row) for row in shown.where(shown.notna(), None).itertuples(index=False)]


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def shows_no_data(at: AppTest) -> bool:
    return any(info.value == NO_DATA for info in at.info)


def test_cards_show_the_hand_worked_figures_of_the_year(portfolio: Path):
    at = at_june_end()
    # 2026 up to D: scores 4, 2, 3, 4, 1 → mean 2.8, 4 and above 2 of 5. NPS answers 10, 3, 8, 9:
    # 2 promoters and 1 detractor of 4 → 25.
    assert cards(at) == {"Mean score": "2.80", "CSAT": "40.0%", "NPS": "25", "Answers": "5"}
    assert len(at.get("plotly_chart")) == 4


def test_trend_per_half_year_and_per_quarter(portfolio: Path):
    at = at_june_end()
    # 2025-H2: 5, 4, 5, NPS answers 9 and 7 → 50. Every survey up to D, whatever the period.
    assert rows(at, "period", *FIGURES) == [
        ("2025-H2", 3, approx(14 / 3), 1.0, 2, 50.0),
        ("2026-H1", 5, 2.8, 0.4, 4, 25.0),
    ]
    at.segmented_control(key="csat_grain").set_value("quarter").run()
    assert not at.exception
    assert rows(at, "period", "responses", "mean_score") == [("2025-Q4", 3, approx(14 / 3)), ("2026-Q2", 5, 2.8)]
    # Per quarter and tier at D: K4 (A until it churned) and K1 in A, K5 in B, K2 and K3 in C.
    at.segmented_control(key="csat_by").set_value("tier").run()
    assert not at.exception
    assert rows(at, "period", "tier", "responses", "mean_score", "csat_pct") == [
        ("2025-Q4", "A", 1, 5.0, 1.0),
        ("2025-Q4", "B", 1, 5.0, 1.0),
        ("2025-Q4", "C", 1, 4.0, 1.0),
        ("2026-Q2", "A", 2, 2.5, 0.5),
        ("2026-Q2", "B", 1, 4.0, 1.0),
        ("2026-Q2", "C", 2, 2.5, 0.0),
    ]
    # The chart follows the figure chosen, one line per tier in the tier colours.
    at.segmented_control(key="csat_figure").set_value("csat_pct").run()
    assert not at.exception
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert figure["layout"]["title"]["text"] == "CSAT over time"
    assert figure["layout"]["yaxis"]["tickformat"] == ".0%"
    assert {line["name"]: line["line"]["color"] for line in figure["data"]} == TIER_COLORS


def test_period_figures_by_tier_and_region(portfolio: Path):
    at = at_june_end()
    assert rows(at, "tier", *FIGURES) == [
        ("A", 2, 2.5, 0.5, 2, 100.0),  # K1 4 (NPS 10), K4 1 (NPS 9)
        ("B", 1, 4.0, 1.0, 1, 0.0),  # K5 4 (NPS 8)
        ("C", 2, 2.5, 0.0, 1, -100.0),  # K2 2 (NPS 3), K3 3
    ]
    assert rows(at, "region", *FIGURES) == [
        ("华东", 2, 3.0, 0.5, 2, 0.0),  # K1 4 (10), K2 2 (3)
        ("华南", 3, approx(8 / 3), 0.333, 2, 50.0),  # K3 3, K5 4 (8), K4 1 (9); CSAT 1 / 3 held as shown, 33.3%
    ]
    assert rows(at, "score", "responses") == [(1, 1), (2, 1), (3, 1), (4, 2), (5, 0)]


def test_drops_and_latest_comments(portfolio: Path):
    at = at_june_end()
    # K2 fell to 2 (from 4), K1 (A) and K5 (B) to 4 (from 5); K3 has one score, K4 churned.
    assert "Drops (3)" in headers(at)
    assert rows(at, "account_id", "latest_score", "previous_score", "reason", "latest_comment") == [
        ("乙公司 (K2)", 2, 4, "fell 2 to a low score", "响应慢"),
        ("甲公司 (K1)", 4, 5, "fell 1", "交货及时"),
        ("戊公司 (K5)", 4, 5, "fell 1", None),
    ]
    assert rows(at, "surveyed_on", "account_id", "score", "comment") == [
        (pd.Timestamp("2026-05-25"), "乙公司 (K2)", 2, "响应慢"),
        (pd.Timestamp("2026-05-20"), "甲公司 (K1)", 4, "交货及时"),
    ]


def test_sidebar_filters_change_the_figures(portfolio: Path):
    at = at_june_end()
    # A at D: K1 (4, NPS 10) and K4 (1, NPS 9).
    at.sidebar.multiselect(key="tier").set_value(["A"]).run()
    assert not at.exception
    assert cards(at) == {"Mean score": "2.50", "CSAT": "50.0%", "NPS": "100", "Answers": "2"}
    assert "Drops (1)" in headers(at)
    # 华东: K1 4 (NPS 10) and K2 2 (NPS 3).
    at.sidebar.multiselect(key="tier").set_value([])
    at.sidebar.multiselect(key="region").set_value(["华东"]).run()
    assert not at.exception
    assert cards(at) == {"Mean score": "3.00", "CSAT": "50.0%", "NPS": "0", "Answers": "2"}
    # As of 2026-08-01 K1's 07-10 score of 1 (NPS 0) counts: 4, 2, 1 → 2.33; K1 is now a drop to 1.
    at.sidebar.date_input(key="as_of").set_value(date(2026, 8, 1)).run()
    assert not at.exception
    assert cards(at) == {"Mean score": "2.33", "CSAT": "33.3%", "NPS": "-33", "Answers": "3"}
    assert rows(at, "account_id", "latest_score", "previous_score") == [("甲公司 (K1)", 1, 4), ("乙公司 (K2)", 2, 4)]


@pytest.mark.parametrize(
    "query",
    [
        {"manager": "张敏 (M3)"},  # M3 manages no account
        {"manager": "王伟 (M1)", "tier": ["B"]},  # M1 has no B-account
        {"as_of": "2020-01-01"},  # before any data
    ],
    ids=["manager-without-accounts", "no-such-tier", "before-any-data"],
)
def test_no_data_is_said_so_without_empty_charts(portfolio: Path, query: dict[str, str | list[str]]):
    at = at_june_end(**query)
    assert shows_no_data(at)
    assert not at.get("plotly_chart")
    assert not at.metric
    assert "Drops (0)" in headers(at)
    assert any(info.value == "No comments up to the as-of date." for info in at.info)


def test_an_empty_period_still_shows_the_trend(portfolio: Path):
    # Nothing was surveyed in the week of 06-22 to 06-28, but the half-years up to then were.
    at = at_june_end(as_of="2026-06-28")
    at.sidebar.selectbox(key="period").set_value("this_week").run()
    assert not at.exception
    assert shows_no_data(at)
    assert not at.metric
    assert rows(at, "period", "responses") == [("2025-H2", 3), ("2026-H1", 5)]
    assert len(at.get("plotly_chart")) == 1
    # Its caption names the day it stops at, the as-of date (S9, 07-10, is after it: no 2026-H2).
    assert (
        "Every survey up to 2026-06-28, whatever the period's start, per half-year or quarter; one with no survey by "
        "that day is not drawn."
    ) in [c.value for c in at.caption]
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    assert not at.exception
    assert (
        "截至 2026-06-28 的全部调查（不论统计期从何时开始），按半年或季度统计；到该日还没有调查的半年或季度不显示。"
    ) in [c.value for c in at.caption]


def test_runs_on_the_demo_data(on_demo: Path):
    at = start("satisfaction")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 4
    assert not shows_no_data(at)
    for key, value in (("csat_figure", "nps"), ("csat_grain", "quarter"), ("csat_by", "region")):
        at.segmented_control(key=key).set_value(value).run()
        assert not at.exception
    at.sidebar.multiselect(key="tier").set_value(["B"]).run()
    assert not at.exception

"""The complaint SLA page on the hand-worked portfolio of tests/portfolio.py, with no data, and on the demo data.

Complaints opened in 2026 up to D = 2026-06-30, as they stood at the end of D (SLA 24 h):

    C6  K5 M2 华南 B  03-01 09:00  reply after 1 h, resolved after 24 h   met
    C1  K1 M1 华东 A  06-01 09:00  reply after 24 h, resolved after 48 h  met (24 h exactly)
    C2  K1 M1 华东 A  06-10 10:00  reply after 26 h, still open            breached
    C5  K5 M2 华南 B  06-20 09:00  reply after 2 h, resolved after 24 h   met
    C3  K2 M1 华东 C  06-29 08:00  no reply, 40 h old at the end of D      breached
    C4  K3 M2 华南 C  06-30 12:00  reply stamped 07-01: none yet, 12 h old pending
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kam.ui.language import CHOSEN
from kam.ui.widgets import NO_DATA
from tests.apptest import app, cards, start


def at_june_end(**query: str | list[str]) -> AppTest:
    """The page as of 2026-06-30, year to date, opened from a link carrying the query."""
    at = start("complaints", **({"as_of": "2026-06-30"} | query))
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


def labels(at: AppTest, *columns: str) -> list[str]:
    """The headers those columns of the table that has them show."""
    for shown in at.dataframe:
        if set(columns) <= set(shown.value.columns):
            config = json.loads(shown.proto.columns or "{}")
            return [config[column]["label"] for column in columns]
    raise AssertionError(f"no table with the columns {columns}")


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def shows_no_data(at: AppTest) -> bool:
    return any(info.value == NO_DATA for info in at.info)


def test_cards_show_the_hand_worked_sla_and_times(portfolio: Path):
    at = at_june_end()
    # Met C1, C5, C6 of the 5 decided: 60 %. Replies in 1, 2, 24 and 26 h: median 13 h,
    # 90th percentile 24 + 0.7 × 2 = 25.4 h. Resolutions 24, 24, 48 h: median 1 day, p90 24 + 0.8 × 24 = 43.2 h,
    # 1.8 days: in days, as every table reads a resolution.
    assert cards(at) == {
        "SLA met": "60.0%",
        "Met · breached · pending": "3 · 2 · 1",
        "First reply, median": "13.0 h",
        "First reply, 90th percentile": "25.4 h",
        "Resolution, median": "1.0 d",
        "Resolution, 90th percentile": "1.8 d",
    }
    assert len(at.get("plotly_chart")) == 5


def test_sla_over_time_per_month_and_per_week(portfolio: Path):
    at = at_june_end()
    assert rows(at, "period", "met", "breached", "pending", "met_pct") == [
        (pd.Timestamp("2026-03-01"), 1, 0, 0, 1.0),
        (pd.Timestamp("2026-06-01"), 2, 2, 1, 0.5),
    ]
    at.segmented_control(key="sla_grain").set_value("week").run()
    assert not at.exception
    # Weeks start on Monday: C6 was opened on Sunday 03-01, C4 on Tuesday 06-30.
    assert rows(at, "period", "met", "breached", "pending", "met_pct") == [
        (pd.Timestamp("2026-02-23"), 1, 0, 0, 1.0),
        (pd.Timestamp("2026-06-01"), 1, 0, 0, 1.0),
        (pd.Timestamp("2026-06-08"), 0, 1, 0, 0.0),
        (pd.Timestamp("2026-06-15"), 1, 0, 0, 1.0),
        (pd.Timestamp("2026-06-29"), 0, 1, 1, 0.0),
    ]


def test_sla_by_category_severity_and_manager(portfolio: Path):
    at = at_june_end()
    assert rows(at, "category", "met", "breached", "pending", "met_pct") == [
        ("交货", 0, 1, 0, 0.0),
        ("价格", 1, 0, 0, 1.0),
        ("服务", 1, 1, 0, 0.5),
        ("质量", 1, 0, 1, 1.0),
    ]
    # C4 has no severity in the export: the loader files it as medium.
    assert rows(at, "severity", "met", "breached", "pending", "met_pct") == [
        ("high", 1, 0, 0, 1.0),
        ("low", 1, 1, 0, 0.5),
        ("medium", 1, 1, 1, 0.5),
    ]
    by_manager = rows(at, "manager_id", "met", "breached", "pending", "met_pct")
    assert by_manager[1] == ("李娜 (M2)", 2, 0, 1, 1.0)
    assert by_manager[0][:4] == ("王伟 (M1)", 1, 2, 0)
    # 1 of 3 met: the table holds the share as shown, 33.3% (a percent column would cut 0.3333… to 33.3% but
    # 0.6667 to 66.6%).
    assert by_manager[0][4] == 0.333
    # M1 replied in 24 and 26 h and resolved C1 in 48 h; M2 replied in 1 and 2 h, resolved both in 24 h.
    # Each time column reads in one unit, by its median: first replies 25 h and 1.5 h (median 13.25 h) in
    # hours; resolutions 48 h and 24 h (median 36 h) in days, 2.0 and 1.0.
    times = rows(at, "manager_id", "responded", "response_median_hours", "resolved", "resolution_median_hours")
    assert [(m, n, round(reply, 1), r, round(resolved, 1)) for m, n, reply, r, resolved in times] == [
        ("王伟 (M1)", 2, 25.0, 1, 2.0),
        ("李娜 (M2)", 2, 1.5, 2, 1.0),
    ]
    assert labels(at, "response_median_hours", "resolution_median_hours") == [
        "Reply, median (hours)",
        "Fix, median (days)",
    ]


@pytest.mark.parametrize(
    ("language", "median", "p90", "headers"),
    [
        ("en", "1.0 d", "1.8 d", ["Fix, median (days)", "Fix, P90 (days)"]),
        ("zh-CN", "1.0 天", "1.8 天", ["解决，中位数（天）", "解决，90 分位（天）"]),
    ],
    ids=["en", "zh-CN"],
)
def test_resolution_reads_in_days_on_the_cards_the_tables_and_the_csv(
    portfolio: Path, offered_data: dict, language: str, median: str, p90: str, headers: list[str]
):
    at = app("complaints", as_of="2026-06-30")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    # Resolutions 24, 24 and 48 h: median 1.0, 90th percentile 1.8 days on the cards.
    shown = [m.value for m in at.metric]
    assert shown[-2:] == [median, p90]
    # M1 resolved C1 in 48 h, M2 both of theirs in 24 h: 2.0 and 1.0 days in the managers' table, median and p90.
    assert labels(at, "resolution_median_hours", "resolution_p90_hours") == headers
    times = rows(at, "manager_id", "resolution_median_hours", "resolution_p90_hours")
    assert [(median_, p90_) for _manager, median_, p90_ in times] == [(2.0, 2.0), (1.0, 1.0)]
    # The CSV's numbers as the table reads them, its headers naming the unit.
    data = offered_data["download-response-times-by-manager"]
    table = list(csv.reader(io.StringIO((data() if callable(data) else data).decode("utf-8-sig"))))
    at_median, at_p90 = table[0].index(headers[0]), table[0].index(headers[1])
    assert [(row[at_median], row[at_p90]) for row in table[1:]] == [("2.0", "2.0"), ("1.0", "1.0")]


def test_breach_list_has_hours_to_first_reply_and_ageing_counts_open_ones(portfolio: Path):
    at = at_june_end()
    assert "Breaches opened in the period (2)" in headers(at)
    # C2 was answered late (26 h); C3 has waited 40 h with no reply. Both are still open. In hours, as the 24 h
    # SLA and the cards read them, though each holds more than a day.
    breaches = rows(at, "complaint_id", "account_id", "response_hours", "waiting_hours", "open")
    assert [tuple(round(v, 1) if isinstance(v, float) else v for v in row) for row in breaches] == [
        ("C2", "甲公司 (K1)", 26.0, None, True),
        ("C3", "乙公司 (K2)", None, 40.0, True),
    ]
    assert labels(at, "response_hours", "waiting_hours") == ["Reply (hours)", "Waiting (hours)"]
    assert at.get("download_button")
    # Open at the end of D: C4 12 h, C3 40 h, C2 20 days.
    assert rows(at, "age_band", "complaints") == [
        ("< 1 day", 1),
        ("1–3 days", 1),
        ("3–7 days", 0),
        ("7–30 days", 1),
        ("> 30 days", 0),
    ]


def test_sidebar_filters_change_the_figures(portfolio: Path):
    at = at_june_end()
    # Tier C at D: K2's C3 breached, K3's C4 pending.
    at.sidebar.multiselect(key="tier").set_value(["C"]).run()
    assert not at.exception
    assert cards(at)["SLA met"] == "0.0%"
    assert cards(at)["Met · breached · pending"] == "0 · 1 · 1"
    assert "Breaches opened in the period (1)" in headers(at)
    # 华南 (K3, K4, K5): C5, C6 met, C4 pending.
    at.sidebar.multiselect(key="tier").set_value([])
    at.sidebar.multiselect(key="region").set_value(["华南"]).run()
    assert not at.exception
    assert cards(at)["SLA met"] == "100.0%"
    assert cards(at)["Met · breached · pending"] == "2 · 0 · 1"
    assert cards(at)["First reply, median"] == "1.5 h"
    assert "Breaches opened in the period (0)" in headers(at)


def test_the_as_of_date_decides_what_was_known(portfolio: Path):
    at = at_june_end()
    # At the end of 06-29, C3 is 16 h old with no reply: pending, not breached; C4 is not opened yet.
    at.sidebar.date_input(key="as_of").set_value(date(2026, 6, 29)).run()
    assert not at.exception
    assert cards(at)["SLA met"] == "75.0%"
    assert cards(at)["Met · breached · pending"] == "3 · 1 · 1"
    # At the end of 06-01, C1's reply (06-02 09:00) has not come yet: pending, 15 h old.
    at.sidebar.date_input(key="as_of").set_value(date(2026, 6, 1)).run()
    assert not at.exception
    assert cards(at)["Met · breached · pending"] == "1 · 0 · 1"
    assert cards(at)["First reply, median"] == "1.0 h"


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
    assert any(info.value.startswith("No complaint open at the end of") for info in at.info)


def test_open_complaints_age_even_when_none_was_opened_in_the_period(portfolio: Path):
    # The week of 06-22 to 06-28: nothing opened, but C2 (06-10, unresolved) is 18 days old.
    at = at_june_end(as_of="2026-06-28")
    at.sidebar.selectbox(key="period").set_value("this_week").run()
    assert not at.exception
    assert shows_no_data(at)
    assert dict(rows(at, "age_band", "complaints"))["7–30 days"] == 1
    assert len(at.get("plotly_chart")) == 1


def test_runs_on_the_demo_data(on_demo: Path):
    at = start("complaints")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 5
    assert not shows_no_data(at)
    at.segmented_control(key="sla_grain").set_value("week").run()
    assert not at.exception
    at.sidebar.multiselect(key="tier").set_value(["A"]).run()
    assert not at.exception


def test_open_breaches_at_d_are_listed_apart_from_those_opened_in_the_period(portfolio: Path):
    # The week of 06-29 to 07-05, as of 06-30. Opened in it and past the SLA: C3 (06-29, no reply, 40 h old).
    # Past the SLA and still open at the end of 06-30, whenever opened (the overview's list): C2 (06-10, replied
    # after 26 h, 20 days 14 h = 494 h old) and C3. Open at the end of 06-30: C2, C3 and C4 (pending, 12 h old).
    at = at_june_end(period="this_week")
    assert not at.exception
    assert "Breaches opened in the period (1)" in headers(at)
    assert "Complaints past SLA, still open (2)" in headers(at)
    # Their ages read in days, as the overview's: 494 / 24 = 20.58 and 40 / 24 = 1.67, to one decimal.
    assert rows(at, "complaint_id", "account_id", "manager_id", "age_hours") == [
        ("C2", "甲公司 (K1)", "王伟 (M1)", 20.6),
        ("C3", "乙公司 (K2)", "王伟 (M1)", 1.7),
    ]
    # The overview's columns, under the overview's headers.
    columns = ("complaint_id", "account_id", "manager_id", "opened_at", "category", "severity", "age_hours")
    [listed] = [d for d in at.dataframe if "age_hours" in d.value.columns]
    assert list(listed.proto.column_order) == list(columns)
    assert labels(at, *columns) == [
        "Complaint", "Account", "Manager", "Opened", "Category", "Severity", "Open for (days)"
    ]  # fmt: skip
    captions = [c.value for c in at.caption]
    assert (
        "Complaints not resolved by the end of 2026-06-30, whenever opened, by age: 3 in all, 2 of them past the SLA."
    ) in captions


@pytest.mark.parametrize(
    ("language", "header", "waiting", "files"),
    [
        (
            "en",
            ["Complaint", "Account", "Manager", "Opened", "Category", "Severity", "Open for (days)"],
            "Waiting (hours)",
            {
                "open-breaches": "open-breaches_at-2026-06-30.csv",
                "open-ageing": "open-ageing_at-2026-06-30.csv",
                "breaches": "breaches_2026-06-29_2026-06-30.csv",
            },
        ),
        (
            "zh-CN",
            ["投诉", "客户", "客户经理", "受理时间", "类别", "严重程度", "已受理时长（天）"],
            "等待（小时）",
            {
                "open-breaches": "响应超时未关闭的投诉_截至2026-06-30.csv",
                "open-ageing": "未结投诉账龄_截至2026-06-30.csv",
                "breaches": "超时投诉_2026-06-29_2026-06-30.csv",
            },
        ),
    ],
)
def test_the_open_breaches_download_reads_as_the_table_and_is_named_by_the_as_of_date(
    language: str, header: list[str], waiting: str, files: dict[str, str], portfolio: Path, offered_files, offered_data
):
    # The week of 06-29 to 07-05 as of 06-30. Still open past the SLA at the end of 06-30: C2 (opened 06-10 10:00,
    # 494 h = 20.58 days) and C3 (06-29 08:00, 40 h = 1.67 days), whenever opened: the file is named by the day they
    # are open at, not by the week. The breaches opened in the week (C3) are the week's, up to the as-of date.
    at = app("complaints", as_of="2026-06-30", period="this_week")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    written = list(csv.reader(io.StringIO(offered_data["download-open-breaches"]().decode("utf-8-sig"))))
    # The unit and the values the screen shows (20.6 and 1.7 days), not hours (494.0, 40.0).
    assert written[0] == header
    assert [(row[0], row[6]) for row in written[1:]] == [("C2", "20.6"), ("C3", "1.7")]
    # The breach opened in the week: C3, waiting 40 h for a reply, in hours as on the screen and as the SLA reads.
    opened = list(csv.DictReader(io.StringIO(offered_data["download-breaches"]().decode("utf-8-sig"))))
    assert [(row[header[0]], row[waiting]) for row in opened] == [("C3", "40.0")]
    assert {key: offered_files[f"download-{key}"] for key in files} == files

"""The default as-of date is the date the exports run to: what users enter in the app never moves it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam.people.users import User
from kam.store import db
from kam.ui.language import CHOSEN
from kam.visits import log as visit_log
from kam.visits.rules import VisitDraft
from tests.app.test_access import DASHBOARD
from tests.apptest import app, start

WANG = User("wangwei", "王伟", "manager", "M1")


def headline(at: AppTest) -> dict[str, tuple[str, str | None]]:
    """Every headline card (value and change) and every attention list's title with its count."""
    figures = {m.label: (m.value, m.delta) for m in at.metric}
    return figures | {e.label: ("", None) for e in at.expander}


def test_a_visit_dated_after_the_exports_changes_no_vp_figure(portfolio: Path):
    before = start()
    assert not before.exception
    assert str(before.sidebar.date_input(key="as_of").value) == "2026-08-01"
    shown = headline(before)
    # Eight figures of the period, and the plan and executive coverage of key accounts.
    assert len([label for label in shown if "(" not in label]) == 10
    # 王伟 visits K2 (overdue at 2026-08-01) on 08-10, after the exports end.
    with db.connect(portfolio) as con:
        draft = VisitDraft("K2", date(2026, 8, 10), "in_person", "thank")
        visit_log.save_visit(con, draft, WANG, now=datetime(2026, 8, 10, 17))
        assert con.execute("SELECT count(*) FROM visits WHERE visit_date > DATE '2026-08-01'").fetchall() == [(1,)]
    after = start()
    assert not after.exception
    assert str(after.sidebar.date_input(key="as_of").value) == "2026-08-01"
    assert headline(after) == shown


def test_a_period_the_exports_have_not_reached_says_so(portfolio: Path):
    at = start(as_of="2026-08-20")
    at.sidebar.selectbox(key="period").set_value("this_week").run()
    assert not at.exception
    assert [i.value for i in at.info if "No export data" in i.value] == [
        "No export data for this period yet: exports run to 2026-08-01. "
        "Choose an earlier period or as-of date in the sidebar."
    ]
    assert not at.metric


def test_the_default_period_is_the_last_full_week_the_exports_cover(portfolio: Path):
    at = start(period=None)
    assert not at.exception
    # The exports run to Saturday 2026-08-01: the last full week is Monday 07-20 to Sunday 07-26.
    assert at.sidebar.selectbox(key="period").value == "last_week"
    # The sidebar's as-of date is 08-01: it says that the figures are taken at the week's end, as the page does.
    assert (
        at.sidebar.caption[0].value
        == "Period 2026-07-20 – 2026-07-26 (figures as of 2026-07-26) · exports run to 2026-08-01"
    )
    # The page says its as-of date is the week's end, beside the sidebar's later one (both read 截至 in Chinese).
    assert at.caption[0].value.startswith(
        "As of 2026-07-26, the period's last day (the sidebar's as-of date is 2026-08-01) · period 2026-07-20 to "
        "2026-07-26"
    )
    assert at.sidebar.date_input(key="as_of").help == (
        "Figures count events up to the end of this day, or of the period's last day when the period ends before it."
    )
    # That week: O10 (K6, 100) on 07-20; the week before: no order.
    assert at.metric[6].label == "Revenue" and at.metric[6].value == "¥100"
    # Year to date beside it, to the same Sunday: O3 3,000, O4 9,999, O5 1,000, O7 500, O9 400, O10 100.
    year = next(c.value for c in at.caption if c.value.startswith("**Year to date**"))
    # 14,999 in all, written as money in a sentence is: ¥15K.
    assert year.startswith("**Year to date** (2026-01-01 to 2026-07-26): revenue ¥15K,")


def test_point_in_time_figures_are_taken_at_the_periods_end(portfolio: Path):
    # K6 is created on 07-15: not an account yet at the end of the week of 07-06..07-12,
    # although it is one at the as-of date 08-01.
    at = start(period="custom", range=["2026-07-06", "2026-07-12"])
    assert not at.exception
    assert at.caption[0].value.startswith(
        "As of 2026-07-12, the period's last day (the sidebar's as-of date is 2026-08-01)"
    )
    assert at.sidebar.date_input(key="as_of").value == date(2026, 8, 1)
    assert at.sidebar.caption[0].value.startswith("Period 2026-07-06 – 2026-07-12 (figures as of 2026-07-12)")
    # Active on 07-12: K1, K2, K3, K5 (K4 churned in May, K6 not yet created).
    assert at.metric[0].value == "4"


def test_a_page_says_in_chinese_which_day_its_figures_are_as_of(portfolio: Path):
    # The last full week before 08-01 (07-20..07-26), figures taken at its end; the sidebar's date is 08-01.
    at = app("managers", period=None)
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    assert not at.exception
    # Within a sentence the date is plain; the line below says it is the period's last day.
    assert at.caption[0].value == (
        "期间 2026-07-20 至 2026-07-26，客户截至 2026-07-26 · 无可计量数据时显示 –  \n"
        "2026-07-26 为统计期最后一天；侧栏截至日期为 2026-08-01。"
    )
    # A period that ends on the sidebar's date needs no more than that date.
    at = app("managers", period="ytd")
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    assert at.caption[0].value.startswith("期间 2026-01-01 至 2026-08-01，客户截至 2026-08-01 ·")


AFTER_DATA = "The exports run to 2026-08-01: the days after it have no data yet, so figures for them are not final."


def said_after_data(at: AppTest, note: str) -> list[str]:
    """Every text of the page that holds the note."""
    texts = [e.value for e in (*at.caption, *at.markdown, *at.info, *at.warning)]
    return [text for text in texts if note in text]


@pytest.mark.parametrize("page", [*DASHBOARD, "reviews"])
def test_an_as_of_date_after_the_data_date_is_said_once_under_the_pages_title(portfolio: Path, page: str):
    # The exports run to 2026-08-01; the month to Wednesday 08-05 has four days without data.
    at = start(page, as_of="2026-08-05", period="month")
    assert not at.exception
    assert said_after_data(at, AFTER_DATA) == [at.caption[0].value]
    assert at.caption[0].value.endswith(f"  \n{AFTER_DATA}")


def test_the_overview_says_its_changes_count_days_without_data(portfolio: Path):
    at = start(as_of="2026-08-05", period="month")
    assert at.caption[0].value == (
        "As of 2026-08-05 · period 2026-08-01 to 2026-08-05 · changes against the previous period of the same length"
        f"  \n{AFTER_DATA}"
    )
    # At the data date, and for a period ending by it (figures taken at its end), nothing is after the data.
    for at in (
        start(as_of="2026-08-01", period="month"),
        start(as_of="2026-08-05", period="custom", range=["2026-07-06", "2026-07-12"]),
    ):
        assert not at.exception
        assert said_after_data(at, "The exports run to") == []


def test_the_note_after_the_data_date_in_chinese(portfolio: Path):
    at = app("managers", as_of="2026-08-05", period="month")
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    assert not at.exception
    assert at.caption[0].value == (
        "期间 2026-08-01 至 2026-08-05，客户截至 2026-08-05 · 无可计量数据时显示 –  \n"
        "导出数据只到 2026-08-01（数据日期）：此后的日子还没有数据，涉及这些日子的数字尚非最终结果。"
    )

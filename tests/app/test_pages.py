"""The overview, tiers and visit-compliance pages on the hand-worked portfolio, the demo data and no data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam.ui.language import CHOSEN
from tests.app.test_tables import shown
from tests.apptest import app, cards, start

PAGES = ["overview", "tiers", "visits"]


def at_june_end(page: str, **filters: str) -> AppTest:
    """The page as of 2026-06-30, year to date, opened from a link carrying the filters."""
    return start(page, **({"as_of": "2026-06-30"} | filters))


def tables(at: AppTest, first_column: str) -> list[list[tuple]]:
    """The rows of every table on the page whose first column is first_column, in page order."""
    return [
        [tuple(row) for row in frame.value.itertuples(index=False)]
        for frame in at.dataframe
        if frame.value.columns[0] == first_column
    ]


def table(at: AppTest, first_column: str) -> list[tuple]:
    """The rows of the first table on the page whose first column is first_column."""
    found = tables(at, first_column)
    if not found:
        raise AssertionError(f"no table starting with {first_column!r}")
    return found[0]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_the_demo_data(page: str, on_demo: Path):
    at = start(page)
    assert not at.exception
    assert at.get("plotly_chart")


@pytest.mark.parametrize("page", PAGES)
def test_page_says_so_when_the_filters_leave_no_data(page: str, portfolio: Path):
    # M3 manages no account. The link carries the manager as the sidebar shows it.
    at = at_june_end(page, manager="张敏 (M3)")
    assert not at.exception
    assert not at.get("plotly_chart")
    if page != "overview":
        assert any("Nothing to show for this period and these filters" in info.value for info in at.info)


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_nothing_before_any_data(page: str, portfolio: Path):
    # The first account of the portfolio is created on 2024-01-01.
    at = start(page)
    at.sidebar.date_input(key="as_of").set_value(date(2020, 1, 1)).run()
    assert not at.exception
    assert not at.get("plotly_chart")
    assert any("Nothing to show for this period and these filters" in info.value for info in at.info)
    if page == "overview":
        shown = cards(at)
        assert (shown["Active accounts"], shown["Visit coverage"], shown["Revenue"]) == ("0", "–", "¥0")


def test_tiers_page_counts_active_accounts_by_tier_and_follows_the_tier_filter(portfolio: Path):
    # Active at 2026-06-30: K1 (A), K5 (B since 06-01), K2 and K3 (C). K4 churned, K6 not yet created.
    at = at_june_end("tiers")
    assert not at.exception
    assert [row[:2] for row in table(at, "tier")] == [("A", 1), ("B", 1), ("C", 2)]
    at.sidebar.multiselect(key="tier").set_value(["C"]).run()
    assert not at.exception
    assert [row[:2] for row in table(at, "tier")] == [("A", 0), ("B", 0), ("C", 2)]


def test_tiers_page_lists_the_review_candidates(portfolio: Path):
    # Revenue of the 12 months to D: K1 8000, K2 1000, K5 1000, K3 none; 10,000 in all.
    # Cumulative shares 0.8, 0.9, 1.0, 1.0: K1 A (assigned A), K2 B (assigned C), K5 B, K3 C.
    at = at_june_end("tiers")
    suggested = [(row[1], row[2], row[3]) for row in table(at, "rank")]
    assert suggested == [
        ("A", "A", "甲公司 (K1)"),
        ("C", "B", "乙公司 (K2)"),
        ("B", "B", "戊公司 (K5)"),
        ("C", "C", "丙公司 (K3)"),
    ]
    assert "Review candidates (1)" in [h.value for h in at.subheader]
    # Only K2 is assigned a tier (C at D) other than its suggested one (B): an upgrade, rank 2.
    pareto, candidates = tables(at, "rank")
    assert len(pareto) == 4
    assert [row[:8] for row in candidates] == [(2, "C", "B", "乙公司 (K2)", "乙公司", "upgrade", "华东", "王伟 (M1)")]
    assert [(row[8], round(row[9], 4)) for row in candidates] == [(1000.0, 0.9)]


@pytest.mark.parametrize(
    ("language", "headers", "helps"),
    [
        ("en", ["#", "Tier", "Suggested", "Account"], [None, "Assigned tier", "Suggested tier (ABC)", None]),
        ("zh-CN", ["#", "等级", "建议等级", "客户"], [None, "现有等级", "建议等级 (ABC)", None]),
    ],
)
def test_the_tiers_lists_show_the_tiers_narrow_before_an_account_wide_enough_for_a_whole_name(
    portfolio: Path, language: str, headers: list[str], helps: list[str]
):
    at = app("tiers", as_of="2026-06-30")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    lists = [frame for frame in at.dataframe if frame.value.columns[0] == "rank"]
    assert len(lists) == 2
    for frame in lists:
        config = json.loads(frame.proto.columns)
        order = list(frame.proto.column_order)[:4]
        assert shown(frame)[0][:4] == headers
        assert [config[name].get("help") for name in order] == helps
        # A phone has 356 px inside the table's border: the rank (50, the grid's narrowest), the tiers (50 and 80)
        # and, from 180 px on, the start of the account's name. On a laptop the account's 280 px hold a name of 15
        # characters with its id (275 px), and grow with the table.
        assert [config[name].get("width") for name in order] == [None, 50, 80, 280]


def test_tiers_page_suggests_the_company_wide_tier_within_a_manager_filter(portfolio: Path):
    # M2's active accounts: K5 (1000) and K3 (none). Ranked alone K5 would be A; among the
    # company's it is third, with 9000 of 10000 before it: B, as assigned. Nothing to review.
    at = at_june_end("tiers", manager="李娜 (M2)")
    assert [(row[0], row[1], row[2], row[3]) for row in table(at, "rank")] == [
        (3, "B", "B", "戊公司 (K5)"),
        (4, "C", "C", "丙公司 (K3)"),
    ]
    assert "Review candidates (0)" in [h.value for h in at.subheader]
    assert any("ranks every active account of the company" in caption.value for caption in at.caption)


def test_visits_page_lists_the_overdue_account_and_the_due_follow_up(portfolio: Path):
    at = at_june_end("visits")
    assert not at.exception
    # K5 (B, cadence 90) last visited 2026-03-20: 102 days ago, 12 overdue.
    overdue = table(at, "account_id")
    assert [(row[0], row[4], row[5], row[6]) for row in overdue] == [("戊公司 (K5)", 102, 90, 12)]
    assert "Overdue accounts (1)" in [h.value for h in at.header]
    # Coverage by manager: M1 both covered, M2 one of two (K3 created 05-01 is within its cadence).
    by_manager = {row[0]: row[4] for row in table(at, "manager_id") if len(row) == 5}
    assert by_manager == {"王伟 (M1)": 1.0, "李娜 (M2)": 0.5}


def test_a_period_shorter_than_every_cadence_says_why_no_visit_is_planned(portfolio: Path):
    # The last full week before 2026-06-30 (06-22..06-28): 7 days, under the shortest cadence (A, 30 days).
    at = at_june_end("visits", period="last_week")
    assert not at.exception
    assert [i.value for i in at.info if i.value.startswith("No visit is planned")] == [
        "No visit is planned in a period of 7 days: an account's plan counts its whole visit cycles in the period "
        "(A every 30 days, B 90, C 180). Choose a month or longer in the sidebar."
    ]
    # The overview's card has no figure either: it says none is planned, and why where its explanation is.
    overview = at_june_end("overview", period="last_week")
    card = next(m for m in overview.metric if m.label == "Visit attainment")
    assert (card.value, card.help) == ("No plan", next(i.value for i in at.info if i.value.startswith("No visit")))
    overview.session_state[CHOSEN] = "zh-CN"
    overview.run()
    assert next(m.value for m in overview.metric if m.label == "拜访计划达成率") == "无计划"
    # A month (06-01..06-30, 30 days) plans K1's visit (A): attainment by manager is drawn.
    at = at_june_end("visits", period="month")
    assert not [i.value for i in at.info if i.value.startswith("No visit is planned")]
    assert "attainment" in [c for f in at.dataframe for c in f.value.columns]


def test_downloads_and_the_brief_are_named_by_the_period_and_the_filters(portfolio: Path, offered_files):
    at = at_june_end("visits", region="华南", tier=["B"])
    assert not at.exception
    # Year to 2026-06-30, in 华南, tier B: K5 is overdue.
    assert [row[0] for row in table(at, "account_id")] == ["戊公司 (K5)"]
    # The accounts overdue at the end of 06-30, whenever their last visit: named by that day. The visits per week are
    # the period's: named by it.
    assert offered_files["download-overdue-accounts"] == "overdue-accounts_at-2026-06-30_region-华南_tier-B.csv"
    assert offered_files["download-visits-by-week"] == "visits-by-week_2026-01-01_2026-06-30_region-华南_tier-B.csv"
    at = at_june_end("overview", manager="王伟 (M1)")
    at.sidebar.selectbox(key="period").set_value("quarter").run()
    assert not at.exception
    # A brief of the quarter to date, named so by its button and its file as by its title.
    assert "Download the weekly brief (HTML)" not in offered_files
    assert offered_files["Download the brief (HTML)"] == "brief_2026-04-01_2026-06-30_manager-M1.html"
    assert offered_files["Download the brief (PDF, A4)"] == "brief_2026-04-01_2026-06-30_manager-M1.pdf"
    # Revenue by month holds the 24 months to D whatever the period: named by them, with the filter.
    assert offered_files["download-revenue-by-month"] == "revenue-by-month_2024-07-01_2026-06-30_manager-M1.csv"


def test_a_chinese_screen_names_its_downloads_in_chinese(portfolio: Path, offered_files):
    at = app("visits", as_of="2026-06-30", region="华南", tier=["B"])
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    assert not at.exception
    # The same button (its key in English) as on an English screen, its file named in Chinese.
    assert offered_files["download-overdue-accounts"] == "逾期未拜访客户_截至2026-06-30_区域-华南_客户等级-B.csv"
    assert offered_files["download-visits-by-week"] == "每周拜访_2026-01-01_2026-06-30_区域-华南_客户等级-B.csv"
    # The brief of the last full week (Monday 06-22 to Sunday 06-28) is the weekly brief; of the month to date, a brief.
    for period, button, file in [
        ("last_week", "下载周报（HTML）", "周报_2026-06-22_2026-06-28.html"),
        ("month", "下载简报（HTML）", "简报_2026-06-01_2026-06-30.html"),
    ]:
        overview = app("overview", as_of="2026-06-30", period=period)
        overview.session_state[CHOSEN] = "zh-CN"
        overview.run()
        assert not overview.exception
        assert offered_files[button] == file


def test_visits_page_follows_the_manager_filter(portfolio: Path):
    at = at_june_end("visits", manager="王伟 (M1)")
    assert not at.exception
    assert "Overdue accounts (0)" in [h.value for h in at.header]
    # K2's next step (send quote, due 2026-02-15) had no later visit.
    assert [h.value for h in at.header if h.value.startswith("Follow-ups")] == ["Follow-ups due (1)"]


def test_a_click_on_an_overdue_account_opens_it(portfolio: Path):
    # At 2026-12-31: K1 (A, last visit 07-05, 149 days overdue), K2 (B, 01-15, 260), K3 (C, never visited).
    at = start("visits", as_of="2026-12-31")
    assert "Overdue accounts (3)" in [h.value for h in at.header]
    assert "Click a row to open the account." in [c.value for c in at.caption]
    assert [row[0] for row in table(at, "account_id")] == ["甲公司 (K1)", "乙公司 (K2)", "丙公司 (K3)"]
    at.session_state["table-overdue-accounts"] = {
        "selection": {"rows": [], "columns": [], "cells": [[1, "last_visit"]]}
    }
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Account view"]
    assert at.header[0].value == "乙公司 (K2)"
    assert at.query_params["account"] == "K2"

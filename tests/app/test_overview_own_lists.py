"""The overview's attention lists: a manager's own leave the manager column to the CSV; their columns and notes."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

import pytest

from kam.people.users import User
from kam.relations import plans
from kam.store import db
from kam.ui.language import CHOSEN
from tests.app.test_tables import shown
from tests.apptest import VP, app, start

WANG = User("wangwei", "王伟", "manager", "M1")
# K1's manager as the plans' writer in the store (its user id is the manager's).
WANG_PLANS = User("m1", "王伟", "manager", "M1")
# 王伟's complaints open at the end of 2026-06-30 past their 24 h: C2 (K1, responded after 26 h) and C3 (K2, opened
# 06-29 08:00, no response); C1 was resolved. Open for: C2 from 06-10 10:00, 20.6 days; C3 40 h, 1.7 days.
BREACHES = "Complaints past SLA, still open"


def _table(at: Any, label: str) -> tuple[list[str], list[list[str]]]:
    """The headers and cells of an attention list as the browser shows them."""
    expander = next(e for e in at.expander if e.label.startswith(label))
    return shown(expander.dataframe[0])


def _headers(at: Any, label: str) -> list[str]:
    return _table(at, label)[0]


def _csv_header(data: Any) -> list[str]:
    text = (data() if callable(data) else data).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text)))


def test_a_managers_own_lists_leave_their_name_off_the_screen_and_keep_it_in_the_download(offered_data, portfolio):
    own = start("overview", user=WANG, as_of="2026-06-30")
    assert not own.exception
    assert _table(own, BREACHES) == (
        ["Complaint", "Account", "Opened", "Category", "Severity", "Open for (days)"],
        [
            ["C2", "甲公司 (K1)", "2026-06-10 10:00", "服务", "medium", "20.6"],
            ["C3", "乙公司 (K2)", "2026-06-29 08:00", "交货", "low", "1.7"],
        ],
    )
    assert "Manager" in _csv_header(offered_data["download-open-breaches"])


def test_the_vp_filtered_to_one_manager_sees_the_same_and_the_whole_company_with_the_managers(portfolio):
    one = start("overview", user=VP, as_of="2026-06-30", manager="王伟 (M1)")
    assert "Manager" not in _headers(one, BREACHES)
    everyone = start("overview", user=VP, as_of="2026-06-30")
    assert "Manager" in _headers(everyone, BREACHES)
    # The managers behind pace are the list's subject: their column stays.
    assert "Manager" in _headers(one, "Managers behind pace")


def test_the_tier_column_is_as_wide_as_its_header_not_its_one_letter_cells(portfolio):
    at = start("overview", user=VP, as_of="2026-06-30")
    drops = next(e for e in at.expander if e.label.startswith("Satisfaction drops"))
    config = json.loads(drops.dataframe[0].proto.columns)
    assert config["tier"]["width"] == 72


def test_the_executive_ties_list_says_how_many_a_accounts_have_no_contact_at_all(portfolio):
    # At 2026-05-01: K1 (contacts P1, P2), K4 (none) and K5 (P5) are A-accounts; K4 and K5 lack an executive one.
    at = start("overview", user=VP, as_of="2026-05-01", period="ytd")
    ties = next(e for e in at.expander if e.label.startswith("A-accounts without executive ties"))
    counted = (
        "A contact entered on the account view counts from the day it was entered until the day it was marked as "
        "having left, at the level last saved by the as-of date; one of the CRM export carries no dates and counts "
        "on any day (one the export marks as having left, on none)."
    )
    assert [c.value for c in ties.caption] == [
        counted,
        "A-accounts with no contact on file at all: 1 of 3, each counted as without an executive contact. "
        "Contacts are added on the account view.",
        "Click a row to open the account.",
    ]
    # At 2026-06-30 K1, the only A-account, has contacts: only how they count is said.
    june = start("overview", user=VP, as_of="2026-06-30")
    ties = next(e for e in june.expander if e.label.startswith("A-accounts without executive ties"))
    assert [c.value for c in ties.caption] == [counted, "Click a row to open the account."]


@pytest.mark.parametrize(
    ("language", "headers", "comment", "label", "why"),
    [
        (
            "en",
            ["Account", "Tier", "Manager", "Latest survey", "Before", "Score"],
            "Comment",
            "Satisfaction drops",
            ("Reason", ["fell 2 to a low score", "fell 1", "fell 1"]),
        ),
        (
            "zh-CN",
            ["客户", "客户等级", "客户经理", "最近调查", "上次得分", "得分"],
            "评价",
            "满意度下降",
            ("原因", ["下降 2 分至低分", "下降 1 分", "下降 1 分"]),
        ),
    ],
    ids=["en", "zh-CN"],
)
def test_the_drops_read_as_the_satisfaction_page_reads_them(
    offered_data, portfolio, language, headers, comment, label, why
):
    # K2 fell from 4 to 2 (“响应慢”), K1 (A) and K5 (B) from 5 to 4: the score before, then the latest, on both pages;
    # the overview says beside them why each is listed (the satisfaction page says it in its caption).
    rows = [
        ["乙公司 (K2)", "C", "王伟 (M1)", "2026-05-25", "4", "2"],
        ["甲公司 (K1)", "A", "王伟 (M1)", "2026-05-20", "5", "4"],
        ["戊公司 (K5)", "B", "李娜 (M2)", "2026-06-10", "5", "4"],
    ]
    overview = app("overview", user=VP, as_of="2026-06-30")
    overview.session_state[CHOSEN] = language
    overview.run()
    assert not overview.exception
    reason, reasons = why
    assert _table(overview, label) == (
        [*headers, reason],
        [[*row, said] for row, said in zip(rows, reasons, strict=True)],
    )
    listed = _csv_header(offered_data["download-satisfaction-drops"])
    page = app("satisfaction", user=VP, as_of="2026-06-30")
    page.session_state[CHOSEN] = language
    page.run()
    assert not page.exception
    [drops] = [table for table in page.dataframe if "latest_comment" in table.value.columns]
    # The same columns in the same order, and what the customer wrote, which the overview leaves to this page.
    comments = ["响应慢", "交货及时", "–"]
    assert shown(drops) == ([*headers, comment], [[*row, said] for row, said in zip(rows, comments, strict=True)])
    # Their CSVs in the same order too: the overview's with fewer columns, each headed alike.
    full = _csv_header(offered_data["download-satisfaction-drops"])
    assert [name for name in full if name in listed] == listed
    assert listed[:6] == headers and len(listed) == 7


@pytest.mark.parametrize(
    ("language", "none", "drafted"),
    [
        ("en", "No account plans for 2026 yet", "1 A-account has a plan for 2026, not agreed yet"),
        ("zh-CN", "2026 年尚无客户计划", "1 家重点客户有 2026 年的客户计划，尚无已批准的"),
    ],
    ids=["en", "zh-CN"],
)
def test_plan_coverage_of_no_plan_says_so_under_the_figure(portfolio, language, none, drafted):
    # K1, the only A-account at 2026-06-30, has no plan for 2026: 0.0%, and why, under the card.
    at = app("overview", user=VP, as_of="2026-06-30")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    assert {m.value for m in at.metric if m.label in ("Plan coverage", "计划覆盖率")} == {"0.0%"}
    assert none in [c.value for c in at.caption]
    # A plan written and shared on 06-20, not agreed: said so instead.
    written = datetime(2026, 6, 20, 10)
    with db.connect(portfolio) as con:
        plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), WANG_PLANS, version=None, now=written)
        plans.set_status(con, plan["plan_id"], "shared", WANG_PLANS, version=plan["version"], now=written)
    again = app("overview", user=VP, as_of="2026-06-30")
    again.session_state[CHOSEN] = language
    again.run()
    captions = [c.value for c in again.caption]
    assert drafted in captions and none not in captions


def test_a_click_on_an_overdue_a_account_opens_it_and_the_managers_behind_pace_stay_a_list(portfolio):
    # At 2026-05-01 K5 (A, cadence 30) was last visited 2026-03-20: 42 days ago, 12 overdue, the one A-account overdue.
    at = start("overview", user=VP, as_of="2026-05-01")
    overdue = next(e for e in at.expander if e.label.startswith("A-accounts overdue for a visit"))
    assert [c.value for c in overdue.caption] == ["Click a row to open the account."]
    assert list(overdue.dataframe[0].value["account_id"]) == ["戊公司 (K5)"]
    # A manager's row opens nothing: no row of theirs to pick, nor a caption that says so.
    behind = next(e for e in at.expander if e.label.startswith("Managers behind pace"))
    assert not list(behind.dataframe[0].proto.selection_mode)
    assert "Click a row to open the account." not in [c.value for c in behind.caption]
    at.session_state["table-overdue-a-accounts"] = {
        "selection": {"rows": [], "columns": [], "cells": [[0, "days_overdue"]]}
    }
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Account view"]
    assert at.header[0].value == "戊公司 (K5)"
    assert at.query_params["account"] == "K5"

"""The overview's figures, one value one way: a clicked month's accounts, the year to date, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kam.ui.language import CHOSEN
from tests.apptest import app


def clicked_month(monkeypatch: pytest.MonkeyPatch, month: str) -> None:
    """A click on that month's bar of the revenue chart (AppTest cannot click a Plotly chart)."""
    monkeypatch.setattr(
        "kam.ui.widgets.clickable", lambda figure, key, where=None: [month] if key == "chart-revenue-by-month" else None
    )


@pytest.mark.parametrize(
    ("language", "title", "orders"),
    [("en", "Revenue by account, 2026-05 (1)", "Number of orders"), ("zh-CN", "各客户销售额，2026-05（1）", "订单数")],
    ids=["en", "zh-CN"],
)
def test_a_clicked_month_lists_its_accounts_under_a_title_and_headers_in_the_language(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch, language: str, title: str, orders: str
):
    clicked_month(monkeypatch, "2026-05-01T00:00:00")
    at = app("overview", as_of="2026-06-30")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    # May 2026: K1's O3, 3,000; K4's O7 is in April.
    assert title in [h.value.replace("\\", "") for h in at.subheader]
    [month] = [table for table in at.dataframe if "orders" in table.value.columns]
    assert month.value[["account_id", "orders", "revenue"]].values.tolist() == [["甲公司 (K1)", 1, 3000.0]]
    assert json.loads(month.proto.columns)["orders"]["label"] == orders


def test_a_click_on_an_account_of_a_clicked_month_opens_it(portfolio: Path, monkeypatch: pytest.MonkeyPatch):
    # May 2026: K1 alone (its order O3).
    clicked_month(monkeypatch, "2026-05-01T00:00:00")
    at = app("overview", as_of="2026-06-30").run()
    assert "Click a row to open the account." in [c.value for c in at.caption]
    at.session_state["table-revenue-by-account-2026-05"] = {
        "selection": {"rows": [], "columns": [], "cells": [[0, "revenue"]]}
    }
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Account view"]
    assert at.query_params["account"] == "K1"


@pytest.mark.parametrize(("language", "unchanged"), [("en", "no change"), ("zh-CN", "无变化")], ids=["en", "zh-CN"])
def test_a_card_whose_figure_did_not_change_says_so_in_grey_without_an_arrow(
    portfolio: Path, language: str, unchanged: str
):
    at = app("overview", as_of="2026-06-30")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    # K1, K2, K3 and K5 active at 06-30 as at the previous period's end (K4 churned 05-15, K6 created 07-15).
    active, coverage = at.metric[0], at.metric[1]
    assert (active.value, active.delta, active.proto.color, active.proto.direction) == ("4", unchanged, 2, 2)
    # A change that is one keeps its sign, colour and arrow: 0 % → 75 % of them not overdue, green and up.
    assert (coverage.value, coverage.proto.color, coverage.proto.direction) == ("75.0%", 1, 1)

"""A table too long to send whole shows a page of rows at a time; its download keeps every row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kam.present import columns
from kam.ui import widgets
from tests.app.test_tables import shown
from tests.apptest import start


def _abc(at: Any) -> list[list[str]]:
    table = next(frame for frame in at.dataframe if shown(frame)[0][:4] == ["#", "Tier", "Suggested", "Account"])
    return shown(table)[1]


def test_a_table_past_the_paged_length_shows_a_page_at_a_time(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch, offered_data: dict[str, Any]
):
    # Four accounts with revenue in the 12 months to 2026-06-30, ranked; past 3 rows a table shows 2 at a time.
    monkeypatch.setattr(widgets, "PAGED_ROWS", 3)
    monkeypatch.setattr(widgets, "PAGE_ROWS", 2)
    at = start("tiers", as_of="2026-06-30")
    assert [row[:4] for row in _abc(at)] == [["1", "A", "A", "甲公司 (K1)"], ["2", "C", "B", "乙公司 (K2)"]]
    # The tier distribution's three rows are not past the length: shown whole.
    assert shown(at.dataframe[0])[1] == [
        ["A", "1", "0.25", "8000.0", "0.8"],
        ["B", "1", "0.25", "1000.0", "0.1"],
        ["C", "2", "0.5", "1000.0", "0.1"],
    ]
    pickers = [box for box in at.selectbox if box.label == "Rows shown"]
    abc = next(box for box in pickers if box.options == ["1–2 of 4", "3–4 of 4"])
    abc.select_index(1).run()
    assert [row[:4] for row in _abc(at)] == [["3", "B", "B", "戊公司 (K5)"], ["4", "C", "C", "丙公司 (K3)"]]
    csv = offered_data["download-abc-suggestion"]()
    assert [line.split(",")[0] for line in csv.decode("utf-8-sig").splitlines()] == ["#", "1", "2", "3", "4"]


def test_a_click_on_a_row_of_a_later_page_opens_that_rows_account(portfolio: Path, monkeypatch: pytest.MonkeyPatch):
    # Overdue at 2026-12-31: K1, K2, K3; past 2 rows a table shows 2 at a time, K3 alone on the second page.
    monkeypatch.setattr(widgets, "PAGED_ROWS", 2)
    monkeypatch.setattr(widgets, "PAGE_ROWS", 2)
    at = start("visits", as_of="2026-12-31")
    picker = at.selectbox(key="rows-overdue-accounts")
    assert picker.options == ["1–2 of 3", "3–3 of 3"]
    picker.select_index(1).run()
    assert [row[0] for row in shown(next(t for t in at.dataframe if "days_overdue" in t.value.columns))[1]] == [
        "丙公司 (K3)"
    ]
    at.session_state["table-overdue-accounts"] = {"selection": {"rows": [], "columns": [], "cells": [[0, "tier"]]}}
    at.run()
    assert not at.exception
    assert at.query_params["account"] == "K3"


def test_a_table_taller_than_its_frame_says_it_scrolls(portfolio: Path, monkeypatch: pytest.MonkeyPatch):
    # Past 3 rows a table scrolls in a fixed height: the ABC suggestion's four accounts to 2026-06-30 do, the tier
    # distribution's three rows do not.
    monkeypatch.setattr(columns, "VISIBLE_ROWS", 3)
    widgets._show_shared.clear()
    widgets._show_made.clear()
    at = start("tiers", as_of="2026-06-30")
    captions = [c.value for c in at.caption]
    assert "The table scrolls: 4 rows in all." in captions
    assert not any(caption.startswith("The table scrolls: 3 ") for caption in captions)

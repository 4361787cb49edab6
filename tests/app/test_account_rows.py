"""The Tiers page's lists of accounts and Visit compliance's follow-ups open the account clicked, as every other list
of accounts does: "Click a row to open the account." above them, no tick boxes, their downloads as they were."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.proto.Dataframe_pb2 import Dataframe as DataframeProto
from streamlit.testing.v1 import AppTest

from tests.app.test_tables import shown
from tests.apptest import start

CLICK = "Click a row to open the account."


def listed(at: AppTest, key: str) -> Any:
    """The table of accounts drawn under that key (table-<its file's name>)."""
    return next(frame for frame in at.dataframe if frame.key == key)


def accounts_of(at: AppTest, key: str) -> list[str]:
    """The account column of the table under that key, as shown (name (id))."""
    table = listed(at, key)
    headers, rows = shown(table)
    return [row[headers.index("Account")] for row in rows]


def click(at: AppTest, key: str, row: int, column: str) -> AppTest:
    """A click on a cell of row (0 first) of the table under that key, and the run it makes."""
    at.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": [[row, column]]}}
    return at.run()


def opened(at: AppTest, account: str, name: str) -> None:
    """The account view of that account is open."""
    assert not at.exception
    assert [t.value for t in at.title] == ["Account view"]
    assert at.header[0].value == f"{name} ({account})"
    assert at.query_params["account"] == account


def no_tick_boxes(at: AppTest, key: str) -> None:
    """A click on a cell picks a row; no tick box before it (a tick would read as done or chosen)."""
    modes = [DataframeProto.SelectionMode.Name(mode) for mode in listed(at, key).proto.selection_mode]
    assert modes == ["SINGLE_CELL"]


def test_a_click_on_an_account_of_a_picked_tier_opens_it(portfolio: Path):
    # Tier C at 2026-06-30: K2 and K3 (K6 is created after D), K2 the longer unvisited.
    at = start("tiers", as_of="2026-06-30")
    at.segmented_control(key="tier_accounts").set_value("C").run()
    assert not at.exception
    assert accounts_of(at, "table-accounts-tier-C") == ["乙公司 (K2)", "丙公司 (K3)"]
    assert CLICK in [c.value for c in at.caption]
    no_tick_boxes(at, "table-accounts-tier-C")
    opened(click(at, "table-accounts-tier-C", 1, "manager_id"), "K3", "丙公司")


def test_a_click_on_an_account_of_a_clicked_month_end_of_the_tier_mix_opens_it(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
):
    # A click on tier A's bar of 2026-05-31 (AppTest cannot click a Plotly chart): K5 (A from 2025-01-01 to
    # 2026-06-01, last visited 03-20) and K1 (A since 2025-03-01, last visited 04-20), the longer unvisited first;
    # K4, A too, churned on 05-15.
    monkeypatch.setattr(
        "kam.ui.widgets.clickable",
        lambda figure, key, where=None: ["A", "2026-05-31T00:00:00"] if key == "chart-tier-mix" else None,
    )
    at = start("tiers", as_of="2026-06-30")
    assert not at.exception
    key = "table-accounts-tier-A-2026-05-31"
    assert accounts_of(at, key) == ["戊公司 (K5)", "甲公司 (K1)"]
    no_tick_boxes(at, key)
    opened(click(at, key, 1, "account_id"), "K1", "甲公司")


def test_a_click_on_a_review_candidate_or_an_account_of_the_pareto_opens_it(portfolio: Path):
    # Ranked by revenue of the 12 months to 2026-06-30: K1, K2, K5, K3; K2 alone to review (C, suggested B).
    at = start("tiers", as_of="2026-06-30")
    assert accounts_of(at, "table-abc-suggestion") == ["甲公司 (K1)", "乙公司 (K2)", "戊公司 (K5)", "丙公司 (K3)"]
    assert accounts_of(at, "table-review-candidates") == ["乙公司 (K2)"]
    # Above the Pareto's list, the candidates' and the period's tier changes (in their expander).
    assert [c.value for c in at.caption].count(CLICK) == 3
    no_tick_boxes(at, "table-abc-suggestion")
    no_tick_boxes(at, "table-review-candidates")
    opened(click(at, "table-review-candidates", 0, "change"), "K2", "乙公司")
    again = start("tiers", as_of="2026-06-30")
    opened(click(again, "table-abc-suggestion", 2, "revenue_12m"), "K5", "戊公司")


def test_a_click_on_a_tier_change_of_the_period_opens_its_account(portfolio: Path, offered_data: dict[str, Any]):
    # 2026-01-01 to 06-30: K5 from A to B on 06-01 (K2's change is on 08-01, after D).
    at = start("tiers", as_of="2026-06-30")
    changes = next(e for e in at.expander if e.label.startswith("Tier changes in the period"))
    assert [c.value for c in changes.caption] == [CLICK]
    assert accounts_of(at, "table-tier-changes") == ["戊公司 (K5)"]
    no_tick_boxes(at, "table-tier-changes")
    # The download as it was: every column of the change, the account's name beside its id.
    csv = offered_data["download-tier-changes"]().decode("utf-8-sig").splitlines()
    assert csv[1].startswith("2026-06-01,戊公司 (K5),")
    opened(click(at, "table-tier-changes", 0, "to_tier"), "K5", "戊公司")


def test_a_click_on_a_follow_up_due_opens_its_account(portfolio: Path, offered_data: dict[str, Any]):
    # At 2026-06-30: K2's next step (send quote, due 02-15) after its visit of 01-15, with no later visit.
    at = start("visits", as_of="2026-06-30")
    assert "Follow-ups due (1)" in [h.value for h in at.header]
    assert accounts_of(at, "table-followups-due") == ["乙公司 (K2)"]
    captions = [c.value for c in at.caption]
    assert captions[captions.index("Next steps whose date has come, with no later visit to the account.") + 1] == CLICK
    no_tick_boxes(at, "table-followups-due")
    csv = offered_data["download-followups-due"]().decode("utf-8-sig").splitlines()
    assert csv[1].startswith("乙公司 (K2),C,王伟 (M1),2026-01-15,")
    opened(click(at, "table-followups-due", 0, "next_step"), "K2", "乙公司")


def test_the_sidebars_region_manager_and_tier_follow_a_click_to_the_account_and_its_link(portfolio: Path):
    # Tier C at 2026-06-30: K2 (王伟, M1, 华东) and K3 (李娜, M2, 华南); the VP narrows the tiers page to 华南's tier C.
    at = start("tiers", as_of="2026-06-30")
    at.sidebar.multiselect(key="region").set_value(["华南"])
    at.sidebar.multiselect(key="manager").set_value(["M2"])
    at.sidebar.multiselect(key="tier").set_value(["C"]).run()
    at.segmented_control(key="tier_accounts").set_value("C").run()
    assert accounts_of(at, "table-accounts-tier-C") == ["丙公司 (K3)"]
    opened(click(at, "table-accounts-tier-C", 0, "manager_id"), "K3", "丙公司")
    chosen = [at.sidebar.multiselect(key=key).value for key in ("region", "manager", "tier")]
    assert chosen == [["华南"], ["M2"], ["C"]]
    linked = [at.query_params[key] for key in ("region", "manager", "tier")]
    assert linked == ["华南", "李娜 (M2)", "C"]

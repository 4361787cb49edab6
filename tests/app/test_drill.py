"""The tier picker beside the pie (which cannot be clicked) lists the accounts of the tier picked."""

from __future__ import annotations

from pathlib import Path

from tests.apptest import start


def test_picking_a_tier_lists_its_active_accounts(portfolio: Path):
    at = start("tiers", as_of="2026-06-30")
    assert not at.exception
    assert not [h.value for h in at.subheader if h.value.startswith("Active tier")]
    at.segmented_control(key="tier_accounts").set_value("C").run()
    assert not at.exception
    # Tier C at D: K2 and K3 (K6 is created after D), K2 the longer unvisited.
    # The heading is escaped so that Markdown shows it as it is.
    assert "Active tier-C accounts (2)" in [h.value.replace("\\", "") for h in at.subheader]
    shown = next(t.value for t in at.dataframe if "visit_due" in t.value.columns)
    assert shown["account_id"].tolist() == ["乙公司 (K2)", "丙公司 (K3)"]
    assert shown["manager_id"].tolist() == ["王伟 (M1)", "李娜 (M2)"]

"""The overview lists every manager behind pace, worst first, with the gap in money; the scorecard states its bands."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apptest import start
from tests.portfolio import write_exports
from tests.unit.test_behind_pace import targets


def test_every_manager_at_90_percent_is_listed_as_behind(new_portfolio: Path, tmp_path: Path):
    # The year to 2026-06-30 (181 of 365 days): M1 has 4,000 of revenue, M2 900. The bundled exports
    # (the new_portfolio fixture's folder) bring targets that put both at 90 % of their pro-rated target;
    # M3 has none, so no attainment.
    write_exports(tmp_path / "demo", targets=targets({"M1": 0.9, "M2": 0.9}))
    at = start(as_of="2026-06-30")
    assert not at.exception
    assert "Managers behind pace (2)" in [e.label for e in at.expander]
    behind = next(f.value for f in at.dataframe if "gap" in f.value.columns)
    assert list(behind["manager_id"]) == ["王伟 (M1)", "李娜 (M2)"]
    assert list(behind["attainment"]) == pytest.approx([0.9, 0.9])
    assert list(behind["gap"]) == pytest.approx([4000 / 9, 100.0])


def test_the_scorecard_states_its_colour_bands(portfolio: Path):
    at = start("managers", as_of="2026-06-30")
    assert not at.exception
    legend = " ".join(m.value for m in at.markdown)
    assert "On pace, 100% and over" in legend
    assert "Behind, 90% to under 100%" in legend
    assert "Well behind, under 90%" in legend

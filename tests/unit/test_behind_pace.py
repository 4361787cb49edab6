"""Behind target means behind pace: revenue under the target pro-rated to the period's days."""

from __future__ import annotations

from datetime import date

import pytest

from kam import config
from kam.metrics import attention
from kam.metrics.scope import Scope
from kam.store import db
from tests.portfolio import D, build, reload, with_column

# The year to D = 2026-06-30: 181 of 365 days. Revenue: M1 4,000 (K1 3,000, K2 1,000), M2 900
# (K4 500 before it churned, K5 400). M3 has no account and no target: it has no attainment.
YTD = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31))


def targets(shares: dict[str, float]) -> list[tuple[str, str]]:
    """The exported targets changed so that each manager's revenue is at share of the annual target, pro-rated."""
    revenue = {"M1": 4000, "M2": 900}
    exported = {"M1": "36500", "M2": "73000"}
    return [
        (f"{manager},2026,{exported[manager]}", f"{manager},2026,{revenue[manager] / share * 365 / 181!r}")
        for manager, share in shares.items()
    ]


def test_every_manager_at_90_percent_of_the_pro_rated_target_is_behind(tmp_path):
    with db.connect(build(tmp_path, targets=targets({"M1": 0.9, "M2": 0.9}))) as con:
        behind = attention.managers_behind_pace(con, YTD)
        assert behind["manager_id"].to_list() == ["M1", "M2"]
        assert behind["attainment"].to_list() == pytest.approx([0.9, 0.9])
        # The gap to pace: target to date − revenue = revenue / 0.9 − revenue.
        assert behind["gap"].to_list() == pytest.approx([4000 / 9, 100.0])
        assert behind["target"].to_list() == pytest.approx([4000 / 0.9, 1000.0])


def test_the_worst_comes_first_and_a_manager_on_pace_is_not_listed(tmp_path):
    with db.connect(build(tmp_path, targets=targets({"M1": 1.0, "M2": 0.6}))) as con:
        behind = attention.managers_behind_pace(con, YTD)
        assert behind.select("manager_id", "name").rows() == [("M2", "李娜")]
        assert behind["gap"].to_list() == pytest.approx([600.0])
        reload(con, tmp_path, targets=targets({"M1": 0.95, "M2": 0.6}))
        assert attention.managers_behind_pace(con, YTD)["manager_id"].to_list() == ["M2", "M1"]


def test_the_bands_come_from_the_settings():
    policy = config.load_settings({"KAM_ATTAINMENT_BANDS_WELL_BEHIND": "0.8"})
    assert policy.attainment_bands == {"on_pace": 1.0, "well_behind": 0.8}
    assert config.Settings().attainment_bands == {"on_pace": 1.0, "well_behind": 0.9}


def test_visits_are_judged_against_the_visit_target_where_one_is_set(tmp_path):
    from kam.metrics import managers, visits

    with db.connect(build(tmp_path)) as con:
        # No visit target in the exports: nobody is judged on it.
        assert visits.visits_against_target(con, YTD).is_empty()
        reload(con, tmp_path, targets=with_column("targets.csv", "visit_target", {"M1": "365"}))
        # M1's year to D: 365 × 181 / 365 = 181 visits due; made V4 01-15, V1 04-20, V2 06-10 (V3 is after D).
        judged = visits.visits_against_target(con, YTD)
        assert judged.rows() == [("M1", 3, 181.0, pytest.approx(3 / 181))]
        card = managers.scorecard(con, YTD)
        assert card.select("manager_id", "visit_target").rows() == [("M1", 181.0), ("M2", None), ("M3", None)]

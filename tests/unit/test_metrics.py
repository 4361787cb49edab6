"""Every metric of docs/DOMAIN.md on the small portfolio of tests/portfolio.py, each figure worked by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import polars as pl
import pytest

from kam.metrics import accounts, complaints, managers, revenue, satisfaction, tier_review, tiers, visits
from kam.metrics.scope import Scope
from kam.store import db, exports
from tests.portfolio import D, build

YTD = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31))
Q2 = Scope(as_of=D, start=date(2026, 4, 1), end=date(2026, 6, 30))


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    connection = db.connect(build(tmp_path_factory.mktemp("exports")))
    yield connection
    connection.close()


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return frame.select(columns).rows()


# --- tiers ---------------------------------------------------------------------------


def test_tier_distribution_counts_active_accounts_by_tier_at_d(con):
    # Active at D: K1 (A), K5 (B), K2 and K3 (C). Trailing 12 months 2025-07-01..2026-06-30:
    # K1 5000 + 3000, K5 600 + 400, K2 1000, K3 nothing.
    dist = tiers.tier_distribution(con, YTD)
    assert rows(dist, "tier", "accounts", "share", "revenue_12m", "revenue_share") == [
        ("A", 1, 0.25, 8000.0, 0.8),
        ("B", 1, 0.25, 1000.0, 0.1),
        ("C", 2, 0.5, 1000.0, 0.1),
    ]


def test_abc_suggestion_puts_the_account_on_the_80_percent_line_in_b(con):
    # Ranked: K1 8000 (A: nothing before it), K2 1000 (revenue before it is exactly 80% of
    # 10000: not under the line, so B), K5 1000 (9000 before, under 95%: B), K3 0 (C).
    abc = tiers.abc_suggestion(con, YTD)
    assert rows(abc, "account_id", "tier", "revenue_12m", "suggested_tier", "mismatch") == [
        ("K1", "A", 8000.0, "A", False),
        ("K2", "C", 1000.0, "B", True),
        ("K5", "B", 1000.0, "B", False),
        ("K3", "C", 0.0, "C", False),
    ]
    assert tiers.suggested_tier_counts(con, YTD) == {"A": 1, "B": 2, "C": 1}


def test_account_crossing_the_line_is_still_a(con):
    # A cut-off at 85%: K2 has 8000 before it (under 8500) and reaches 9000 of 10000 (90%): still A.
    policy = replace(YTD.policy, abc_cutoffs={"A": 0.85, "B": 0.95})
    abc = tiers.abc_suggestion(con, replace(YTD, policy=policy))
    assert rows(abc, "account_id", "suggested_tier") == [("K1", "A"), ("K2", "A"), ("K5", "B"), ("K3", "C")]


# M2's accounts (K3, K4, K5) as their manager sees them, and the region 华南 as the VP filters it.
M2_VIEW = replace(YTD, allowed_accounts=frozenset({"K3", "K4", "K5"}))
SOUTH = replace(YTD, regions=("华南",))


@pytest.mark.parametrize("scope", [M2_VIEW, SOUTH], ids=["manager", "region"])
def test_the_suggested_tier_ranks_every_active_account_of_the_company(con, scope):
    # Among 华南's active accounts alone K5 (1000 of 1000) would be A. Among the company's
    # (K1 8000, K2 1000, K5 1000, K3 0) K5 is third, 9000 of 10000 before it: B, as it is assigned.
    abc = tiers.abc_suggestion(con, scope)
    assert rows(abc, "rank", "account_id", "tier", "revenue_12m", "cumulative_share", "suggested_tier") == [
        (3, "K5", "B", 1000.0, 1.0, "B"),
        (4, "K3", "C", 0.0, 1.0, "C"),
    ]
    assert tiers.suggested_tier_counts(con, scope) == {"A": 0, "B": 1, "C": 1}
    assert tier_review.review_candidates(con, scope).is_empty()


def test_a_tier_filter_keeps_the_company_wide_suggestion(con):
    # Tier B at D is K5 alone: still B, not A as the only account ranked.
    abc = tiers.abc_suggestion(con, replace(YTD, tiers=("B",)))
    assert rows(abc, "account_id", "suggested_tier") == [("K5", "B")]


def test_tier_mix_over_time_uses_tier_and_activity_at_each_month_end(con):
    mix = tiers.tier_mix_over_time(con, YTD)
    by_date = {}
    for day, tier, count in mix.rows():
        by_date.setdefault(day, {})[tier] = count
    # 2026-04-30: K1 A, K4 A (not yet churned), K5 A (B only from 06-01), K2 C; K3 not created.
    assert by_date[date(2026, 4, 30)] == {"A": 3, "C": 1}
    # 2026-05-31: K4 churned on 05-15, K3 created 05-01.
    assert by_date[date(2026, 5, 31)] == {"A": 2, "C": 2}
    assert by_date[D] == {"A": 1, "B": 1, "C": 2}
    assert min(by_date) == date(2025, 7, 31)


def test_tier_movement_in_period(con):
    # Only K5's A→B on 2026-06-01 falls in Q2; K2's change is after D.
    assert rows(tiers.tier_movement(con, Q2), "from_tier", "to_tier", "direction", "changes") == [
        ("A", "B", "downgrade", 1)
    ]
    changes = tiers.tier_changes_in_period(con, Scope(as_of=D, start=date(2025, 1, 1), end=D))
    assert rows(changes, "account_id", "direction") == [("K5", "upgrade"), ("K1", "upgrade"), ("K5", "downgrade")]


# --- visits --------------------------------------------------------------------------


def test_days_since_last_visit_and_overdue(con):
    status = visits.visit_status(con, YTD)
    got = {
        r["account_id"]: (r["days_since_visit"], r["cadence"], r["overdue"], r["last_channel"])
        for r in status.iter_rows(named=True)
    }
    assert got == {
        "K1": (20, 30, False, "in_person"),  # 06-10; the 07-05 visit is after D
        "K2": (166, 180, False, "phone"),  # tier C at D, so cadence 180
        "K3": (60, 180, False, None),  # never visited: counted from created_on 05-01
        "K5": (102, 90, True, "video"),  # tier B at D, last visit 03-20
    }
    assert rows(visits.overdue_accounts(con, YTD), "account_id", "days_overdue") == [("K5", 12)]


def test_a_visit_after_d_is_found_apart_from_the_figures(con):
    # K1's 07-05 visit comes after D: the latest one up to today, none before it is today; none of K2, K5.
    assert accounts.account_visited_since(con, YTD, "K1", today=date(2026, 11, 27)) == date(2026, 7, 5)
    assert accounts.account_visited_since(con, YTD, "K1", today=date(2026, 7, 4)) is None
    assert accounts.account_visited_since(con, YTD, "K5", today=date(2026, 11, 27)) is None
    # Only within the accounts the user may see and the filters.
    theirs = replace(YTD, allowed_accounts=frozenset({"K5"}))
    assert accounts.account_visited_since(con, theirs, "K1", today=date(2026, 11, 27)) is None
    assert accounts.account_visited_since(con, YTD.only(region="华南"), "K1", today=date(2026, 11, 27)) is None


def test_visit_coverage_overall_by_tier_and_by_manager(con):
    assert rows(visits.visit_coverage(con, YTD), "active_accounts", "covered", "coverage") == [(4, 3, 0.75)]
    by_tier = visits.visit_coverage(con, YTD, by="tier")
    assert rows(by_tier, "tier", "coverage") == [("A", 1.0), ("B", 0.0), ("C", 1.0)]
    by_manager = visits.visit_coverage(con, YTD, by="manager")
    assert rows(by_manager, "manager_id", "coverage") == [("M1", 1.0), ("M2", 0.5)]


def test_visit_attainment_year_to_date(con):
    # 181 days. Planned: K1 floor(181/30)=6, K2 181/180 → 1, K3 1, K5 181/90 → 2.
    # Visits up to D: K1 2, K2 1, K3 0, K5 2. Σ min = 2+1+0+2 = 5 of 10.
    att = visits.visit_attainment(con, YTD)
    assert rows(att, "visits_counted", "planned", "attainment") == [(5, 10, 0.5)]


def test_visit_attainment_leaves_out_accounts_with_none_planned(con):
    # Q2 has 91 days: K1 plans 3 (2 visits), K5 plans 1 (none), K2 and K3 plan 0 and are left out.
    att = visits.visit_attainment(con, Q2)
    assert rows(att, "visits_counted", "planned", "attainment") == [(2, 4, 0.5)]


def test_followups_due(con):
    assert rows(visits.followups_due(con, YTD), "account_id", "next_date", "days_late") == [
        ("K2", date(2026, 2, 15), 135)
    ]


# --- complaints ----------------------------------------------------------------------


def test_complaint_sla_in_q2(con):
    # C1 answered in exactly 24 h: met. C2 26 h: breached. C3 never answered, 40 h old at the
    # end of D: breached. C4's answer is stamped after D and it is 12 h old: pending. C5 2 h: met.
    status = complaints.complaints_in_period(con, Q2)
    assert rows(status, "complaint_id", "sla_status") == [
        ("C1", "met"),
        ("C2", "breached"),
        ("C5", "met"),
        ("C3", "breached"),
        ("C4", "pending"),
    ]
    sla = complaints.complaint_sla(con, Q2)
    assert rows(sla, "met", "breached", "pending", "met_pct") == [(2, 2, 1, 0.5)]


def test_response_and_resolution_times(con):
    # First responses before the end of D: 24, 26, 2 h. Resolutions: 48, 24 h.
    times = complaints.response_times(con, Q2).row(0, named=True)
    assert times["response_median_hours"] == 24
    assert times["response_p90_hours"] == pytest.approx(25.6)
    assert times["resolution_median_hours"] == 36
    assert times["resolution_p90_hours"] == pytest.approx(45.6)


def test_open_breaches_and_ageing(con):
    assert rows(complaints.open_breaches(con, YTD), "complaint_id") == [("C2",), ("C3",)]
    ageing = complaints.open_complaints_ageing(con, YTD)
    # C4 12 h, C3 40 h, C2 20 days 14 h.
    assert dict(ageing.rows()) == {"< 1 day": 1, "1–3 days": 1, "3–7 days": 0, "7–30 days": 1, "> 30 days": 0}


def test_sla_by_severity_uses_the_default_medium(con):
    by_severity = complaints.complaint_sla_by(con, Q2, "severity")
    assert rows(by_severity, "severity", "met", "breached", "pending") == [
        ("high", 1, 0, 0),
        ("low", 1, 1, 0),
        ("medium", 0, 1, 1),
    ]


# --- satisfaction --------------------------------------------------------------------


def test_satisfaction_in_period(con):
    # Q2 scores 4, 2, 3, 4, 1 (K4's counts: it was surveyed before it churned); S9 is after D.
    # NPS answers 10, 3, 8, 9: 2 promoters, 1 detractor of 4.
    summary = satisfaction.satisfaction_summary(con, Q2).row(0, named=True)
    assert summary["responses"] == 5
    assert summary["mean_score"] == pytest.approx(2.8)
    assert summary["csat_pct"] == pytest.approx(0.4)
    assert summary["nps_responses"] == 4
    assert summary["nps"] == pytest.approx(25.0)


def test_satisfaction_trend_by_half_year(con):
    trend = satisfaction.satisfaction_trend(con, YTD, grain="half")
    # 2025-H2: 5, 4, 5 → mean 14/3, all CSAT; NPS answers 9, 7 → 50.
    assert rows(trend, "period", "responses") == [("2025-H2", 3), ("2026-H1", 5)]
    h2 = trend.row(0, named=True)
    assert h2["mean_score"] == pytest.approx(14 / 3)
    assert h2["csat_pct"] == 1.0
    assert h2["nps"] == pytest.approx(50.0)


def test_satisfaction_drops(con):
    # K2 2 (≤ 2 and 2 below 4), K1 (A) 4 after 5, K5 (B) 4 after 5; K3 has one score of 3.
    drops = satisfaction.satisfaction_drops(con, YTD)
    assert rows(drops, "account_id", "latest_score", "previous_score") == [
        ("K2", 2, 4),
        ("K1", 4, 5),
        ("K5", 4, 5),
    ]


def test_score_distribution(con):
    assert dict(satisfaction.score_distribution(con, Q2).rows()) == {1: 1, 2: 1, 3: 1, 4: 2, 5: 0}


# --- revenue and churn ---------------------------------------------------------------


def test_revenue_attainment_and_growth_year_to_date(con):
    # 2026 up to D: K1 3000, K2 1000, K4 500, K5 400 = 4900. Same dates 2025: O1 1000 + O6 1500.
    # Targets pro-rated to 181 of 365 days: 36500 → 18100, 73000 → 36200.
    money = revenue.revenue_summary(con, YTD).row(0, named=True)
    assert money["revenue"] == 4900
    assert money["revenue_prior_year"] == 2500
    assert money["growth"] == pytest.approx(0.96)
    assert money["target"] == pytest.approx(54300)
    assert money["attainment"] == pytest.approx(4900 / 54300)


def test_revenue_by_manager_and_manager_without_target(con):
    by_manager = revenue.revenue_summary(con, YTD, by="manager")
    got = {r["manager_id"]: (r["revenue"], r["attainment"]) for r in by_manager.iter_rows(named=True)}
    assert got["M1"] == (4000, pytest.approx(4000 / 18100))
    assert got["M2"] == (900, pytest.approx(900 / 36200))
    card = managers.scorecard(con, YTD)
    m3 = card.filter(pl.col("manager_id") == "M3").row(0, named=True)
    assert (m3["revenue"], m3["attainment"], m3["visit_coverage"]) == (0.0, None, None)


def test_growth_in_q2(con):
    assert revenue.revenue_summary(con, Q2)["growth"][0] == pytest.approx(3900 / 1000 - 1)


def test_churn_rate(con):
    # Active on 2026-01-01: K1, K2, K4, K5. Churned 01-01..06-30: K4 (K5 churns after D).
    assert rows(revenue.churn(con, YTD), "churned", "active_at_start", "churn_rate") == [(1, 4, 0.25)]
    by_manager = revenue.churn(con, YTD, by="manager")
    assert rows(by_manager, "manager_id", "churn_rate") == [("M1", 0.0), ("M2", 0.5)]


# --- filters, zero denominators, scorecard -------------------------------------------


def test_filters_restrict_every_metric(con):
    only_a = Scope(as_of=D, start=YTD.start, end=YTD.end, tiers=("A",))
    assert rows(tiers.tier_distribution(con, only_a), "tier", "accounts") == [("A", 1), ("B", 0), ("C", 0)]
    m2 = Scope(as_of=D, start=YTD.start, end=YTD.end, managers=("M2",))
    assert rows(visits.visit_coverage(con, m2), "active_accounts", "coverage") == [(2, 0.5)]
    assert revenue.revenue_summary(con, m2)["revenue"][0] == 900
    assert rows(complaints.complaint_sla(con, m2), "met", "breached", "pending") == [(2, 0, 1)]


def test_zero_denominators_are_null_not_zero(con):
    nowhere = Scope(as_of=D, start=YTD.start, end=YTD.end, regions=("西北",))
    assert visits.visit_coverage(con, nowhere).is_empty()
    assert revenue.revenue_summary(con, nowhere).row(0, named=True)["attainment"] is None
    assert revenue.revenue_summary(con, nowhere).row(0, named=True)["growth"] is None
    assert rows(tiers.tier_distribution(con, nowhere), "share") == [(None,), (None,), (None,)]
    # Tier B has no complaint in Q2 whose SLA is decided: K5's C5 is met, so try tier C at D.
    tier_c = Scope(as_of=D, start=Q2.start, end=Q2.end, tiers=("C",), regions=("华南",))
    assert rows(complaints.complaint_sla(con, tier_c), "met", "breached", "pending", "met_pct") == [(0, 0, 1, None)]


def test_scorecard(con):
    card = managers.scorecard(con, YTD)
    assert card["manager_id"].to_list() == ["M1", "M2", "M3"]
    m1, m2, _ = card.iter_rows(named=True)
    assert (m1["active_accounts"], m1["accounts_a"], m1["accounts_c"]) == (2, 1, 1)
    assert m1["sla_met_pct"] == pytest.approx(1 / 3)  # C1 met, C2 and C3 breached
    assert m2["sla_met_pct"] == 1.0  # C5, C6 met; C4 pending
    assert m1["satisfaction_mean"] == 3.0  # 4 and 2
    assert m2["satisfaction_mean"] == pytest.approx(8 / 3)  # 3, 4 and K4's 1
    assert (m1["churned"], m2["churned"]) == (0, 1)


def test_the_data_date_is_the_last_event_in_the_exports_and_is_kept_with_the_load(con):
    # Orders run to 07-20, but K2's tier change on 08-01 is the last thing in the exports.
    assert db.data_date(con) == date(2026, 8, 1)
    assert db.scalar(con, "SELECT data_to FROM load_history") == date(2026, 8, 1)


def test_a_visit_entered_in_the_app_or_an_account_created_later_does_not_move_the_data_date(tmp_path):
    later = ("K6,己公司,华东,M1,C,2026-07-15", "K6,己公司,华东,M1,C,2026-10-01")
    with db.connect(build(tmp_path, accounts=later)) as con:
        con.execute(
            """
            INSERT INTO visits_app (visit_id, account_id, manager_id, visit_date, channel, created_at, updated_at)
            VALUES ('APP1', 'K1', 'M1', DATE '2026-11-24', 'phone', now(), now())
            """
        )
        assert db.data_date(con) == date(2026, 8, 1)


def test_a_database_loaded_before_the_data_date_was_kept_reads_it_from_the_exports(tmp_path):
    path = build(tmp_path)
    # The exports are read-only to the app: the load's file is changed as an older version left it.
    file = exports.published(exports.folder_for(path))
    with duckdb.connect(str(file)) as raw:
        raw.execute("UPDATE load_history SET data_to = NULL")
    with db.connect(path) as con:
        assert db.data_date(con) == date(2026, 8, 1)
    with duckdb.connect(str(file)) as raw:
        raw.execute("DELETE FROM tier_changes WHERE changed_on = DATE '2026-08-01'")
    with db.connect(path) as con:
        # Then orders run furthest: O10 on 07-20.
        assert db.data_date(con) == date(2026, 7, 20)


# A database made without the data date's column gains it when it is moved apart:
# tests/unit/test_loader.py::test_a_one_file_database_made_before_is_moved_apart_and_gains_the_new_columns.


def test_a_manager_owning_an_account_in_another_region_counts_in_that_regions_scorecard(tmp_path):
    # 王伟 (M1) sits in 华东; K1 moves to 华南.
    with db.connect(build(tmp_path, accounts=("K1,甲公司,华东", "K1,甲公司,华南"))) as con:
        south = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31), regions=("华南",))
        card = managers.scorecard(con, south)
        # Active in 华南 at D: K1 (M1), K3 and K5 (M2); the managers add up to the region's total.
        assert rows(card, "manager_id", "active_accounts") == [("M1", 1), ("M2", 2)]
        assert card["revenue"].sum() == revenue.revenue_summary(con, south)["revenue"][0] == 3000 + 900


def test_managers_without_active_accounts_are_named_and_one_who_left_says_so():
    card = pl.DataFrame(
        {
            "manager_id": ["M1", "M3", "M12"],
            "name": ["王伟", "张敏", "潘子涵"],
            "active": [True, True, False],
            "active_accounts": [2, 0, 0],
        }
    )
    assert managers.without_active_accounts(card) == ["张敏 (M3)", "潘子涵 (M12, no longer in post)"]

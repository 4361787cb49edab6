"""The scope's accounts restrict visits, complaints and surveys before grouping (tests/portfolio.py, D 2026-06-30)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from kam.metrics import attention, complaints, health, revenue, satisfaction, visits
from kam.metrics.scope import Scope, run_metrics
from kam.store import db
from tests.portfolio import D, build

YTD = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31))


def only(*accounts: str) -> Scope:
    return Scope(as_of=D, start=YTD.start, end=YTD.end, allowed_accounts=frozenset(accounts))


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    connection = db.connect(build(tmp_path_factory.mktemp("exports")))
    yield connection
    connection.close()


def test_a_scope_restricts_accounts_when_any_filter_or_access_leaves_some_out():
    assert not YTD.restricts_accounts
    assert Scope(as_of=D, start=D, end=D, tiers=("A",)).restricts_accounts
    assert only().restricts_accounts


def test_restricted_visit_status_keeps_each_accounts_own_last_visit(con):
    # K1: last visit 06-10, 20 days; K2: 01-15, 166 days (tests/unit/test_metrics.py works them out).
    status = visits.visit_status(con, only("K1", "K2"))
    assert status.select("account_id", "days_since_visit", "last_channel").sort("account_id").rows() == [
        ("K1", 20, "in_person"),
        ("K2", 166, "phone"),
    ]


def test_overdue_accounts_of_one_tier_in_sql(con):
    # Only K5 (tier B at D, 102 days against 90) is overdue.
    assert visits.overdue_accounts(con, YTD, tier="B").select("account_id", "days_overdue").rows() == [("K5", 12)]
    assert visits.overdue_accounts(con, YTD, tier="A").is_empty()
    assert attention.overdue_key_accounts(con, YTD).is_empty()
    assert visits.overdue_accounts(con, only("K5")).select("account_id").rows() == [("K5",)]
    assert visits.overdue_accounts(con, only("K1", "K2")).is_empty()


def test_restricted_complaints_and_surveys_are_the_accounts_own(con):
    # SLA 24 h. K1: C1 replied in 24 h (met), C2 in 26 h (breached); K5: C5 in 2 h, C6 in 1 h (both met).
    assert complaints.complaint_sla(con, only("K1")).select("met", "breached").rows() == [(1, 1)]
    assert complaints.complaint_sla(con, only("K5")).select("met", "breached").rows() == [(2, 0)]
    # Surveys in 2026 up to D: K1 S2 (4), K2 S4 (2).
    assert satisfaction.satisfaction_summary(con, only("K1", "K2")).select("responses", "mean_score").rows() == [
        (2, 3.0)
    ]


def test_restricted_health_reads_only_the_accounts_own_orders_surveys_and_visits(con):
    # 90 days to D from 04-02. K1: revenue 3,000 (O3) against 1,000 a year before (O1), capped at 1; latest
    # survey in 365 days S2 (4): (4 - 1) / 4. K2: no order in either window (missing); latest survey S4 (2).
    restricted = health.account_health(con, only("K1", "K2")).sort("account_id")
    assert restricted.select("account_id", "revenue", "satisfaction").rows() == [
        ("K1", 1.0, 0.75),
        ("K2", None, 0.25),
    ]
    everyone = health.account_health(con, YTD).filter(pl.col("account_id").is_in(["K1", "K2"])).sort("account_id")
    assert restricted.equals(everyone)


def test_metrics_from_one_query_are_each_metrics_own(con):
    # K1 (tier A at D, cadence 30): last visit 06-10, 20 days, covered; C1 met, C2 breached; surveys in 2026
    # up to D: S2 (4); orders in 2026 up to D: O3 3,000; K1 was active all along, so no churn.
    metrics = {
        "coverage": visits.coverage_metric(by="tier"),
        "sla": complaints.sla_metric(),
        "csat": satisfaction.summary_metric(),
        "money": revenue.summary_metric(only("K1")),
        "churn": revenue.churn_metric(),
    }
    frames = run_metrics(con, only("K1"), metrics)
    assert frames["coverage"].select("tier", "active_accounts", "covered").rows() == [("A", 1, 1)]
    assert frames["sla"].select("met", "breached", "pending").rows() == [(1, 1, 0)]
    assert frames["csat"].select("responses", "mean_score").rows() == [(1, 4.0)]
    assert frames["money"].select("revenue").rows() == [(3000.0,)]
    assert frames["churn"].select("churned", "active_at_start").rows() == [(0, 1)]
    assert frames["sla"].equals(complaints.complaint_sla(con, only("K1")))
    assert frames["money"].equals(revenue.revenue_summary(con, only("K1")))


def test_metrics_from_one_query_of_no_account_keep_their_columns(con):
    frames = run_metrics(con, only(), {"coverage": visits.coverage_metric(by="tier"), "sla": complaints.sla_metric()})
    assert frames["coverage"].is_empty()
    assert frames["coverage"].columns == ["tier", "active_accounts", "covered", "overdue", "coverage"]
    assert frames["sla"].schema == complaints.complaint_sla(con, only()).schema


def test_revenue_by_manager_leaves_out_idle_groups_only_when_asked(tmp_path):
    # May 2026, M2 without a 2026 target: K1 (M1) ordered 3,000 in May (O3); M2's accounts ordered only between
    # May 2025 and May 2026 (O7 2026-04-01, O8 2025-12-01), which gives M2 a row of zeros, without target.
    may = Scope(as_of=D, start=date(2026, 5, 1), end=date(2026, 5, 31))
    with db.connect(build(tmp_path, targets=[("M2,2026,73000", "M2,2024,73000")])) as con:
        every = revenue.revenue_summary(con, may, by="manager")
        assert every.select("manager_id", "revenue", "revenue_prior_year", "target").rows() == [
            ("M1", 3000.0, 0.0, pytest.approx(36500 * 31 / 365)),
            ("M2", 0.0, 0.0, None),
        ]
        busy = revenue.revenue_summary(con, may, by="manager", idle_groups=False)
        assert busy.select("manager_id", "revenue").rows() == [("M1", 3000.0)]


def test_coverage_counts_a_visit_older_than_every_cadence(con, tmp_path):
    # K3 (tier C, 180 days) was created 2026-05-01, 60 days before D, and never visited: covered. A visit on
    # 2025-12-01, before its creation and 211 days before D, is its last visit: overdue (DOMAIN.md counts from
    # created_on only without any visit), though older than D − 180 days, the visits the coverage reads first.
    assert visits.visit_coverage(con, only("K3")).select("covered", "overdue").rows() == [(1, 0)]
    v7 = "V7,K4,M2,2026-05-01,in_person,,\n"
    with db.connect(build(tmp_path, visits=[(v7, v7 + "V8,K3,M2,2025-12-01,phone,,\n")])) as older:
        assert visits.visit_coverage(older, only("K3")).select("covered", "overdue").rows() == [(0, 1)]
        assert visits.visit_status(older, only("K3")).select("days_since_visit", "overdue").rows() == [(211, True)]

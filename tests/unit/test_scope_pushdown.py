"""The scope's accounts restrict visits, complaints and surveys before grouping (tests/portfolio.py, D 2026-06-30)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from kam.metrics import attention, complaints, health, satisfaction, visits
from kam.metrics.scope import Scope
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

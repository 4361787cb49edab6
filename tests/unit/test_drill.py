"""The records behind a clicked bar: the scope narrowed to a tier, region, manager or month, on the portfolio."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kam.metrics import managers, revenue, visits, worklist
from kam.metrics.scope import Scope
from kam.store import db
from tests.portfolio import D, build

YTD = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31))


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    connection = db.connect(build(tmp_path_factory.mktemp("exports")))
    yield connection
    connection.close()


def ids(frame) -> list[str]:
    return frame.get_column("account_id").to_list()


def test_a_tier_bar_lists_its_active_accounts_overdue_first(con):
    # Active at D in tier C: K2 (last visit 01-15, 166 days, cadence 180) and K3 (created 05-01, never visited).
    # Both within their cadence; K2 has been waiting longer. K6 is C but created after D.
    behind = managers.accounts_in_scope(con, YTD.only(tier="C"))
    assert ids(behind) == ["K2", "K3"]
    # K3 never visited: its 60 days since creation are not shown as days since a visit.
    assert behind.get_column("days_since_visit").to_list() == [166, None]
    # B at D is K5 alone, overdue (102 days since 03-20, cadence 90), 400 of revenue in 2026.
    b = managers.accounts_in_scope(con, YTD.only(tier="B"))
    assert b.select("account_id", "overdue", "revenue").rows() == [("K5", True, 400.0)]


def test_a_region_or_manager_bar_lists_theirs(con):
    # 华南 at D: K5 (overdue) and K3; K4 churned in May.
    assert ids(managers.accounts_in_scope(con, YTD.only(region="华南"))) == ["K5", "K3"]
    # M1: K1 (A, 20 days since 06-10, 10 to spare of 30) before K2 (C, 166 days, 14 to spare of 180).
    assert ids(managers.accounts_in_scope(con, YTD.only(manager="M1"))) == ["K1", "K2"]


def test_a_bar_the_filters_leave_out_shows_nothing(con):
    # The sidebar keeps tier A only: a click on C (from a stale chart) must not widen the scope.
    only_a = replace(YTD, tiers=("A",))
    assert managers.accounts_in_scope(con, only_a.only(tier="C")).is_empty()
    assert ids(managers.accounts_in_scope(con, only_a.only(tier="A"))) == ["K1"]


def test_a_month_bar_lists_the_accounts_revenue_in_that_month(con):
    # June 2026 up to D: K5's O9 (400). May: K1's O3 (3000). July: K1's O4 is after D, so nothing.
    june = YTD.in_month(date(2026, 6, 15))
    assert (june.start, june.end) == (date(2026, 6, 1), date(2026, 6, 30))
    assert revenue.revenue_by_account(con, june).select("account_id", "orders", "revenue").rows() == [("K5", 1, 400.0)]
    may = revenue.revenue_by_account(con, YTD.in_month(date(2026, 5, 1)))
    assert may.select("account_id", "name", "revenue").rows() == [("K1", "甲公司", 3000.0)]
    assert revenue.revenue_by_account(con, YTD.in_month(date(2026, 7, 1))).is_empty()
    december = YTD.in_month(date(2025, 12, 31))
    assert (december.start, december.end) == (date(2025, 12, 1), date(2025, 12, 31))
    assert revenue.revenue_by_account(con, december).select("account_id", "revenue").rows() == [("K5", 600.0)]


def test_an_account_never_visited_shows_no_invented_day_counts(con):
    # At 2026-12-31: K3 (C, created 05-01, never visited) is 244 days from its creation, past its cadence of
    # 180 since 10-28: overdue, but "244 days since the last visit" and a due date of 10-28 would read as a
    # visit that once happened. K6 (C, created 07-15, never visited) is 169 days in: its first visit is due by
    # 2027-01-11 (07-15 + 180), which reads right; its days since stay empty. K2 (B since 08-01, cadence 90,
    # last visit 01-15: 350 days) keeps its figures.
    year_end = Scope(as_of=date(2026, 12, 31), start=date(2026, 1, 1), end=date(2026, 12, 31))
    rows = {
        row["account_id"]: row
        for row in managers.accounts_in_scope(con, year_end).iter_rows(named=True)
        if row["account_id"] in ("K2", "K3", "K6")
    }
    shown = ("last_visit", "days_since_visit", "visit_due", "days_overdue", "overdue")
    assert [rows["K3"][c] for c in shown] == ["never visited", None, None, None, True]
    assert [rows["K6"][c] for c in shown] == ["never visited", None, date(2027, 1, 11), 0, False]
    assert [rows["K2"][c] for c in shown] == ["2026-01-15", 350, date(2026, 4, 15), 260, True]
    assert "never_visited" not in managers.accounts_in_scope(con, year_end).columns


def test_the_worklist_reads_an_account_never_visited_the_same_way(con):
    # At 2026-12-31, due or overdue: K1 (A, last visit 07-05: 179 days, due 08-04), K2 (B, 01-15: 350 days, due
    # 04-15), K3 (C, never visited, overdue since 10-28: no day counts, no due date). K6 (due 2027-01-11) is
    # 11 days off, outside the week.
    year_end = Scope(as_of=date(2026, 12, 31), start=date(2026, 1, 1), end=date(2026, 12, 31))
    due = visits.as_read(worklist.worklist(con, year_end))
    assert due.select("account_id", "last_visit", "days_since_visit", "due_date", "days_overdue").rows() == [
        ("K1", "2026-07-05", 179, date(2026, 8, 4), 149),
        ("K2", "2026-01-15", 350, date(2026, 4, 15), 260),
        ("K3", "never visited", None, None, None),
    ]

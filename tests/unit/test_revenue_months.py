"""Revenue from the per-account monthly table built at load plus the orders at a period's ends (tests/portfolio.py)."""

from __future__ import annotations

from datetime import date

import pytest

from kam.metrics import revenue
from kam.metrics.scope import Scope
from kam.store import db
from tests.portfolio import D, build


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    connection = db.connect(build(tmp_path_factory.mktemp("exports")))
    yield connection
    connection.close()


def test_the_load_builds_revenue_per_account_and_month(con):
    got = db.query(con, "SELECT account_id, month, revenue FROM account_month_revenue ORDER BY month, account_id")
    assert got.rows() == [
        ("K2", date(2025, 3, 1), 1500.0),
        ("K1", date(2025, 6, 1), 1000.0),
        ("K1", date(2025, 7, 1), 5000.0),
        ("K5", date(2025, 12, 1), 600.0),
        ("K2", date(2026, 2, 1), 1000.0),
        ("K4", date(2026, 4, 1), 500.0),
        ("K1", date(2026, 5, 1), 3000.0),
        ("K5", date(2026, 6, 1), 400.0),
        ("K1", date(2026, 7, 1), 9999.0),
        ("K6", date(2026, 7, 1), 100.0),
    ]


def test_a_period_starting_on_a_months_last_day_counts_that_day_from_the_orders(con):
    # 2025-06-30..2026-06-30: O1 1000 (the single day before the whole months), then July to June:
    # O2 5000, O8 600, O5 1000, O7 500 (K4, churned since), O3 3000, O9 400. A year earlier,
    # 2024-06-30..2025-06-30: O6 1500 and O1 1000 again.
    money = revenue.revenue_summary(con, Scope(as_of=D, start=date(2025, 6, 30), end=date(2026, 12, 31))).row(
        0, named=True
    )
    assert (money["revenue"], money["revenue_prior_year"]) == (11500, 2500)


def test_a_period_inside_one_month_reads_only_orders(con):
    # 2026-06-30 alone: O9 400; a year earlier 2025-06-30: O1 1000.
    money = revenue.revenue_summary(con, Scope(as_of=D, start=date(2026, 6, 30), end=date(2026, 6, 30))).row(
        0, named=True
    )
    assert (money["revenue"], money["revenue_prior_year"]) == (400, 1000)


def test_revenue_by_month_over_the_24_months_to_d(con):
    monthly = revenue.revenue_by_month(con, Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31)))
    assert monthly.select("month", "revenue").rows() == [
        (date(2025, 3, 1), 1500.0),
        (date(2025, 6, 1), 1000.0),
        (date(2025, 7, 1), 5000.0),
        (date(2025, 12, 1), 600.0),
        (date(2026, 2, 1), 1000.0),
        (date(2026, 4, 1), 500.0),
        (date(2026, 5, 1), 3000.0),
        (date(2026, 6, 1), 400.0),
    ]
    # D is a month's last day: every month counted whole, 2024-07-01 to 2026-06-30.
    assert monthly.select("first_day", "last_day").rows()[-1] == (date(2026, 6, 1), date(2026, 6, 30))


def test_the_months_cut_by_the_window_say_which_days_they_count(con):
    # To 2026-05-20: from 2024-05-21. May 2026 counts 05-01..05-20 (O3, 3,000 on 05-10).
    monthly = revenue.revenue_by_month(
        con, Scope(as_of=date(2026, 5, 20), start=date(2026, 1, 1), end=date(2026, 5, 20))
    )
    assert monthly.rows()[-1] == (date(2026, 5, 1), 3000.0, date(2026, 5, 1), date(2026, 5, 20))
    assert monthly.rows()[0] == (date(2025, 3, 1), 1500.0, date(2025, 3, 1), date(2025, 3, 31))


def test_months_before_keeps_the_day_or_the_months_last():
    assert revenue.months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert revenue.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert revenue.months_before(date(2026, 11, 20), 24) == date(2024, 11, 20)

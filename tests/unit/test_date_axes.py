"""Date axes name a month once at most and a day once at most, however short the account's history (Plotly's own
ticks over three months read "2026-08, 2026-09, 2026-09, 2026-10", the bars under none of them)."""

from __future__ import annotations

from datetime import date

import polars as pl

from kam.present import charts


def months(*firsts: date) -> pl.DataFrame:
    """Monthly revenue as kam.metrics.revenue.revenue_by_month gives it, every month counted whole."""
    frame = pl.DataFrame({"month": list(firsts), "revenue": [1000.0] * len(firsts)})
    return frame.with_columns(first_day=pl.col("month"), last_day=pl.col("month").dt.month_end())


def visits(*days: date) -> pl.DataFrame:
    """One account's visits as kam.metrics.visits.account_visits gives them."""
    return pl.DataFrame(
        {
            "visit_date": list(days),
            "channel": ["in_person"] * len(days),
            "purpose": ["1 初次拜访"] * len(days),
            "executive": [False] * len(days),
            "next_step": [None] * len(days),
        }
    )


def named(axis) -> list[str]:
    return [tick.isoformat() for tick in axis.tickvals]


def test_a_new_accounts_three_months_of_revenue_name_each_month_once():
    # A new account (K0297 of the demo): orders in August, September and October 2026.
    axis = charts.revenue_by_month(months(date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1))).layout.xaxis
    assert (axis.tickmode, axis.tickformat, axis.hoverformat) == ("array", "%Y-%m", "%Y-%m")
    assert named(axis) == ["2026-08-01", "2026-09-01", "2026-10-01"]


def test_two_visits_on_two_days_name_each_day_once():
    # Visited on 2026-09-24 and 2026-09-25: Plotly named each day twice, at its midnight and its noon.
    axis = charts.visit_timeline(visits(date(2026, 9, 25), date(2026, 9, 24))).layout.xaxis
    assert (axis.tickmode, axis.tickformat, axis.hoverformat) == ("array", "%Y-%m-%d", "%Y-%m-%d")
    assert named(axis) == ["2026-09-24", "2026-09-25"]
    # One visit alone: its day, once.
    assert named(charts.visit_timeline(visits(date(2026, 9, 24))).layout.xaxis) == ["2026-09-24"]


def test_visits_over_a_few_days_name_at_most_four_days_a_whole_number_of_days_apart():
    # 2026-09-01 to 2026-09-10: ten days, every third named (four).
    axis = charts.visit_timeline(visits(date(2026, 9, 1), date(2026, 9, 4), date(2026, 9, 10))).layout.xaxis
    assert named(axis) == ["2026-09-01", "2026-09-04", "2026-09-07", "2026-09-10"]


def test_visits_over_two_years_name_first_days_of_months():
    # 2024-11-10 to 2026-09-25: the months 2024-12 to 2026-09 inside them, twenty-two, every sixth named.
    axis = charts.visit_timeline(visits(date(2024, 11, 10), date(2026, 9, 25))).layout.xaxis
    assert named(axis) == ["2024-12-01", "2025-06-01", "2025-12-01", "2026-06-01"]


def test_weeks_are_named_at_their_mondays_whole_weeks_apart():
    # Five weeks from Monday 2026-09-07: every second Monday named.
    weekly = pl.DataFrame(
        {
            "week": [date(2026, 9, 7), date(2026, 9, 14), date(2026, 9, 28), date(2026, 10, 5)],
            "channel": ["phone"] * 4,
            "visits": [1, 2, 1, 3],
        }
    )
    axis = charts.visits_by_week(weekly).layout.xaxis
    assert (axis.tickmode, axis.tickformat) == ("array", "%Y-%m-%d")
    assert named(axis) == ["2026-09-07", "2026-09-21", "2026-10-05"]
    # A single week: its Monday.
    assert named(charts.visits_by_week(weekly.head(1)).layout.xaxis) == ["2026-09-07"]

"""Axes that count things (accounts, visits, complaints) tick whole numbers only: no half an account."""

from __future__ import annotations

from datetime import date

import polars as pl

from kam.present import charts


def _churn(rows: list[tuple[date, str, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "month": [month for month, _, _ in rows],
            "churn_reason": [reason for _, reason, _ in rows],
            "accounts": [accounts for _, _, accounts in rows],
            "lost_revenue": [1000.0 * accounts for _, _, accounts in rows],
        }
    )


def test_a_few_churned_accounts_a_month_tick_every_whole_number():
    # September: 1 for price + 2 for service, stacked to 3; October: 1. Plotly's own step would be 0.5.
    fig = charts.churn_over_time(
        _churn([(date(2026, 9, 1), "price", 1), (date(2026, 9, 1), "service", 2), (date(2026, 10, 1), "price", 1)])
    )
    axis = fig.layout.yaxis
    assert (axis.tickformat, axis.tickmode, axis.tick0, axis.dtick, axis.rangemode) == (",d", "linear", 0, 1, "tozero")


def test_many_churned_accounts_keep_plotlys_step_in_whole_numbers():
    # 6 + 5 stacked in September: 11 accounts, past ten ticks of 1; Plotly's step is then 2 or more.
    fig = charts.churn_over_time(_churn([(date(2026, 9, 1), "price", 6), (date(2026, 9, 1), "market", 5)]))
    axis = fig.layout.yaxis
    assert (axis.tickformat, axis.dtick) == (",d", None)


def test_churn_by_month_names_at_most_five_months_side_by_side():
    # Churn from 2026-02 to 2026-10: nine months, every second one named (five), as on a phone 390 px wide.
    fig = charts.churn_over_time(
        _churn([(date(2026, 2, 1), "price", 1), (date(2026, 5, 1), "service", 1), (date(2026, 10, 1), "price", 1)])
    )
    axis = fig.layout.xaxis
    assert [f"{tick:%Y-%m}" for tick in axis.tickvals] == ["2026-02", "2026-04", "2026-06", "2026-08", "2026-10"]
    assert (axis.tickmode, axis.tickformat) == ("array", "%Y-%m")
    # Every month of five named; two years every sixth month; one month alone.
    assert [f"{tick:%Y-%m}" for tick in charts.month_ticks(pl.Series([date(2026, 1, 1), date(2026, 5, 1)]))] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    two_years = charts.month_ticks(pl.Series([date(2025, 1, 1), date(2026, 12, 1)]))
    assert [f"{tick:%Y-%m}" for tick in two_years] == ["2025-01", "2025-07", "2026-01", "2026-07"]
    assert charts.month_ticks(pl.Series([date(2026, 9, 1)])) == [date(2026, 9, 1)]


def test_bars_side_by_side_count_their_longest_bar_not_their_sum():
    fig = charts.churn_over_time(_churn([(date(2026, 9, 1), "price", 6), (date(2026, 9, 1), "market", 5)]))
    fig.update_layout(barmode="group")
    assert charts._longest_bar(fig, "y") == 6


def test_managers_churn_counts_along_the_horizontal_axis():
    frame = pl.DataFrame(
        {
            "manager_id": ["M01", "M02"],
            "manager_name": ["徐军", "张浩然"],
            "churn_reason": ["price", "service"],
            "accounts": [2, 1],
            "lost_revenue": [2000.0, 1000.0],
        }
    )
    fig = charts.churn_by(frame, "manager_id", "Manager")
    assert (fig.layout.xaxis.tickformat, fig.layout.xaxis.dtick) == (",d", 1)
    assert fig.layout.yaxis.dtick is None


def test_every_counting_chart_ticks_whole_numbers():
    tiers = pl.DataFrame({"tier": ["A", "B", "C"], "accounts": [3, 2, 1]})
    ages = pl.DataFrame({"age_band": ["< 1 day", "1–3 days"], "complaints": [1, 2]})
    scores = pl.DataFrame({"score": [4, 5], "responses": [2, 3]})
    weekly = pl.DataFrame({"week": [date(2026, 11, 2)] * 2, "channel": ["phone", "video"], "visits": [2, 1]})
    mix = pl.DataFrame({"date": [date(2026, 10, 31)] * 2, "tier": ["A", "B"], "accounts": [2, 3]})
    sla = pl.DataFrame({"severity": ["high"], "met": [1], "breached": [1], "pending": [0], "met_pct": [0.5]})
    health = pl.DataFrame({"tier": ["A"], "at_risk": [1], "watch": [2], "healthy": [3]})
    for fig in (
        charts.tier_mix(mix),
        charts.sla_counts(sla, "severity", "Severity"),
        charts.health_bands(health, "tier", "Tier"),
        charts.tier_counts(tiers),
        charts.ageing(ages),
        charts.score_distribution(scores),
        charts.visits_by_week(weekly),
    ):
        assert (fig.layout.yaxis.tickformat, fig.layout.yaxis.dtick) == (",d", 1), fig.layout.title.text

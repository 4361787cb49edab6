"""Chart axes in each language: money ticks of our own for 万 and 亿, tiers by their names."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from kam import i18n
from kam.present import charts
from kam.present.formatting import money_ticks


def test_ticks_in_wan_and_yi():
    # 68.4M over five ticks: a step of 20M (the next round step above 13.68M).
    assert money_ticks(68_400_000, lang="zh-CN") == (
        [0, 20_000_000, 40_000_000, 60_000_000, 80_000_000],
        ["¥0", "¥2,000万", "¥4,000万", "¥6,000万", "¥8,000万"],
    )
    # 250M: a step of 50M, past 1亿 the ticks count in 亿.
    assert money_ticks(250_000_000, lang="zh-CN")[1] == ["¥0", "¥5,000万", "¥1亿", "¥1.5亿", "¥2亿", "¥2.5亿"]


def test_ticks_in_english():
    assert money_ticks(68_400_000, lang="en")[1] == ["¥0", "¥20M", "¥40M", "¥60M", "¥80M"]
    assert money_ticks(120_000_000, lang="en")[1] == ["¥0", "¥50M", "¥100M", "¥150M"]


def test_no_money_is_one_tick():
    assert money_ticks(None, lang="zh-CN") == ([0.0], ["¥0"])


@pytest.fixture
def chinese():
    token = i18n.use_language("zh-CN")
    yield
    i18n._language.reset(token)


def whole_months(months: list, revenue: list[float]) -> pl.DataFrame:
    """Monthly revenue as kam.metrics.revenue.revenue_by_month gives it, every month counted whole."""
    frame = pl.DataFrame({"month": months, "revenue": revenue})
    return frame.with_columns(first_day=pl.col("month"), last_day=pl.col("month").dt.month_end())


def test_revenue_chart_axis_and_hover_in_chinese(chinese):
    from datetime import date

    monthly = whole_months([date(2026, 9, 1), date(2026, 10, 1)], [30_000_000.0, 120_000_000.0])
    fig = charts.revenue_by_month(monthly)
    assert list(fig.layout.yaxis.ticktext) == ["¥0", "¥5,000万", "¥1亿", "¥1.5亿"]
    assert list(fig.data[0].customdata[1]) == ["2026-10-01", "¥120,000,000", "2026-10"]


def test_a_month_counted_in_part_is_pale_and_says_its_days(chinese):
    from datetime import date

    # To 2026-11-15: November counts its first 15 days; October whole.
    monthly = pl.DataFrame(
        {
            "month": [date(2026, 10, 1), date(2026, 11, 1)],
            "revenue": [30_000_000.0, 15_000_000.0],
            "first_day": [date(2026, 10, 1), date(2026, 11, 1)],
            "last_day": [date(2026, 10, 31), date(2026, 11, 15)],
        }
    )
    fig = charts.revenue_by_month(monthly)
    assert list(fig.data[0].marker.opacity) == [1.0, charts.PART_MONTH_OPACITY]
    assert [row[2] for row in fig.data[0].customdata] == ["2026-10", "2026-11-01 – 2026-11-15"]


def test_tier_axis_names_the_tiers_in_chinese(chinese):
    dist = pl.DataFrame({"tier": ["A", "B", "C"], "accounts": [1, 2, 3]})
    fig = charts.tier_counts(dist)
    assert list(fig.layout.xaxis.ticktext) == ["A类 · 重点客户", "B类 · 一般客户", "C类 · 潜在客户"]
    # The bars keep the letter, which a click hands on as the tier.
    assert [list(bar.customdata[0]) for bar in fig.data] == [["A"], ["B"], ["C"]]


def test_credit_charts_count_money_in_wan_in_chinese(chinese):
    # The demo's ageing: 4.46M at most, a step of 1M (the next round step above 0.89M).
    buckets = pl.DataFrame({"age_bucket": ["1-30", "90+"], "overdue_amount": [2_093_799.0, 4_464_517.0]})
    assert list(charts.receivables_ageing(buckets).layout.yaxis.ticktext) == [
        "¥0",
        "¥100万",
        "¥200万",
        "¥300万",
        "¥400万",
        "¥500万",
    ]
    owed = pl.DataFrame({"manager_id": ["王伟 (M1)", "李娜 (M2)"], "overdue": [150_000_000.0, 20_000_000.0]})
    assert list(charts.money_by_manager(owed, "overdue", "逾期应收款").layout.xaxis.ticktext) == [
        "¥0",
        "¥5,000万",
        "¥1亿",
        "¥1.5亿",
    ]


def test_dates_on_an_axis_read_as_numbers_in_every_language():
    # Plotly would write "Jan 2026" under a Chinese page: months as 2026-01, days as 2026-01-05.
    monthly = whole_months([date(2026, 1, 1), date(2026, 2, 1)], [100.0, 200.0])
    weekly = pl.DataFrame({"week": [date(2026, 1, 5)], "channel": ["phone"], "visits": [3]})
    token = i18n.use_language("zh-CN")
    try:
        by_month = charts.revenue_by_month(monthly).layout.xaxis
        by_week = charts.visits_by_week(weekly).layout.xaxis
    finally:
        i18n._language.reset(token)
    assert (by_month.tickformat, by_month.hoverformat) == ("%Y-%m", "%Y-%m")
    assert (by_week.tickformat, by_week.hoverformat) == ("%Y-%m-%d", "%Y-%m-%d")


def test_a_lone_period_of_the_sla_trend_is_one_category():
    # On a date axis Plotly zooms a single point to milliseconds ("23:59:59.999").
    trend = pl.DataFrame(
        {"period": [date(2026, 11, 1)], "met": [7], "breached": [2], "pending": [0], "met_pct": [7 / 9]}
    )
    fig = charts.sla_over_time(trend)
    assert fig.layout.xaxis.type == "category"
    assert list(fig.data[0].x) == ["2026-11-01"]


TIER_NAMES_ZH = ["A类 · 重点客户", "B类 · 一般客户", "C类 · 潜在客户"]


def test_every_chart_by_tier_names_the_tiers_as_the_tiers_page_does(chinese):
    # The retention page's churn by tier read "A" beside its repeat-purchase rate by tier's "A类 · 重点客户".
    tiers = ["A", "B", "C"]
    churn = pl.DataFrame(
        {"tier": tiers, "churn_reason": ["price"] * 3, "accounts": [1, 2, 1], "lost_revenue": [10.0, 20.0, 5.0]}
    )
    bands = pl.DataFrame({"tier": tiers, "at_risk": [1, 0, 2], "watch": [0, 1, 1], "healthy": [3, 2, 1]})
    scores = pl.DataFrame(
        {"tier": tiers, "mean_score": [4.5, 4.0, 3.5], "csat_pct": [0.9, 0.8, 0.5], "responses": [2, 5, 4]}
    )
    repeat = pl.DataFrame({"tier": tiers, "repeat_rate": [0.9, 0.6, 0.3]})
    figures = {
        "churn": charts.churn_by(churn, "tier", "客户等级"),
        "health": charts.health_bands(bands, "tier", "客户等级"),
        "satisfaction": charts.satisfaction_by(scores, "tier", "客户等级"),
        "repeat": charts.share_by(repeat, "tier", "repeat_rate", "回头率", "客户等级", color="tier"),
    }
    assert {name: list(fig.layout.xaxis.ticktext) for name, fig in figures.items()} == {
        name: TIER_NAMES_ZH for name in figures
    }
    # The bars keep the letter, which a click hands on as the tier.
    assert sorted({tier for bar in figures["health"].data for tier in bar.x}) == tiers

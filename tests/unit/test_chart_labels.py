"""Chart labels that do not collide, and the bundled page icon."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from kam import i18n
from kam.present import charts, formatting

ROOT = Path(__file__).resolve().parents[2]
FAVICON = ROOT / "kam" / "ui" / "favicon.png"


def test_the_pareto_cut_off_labels_sit_under_their_lines_at_the_right():
    # Three accounts of 60, 30 and 10: cumulative 60 %, 90 %, 100 %.
    abc = pl.DataFrame(
        {
            "rank": [1, 2, 3],
            "cumulative_share": [0.6, 0.9, 1.0],
            "account_id": ["K1", "K2", "K3"],
            "name": ["甲", "乙", "丙"],
            "tier": ["A", "B", "C"],
            "suggested_tier": ["A", "B", "C"],
        }
    )
    fig = charts.pareto(abc, {"A": 0.80, "B": 0.95})
    labels = [(a.text, a.y, a.yanchor, a.xanchor) for a in fig.layout.annotations]
    assert labels == [("A cut-off 80%", 0.8, "top", "right"), ("B cut-off 95%", 0.95, "top", "right")]
    assert fig.data[0].mode == "lines"
    # A manager's K2 and K3, second and third of the company's: each a point on the company's curve.
    some = charts.pareto(abc.filter(pl.col("rank") > 1), {"A": 0.80, "B": 0.95})
    assert (list(some.data[0].x), list(some.data[0].y), some.data[0].mode) == ([2, 3], [0.9, 1.0], "lines+markers")


def test_the_pie_labels_every_slice_and_names_the_tiers_as_the_bars_do():
    # 68.6 %, 25 % and 6.4 %: the small C slice has its label outside, the pie stays below the title.
    dist = pl.DataFrame({"tier": ["A", "B", "C"], "accounts": [44, 88, 153], "revenue_12m": [686.0, 250.0, 64.0]})
    with i18n.speaking("zh-CN"):
        pie = charts.tier_revenue_share(dist)
        bars = charts.tier_counts(dist)
    trace = pie.data[0]
    assert list(trace.labels) == ["A类 · 重点客户", "B类 · 一般客户", "C类 · 潜在客户"]
    assert list(trace.labels) == list(bars.layout.xaxis.ticktext)
    assert list(trace.textposition) == ["inside", "inside", "outside"]
    assert [c[0] for c in trace.customdata] == ["A", "B", "C"]
    # Shares to one decimal as the table below says them (6.4 %, not Plotly's 6.41 %).
    assert trace.texttemplate == "%{customdata[0]}<br>%{percent:.1%}"
    assert tuple(trace.domain.y) == (0, 0.86)
    # The hover names the slice by its label (a pie's hover cannot reach customdata: Plotly's own said "客户等级=-")
    # and writes its amount as the tables do.
    assert (
        trace.hovertemplate
        == "%{label}<br>近 12 个月销售额: ¥%{value:,.0f}<br>销售额占比: %{percent:.1%}<extra></extra>"
    )


def test_a_churn_chart_hover_writes_the_lost_revenue_with_its_yen():
    months = pl.DataFrame(
        {"month": [date(2026, 9, 1)], "churn_reason": ["price"], "accounts": [2], "lost_revenue": [91034.4]}
    )
    by_tier = months.rename({"month": "tier"}).with_columns(tier=pl.lit("A"))
    with i18n.speaking("zh-CN"):
        over_time = charts.churn_over_time(months).data[0].hovertemplate
        by_cause = charts.churn_by(by_tier, "tier", "客户等级").data[0].hovertemplate
    assert (
        over_time
        == "背离原因=价格背离<br>月份=%{x}<br>背离客户数=%{y}<br>流失销售额=¥%{customdata[0]:,.0f}<extra></extra>"
    )
    assert by_cause.endswith("<br>流失销售额=¥%{customdata[0]:,.0f}<extra></extra>")


def test_the_page_icon_is_a_bundled_png_not_an_icon_fetched_online():
    assert FAVICON.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "page_icon=str(dashboard.FAVICON)" in app
    dashboard = (ROOT / "kam" / "ui" / "dashboard.py").read_text(encoding="utf-8")
    assert 'FAVICON = Path(__file__).with_name("favicon.png")' in dashboard


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        # 2,093,799 is 209.4万, written without a decimal from 100万 on; 443,671.60 is 44.4万.
        ("zh-CN", ["¥209万", "¥44.4万", "¥0", "¥1,200万"]),
        ("en", ["¥2.1M", "¥443.7K", "¥0", "¥12M"]),
    ],
)
def test_the_ageing_bars_are_labelled_in_money_as_their_axis_is(language: str, labels: list[str]):
    buckets = pl.DataFrame(
        {"age_bucket": ["1-30", "31-60", "61-90", "90+"], "overdue_amount": [2_093_799.0, 443_671.6, 0.0, 12_000_000.0]}
    )
    with i18n.speaking(language):
        fig = charts.receivables_ageing(buckets)
        assert list(fig.data[0].text) == labels
        # The axis: ticks from money_ticks, in the same short form (¥500万 a step up to ¥1,500万; ¥5M in English).
        assert list(fig.layout.yaxis.ticktext)[:2] == [formatting.money_short(0), formatting.money_short(5_000_000)]
    assert fig.data[0].texttemplate in (None, "%{text}")


def test_titles_of_the_form_x_by_y_write_y_as_running_text_acronyms_kept():
    one = pl.DataFrame({"manager_id": ["M01"], "name": ["甲"], "figure": [0.5]})
    owed = pl.DataFrame({"manager_id": ["甲 (M01)"], "overdue_amount": [1000.0]})
    health = pl.DataFrame({"tier": ["A"], "at_risk": [1], "watch": [0], "healthy": [2]})
    churn = pl.DataFrame({"tier": ["A"], "churn_reason": ["price"], "accounts": [1], "lost_revenue": [10.0]})
    with i18n.speaking("en"):
        titles = [
            charts.money_by_manager(owed, "overdue_amount", "Overdue receivables").layout.title.text,
            charts.ranking(one, "figure", "Complaint SLA met", 0.9).layout.title.text,
            charts.ranking(one, "figure", "CSAT", 0.8).layout.title.text,
            charts.health_bands(health, "tier", "Tier").layout.title.text,
            charts.churn_by(churn, "tier", "Tier").layout.title.text,
        ]
    assert titles == [
        "Managers by overdue receivables",
        "Managers by complaint SLA met",
        "Managers by CSAT",
        "Account health by tier",
        "Churn by cause and tier",
    ]


def test_the_value_on_a_bar_reads_across_however_short_the_bar():
    # 5 open complaints beside 51: Plotly turned the "5" on its side to fit it in the short bar.
    bands = pl.DataFrame({"age_band": ["7–30 days", "> 30 days"], "complaints": [5, 51]})
    dist = pl.DataFrame({"tier": ["A", "B", "C"], "accounts": [44, 88, 153]})
    scores = pl.DataFrame({"score": [1, 5], "responses": [2, 40]})
    for fig in (charts.ageing(bands), charts.tier_counts(dist), charts.score_distribution(scores)):
        assert {trace.textangle for trace in fig.data} == {0}


# The month ends of 2025-12 to 2026-10 and the as-of date 2026-11-15, as the Tiers page's mix over time has them.
MONTH_ENDS = [date(2026, month, 1) - timedelta(days=1) for month in range(1, 12)]


def _mix(days: list[date]) -> pl.DataFrame:
    return pl.DataFrame({"date": days, "tier": ["A"] * len(days), "accounts": list(range(1, len(days) + 1))})


@pytest.mark.parametrize(("language", "as_of"), [("en", "(as of)"), ("zh-CN", "（截至日）")])
def test_the_tier_mix_has_a_bar_per_date_named_by_its_date_the_as_of_date_said(language: str, as_of: str):
    with i18n.speaking(language):
        fig = charts.tier_mix(_mix([*MONTH_ENDS, date(2026, 11, 15)]))
    axis = fig.layout.xaxis
    # Twelve bars at even steps, each on its own date: 2025-12-31 no longer under 2026-01-01, 2026-10-31 and
    # 2026-11-15 no longer side by side as one doubled bar.
    assert axis.type == "category"
    assert list(axis.categoryarray) == [f"{day:%Y-%m-%d}" for day in MONTH_ENDS] + ["2026-11-15"]
    assert list(fig.data[0].x) == list(axis.categoryarray)
    # Every third bar named back from the last (four fit a phone), the as-of date said to be it.
    assert list(axis.tickvals) == ["2026-02-28", "2026-05-31", "2026-08-31", "2026-11-15"]
    assert list(axis.ticktext) == ["2026-02-28", "2026-05-31", "2026-08-31", f"2026-11-15<br>{as_of}"]
    # A click still gives the tier and the date.
    assert list(fig.data[0].customdata[-1][:2]) == ["A", "2026-11-15"]


def test_an_as_of_date_at_a_month_end_reads_as_one():
    fig = charts.tier_mix(_mix(MONTH_ENDS[-3:]))
    assert list(fig.layout.xaxis.ticktext) == ["2026-08-31", "2026-09-30", "2026-10-31"]

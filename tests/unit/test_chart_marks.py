"""Charts with one bar per manager stay light: past 20 managers only the 10 lowest and 10 highest are drawn."""

import polars as pl

from kam import i18n
from kam.metrics import risk
from kam.present import charts


def _managers(n: int) -> pl.DataFrame:
    # M01 has share 0.01, M02 0.02, …; M00 has none and is never drawn.
    return pl.DataFrame(
        {
            "manager_id": [f"M{i:02d}" for i in range(n + 1)],
            "name": [f"N{i}" for i in range(n + 1)],
            "attainment": [None] + [i / 100 for i in range(1, n + 1)],
            "met": [1] * (n + 1),
            "breached": [0] * (n + 1),
            "pending": [0] * (n + 1),
            "met_pct": [None] + [i / 100 for i in range(1, n + 1)],
        }
    )


def test_ends_keeps_the_ten_lowest_and_ten_highest():
    kept = charts.ends(_managers(25), "attainment")
    assert kept["manager_id"].to_list() == [f"M{i:02d}" for i in [*range(1, 11), *range(16, 26)]]


def test_ends_keeps_every_manager_with_a_value_up_to_twenty():
    assert charts.ends(_managers(20), "attainment")["manager_id"].to_list() == [f"M{i:02d}" for i in range(1, 21)]


def test_ranking_draws_twenty_bars_of_a_thousand_managers():
    bars = charts.ranking(_managers(99), "attainment", "Revenue attainment", 0.5).data[0]
    assert len(bars.y) == 20
    assert bars.y[0] == "N1 (M01)" and bars.y[-1] == "N99 (M99)"
    assert list(bars.x[9:11]) == [0.10, 0.90]


def test_share_by_and_sla_counts_draw_only_the_ends():
    frame = _managers(30)
    assert len(charts.share_by(frame, "manager_id", "attainment", "Attainment", "Manager").data[0].x) == 20
    assert sum(len(trace.x) for trace in charts.sla_counts(frame, "manager_id", "Manager").data) == 3 * 20


def test_share_by_keeps_a_few_groups_in_their_order():
    frame = _managers(3).drop_nulls("attainment").reverse()
    assert list(charts.share_by(frame, "manager_id", "attainment", "Attainment", "Manager").data[0].x) == [
        "M03",
        "M02",
        "M01",
    ]


def test_the_ranking_axis_reaches_the_target_line_when_every_bar_falls_short():
    # One manager at 43.5 % against a 100 % target: the axis runs from 0 past 1.0, the line inside it.
    one = pl.DataFrame({"manager_id": ["M06"], "name": ["魏秀英"], "attainment": [0.435]})
    fig = charts.ranking(one, "attainment", "Revenue attainment", 1.0)
    low, high = fig.layout.xaxis.range
    assert low == 0 and 1.0 < high <= 1.1
    assert fig.layout.shapes[0].x0 == 1.0


def test_the_ranking_axis_reaches_the_longest_bar_and_a_negative_one():
    # Growth of -20 % and +150 % against a 10 % target: the axis holds both bars and the line.
    two = pl.DataFrame({"manager_id": ["M01", "M02"], "name": ["甲", "乙"], "growth": [-0.2, 1.5]})
    low, high = charts.ranking(two, "growth", "Growth", 0.1).layout.xaxis.range
    assert -0.3 < low < -0.2 and 1.5 < high < 1.6


def test_a_chart_of_the_most_overdue_draws_all_of_up_to_twenty_managers_and_says_so():
    # 11 managers (郭勇 the 11th, as in the demo): all 11 drawn, as the table beside it lists; 35: the first 10.
    eleven, many = _managers(10), _managers(34)
    assert risk.first(eleven)["manager_id"].to_list() == [f"M{i:02d}" for i in range(11)]
    assert risk.first(many)["manager_id"].to_list() == [f"M{i:02d}" for i in range(10)]
    assert risk.top(many, many.select("manager_id"), "manager_id").height == 10
    assert risk.top(eleven, eleven.select("manager_id"), "manager_id").height == 11
    with i18n.speaking("zh-CN"):
        assert charts.overdue_managers_caption(11) == "客户经理：有应收账款的全部 11 位，逾期金额最多的在前。"
        assert (
            charts.overdue_managers_caption(35)
            == "客户经理：图中为逾期金额最多的 10 位，表中为有应收账款的全部 35 位。"
        )
        assert charts.health_managers_caption(11) == "有在册客户的客户经理：全部 11 位，按平均分排列。"
        assert (
            charts.health_managers_caption(35)
            == "有在册客户的客户经理：图中为平均分最低的 10 位和最高的 10 位，表中为全部 35 位。"
        )
        assert charts.churn_managers_caption(5) == "有客户背离的客户经理：全部 5 位。"
    with i18n.speaking("en"):
        assert charts.overdue_managers_caption(1) == "Managers: the one with receivables."
        assert charts.health_managers_caption(20) == "Managers with active accounts: all 20, by mean score."
        assert charts.churn_managers_caption(21) == (
            "Managers with churn: the 10 with the most lost revenue in the chart, all 21 in the table."
        )


def test_the_attainment_ranking_puts_a_manager_on_a_bound_in_the_band_above_it():
    # On pace from 100 %, behind from 90 %: 100.0 % is on pace, 99.9 % and 90.0 % behind, 89.9 % well behind.
    four = pl.DataFrame(
        {
            "manager_id": ["M1", "M2", "M3", "M4"],
            "name": ["甲", "乙", "丙", "丁"],
            "attainment": [1.0, 0.999, 0.9, 0.899],
        }
    )
    fig = charts.ranking(four, "attainment", "Revenue attainment", 1.0, (1.0, 0.9))
    assert [(trace.marker.color, list(trace.y)) for trace in fig.data] == [
        ("#27ae60", ["甲 (M1)"]),
        ("#f5b041", ["丙 (M3)", "乙 (M2)"]),
        ("#c0392b", ["丁 (M4)"]),
    ]
    # Every band named in the legend though only one manager is on pace.
    assert [trace.name for trace in fig.data] == [
        "On pace, 100% and over",
        "Behind, 90% to under 100%",
        "Well behind, under 90%",
    ]

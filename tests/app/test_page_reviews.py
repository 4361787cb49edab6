"""The quarterly reviews' table: each value as its kind reads everywhere, on the portfolio of tests/portfolio.py.

王伟 (M1) manages K1 and K2; 李娜 (M2) K3, K4 (churned 05-15) and K5; 张敏 (M3) none.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kam import i18n
from kam.i18n import _
from kam.relations import targets
from kam.store import db
from kam.ui.language import CHOSEN
from tests.app.test_forms_on_a_phone import around, brought_into_view
from tests.apptest import VP, app, start


def review_table(at: AppTest) -> tuple[dict[str, Any], list[str], list[dict[str, Any]]]:
    """The first table's column settings, the columns shown in order, and its rows (a missing value as None)."""
    return review_table_at(at, 0)


def review_table_at(at: AppTest, index: int) -> tuple[dict[str, Any], list[str], list[dict[str, Any]]]:
    """The nth table's column settings, the columns shown in order, and its rows (a missing value as None)."""
    table = at.dataframe[index]
    config = json.loads(table.proto.columns or "{}")
    order = list(table.proto.column_order) or list(table.value.columns)
    rows = [{k: None if pd.isna(v) else v for k, v in row.items()} for row in table.value.to_dict("records")]
    return config, order, rows


def test_the_review_table_reads_money_and_shares_as_everywhere_else(portfolio):
    at = start("reviews", user=VP)
    at.selectbox(key="review_quarter").set_value(2).run()
    assert not at.exception
    config, order, rows = review_table(at)
    # One row per manager and quarter, the name beside the id once: nine columns fit a laptop, not fifteen.
    assert order == [
        "manager_id",
        "quarter",
        "revenue",
        "attainment",
        "visit_coverage",
        "sla_met_pct",
        "csat_pct",
        "plan_coverage",
        "executive_coverage",
    ]
    formats = {column: config[column].get("type_config", {}).get("format") for column in order[2:]}
    assert formats == {"revenue": "yen"} | {column: "percent" for column in order[3:]}
    # A share to one decimal in every row (81.8%, 50.0%), not 50% beside 95.78%.
    assert {config[column]["type_config"].get("step") for column in order[3:]} == {0.001}
    # Revenue: M1's Q2 is K1's O3 (05-10, 3,000), its Q1 K2's O5 (02-01, 1,000); M2's Q2 is K4's O7 (04-01,
    # 500) and K5's O9 (06-30, 400), its Q1 nothing; M3 has no account.
    assert [(row["manager_id"], row["quarter"], row["revenue"]) for row in rows] == [
        ("王伟 (M1)", "2026 Q2", 3000.0),
        ("王伟 (M1)", "2026 Q1", 1000.0),
        ("李娜 (M2)", "2026 Q2", 900.0),
        ("李娜 (M2)", "2026 Q1", 0.0),
        ("张敏 (M3)", "2026 Q2", 0.0),
        ("张敏 (M3)", "2026 Q1", 0.0),
    ]


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "quarterly-review_2026-q3_manager-M1.csv"), ("zh-CN", "季度评审_2026-q3_客户经理-M1.csv")],
)
def test_the_review_file_says_the_quarter_and_the_filters(portfolio, offered_files, language, name):
    # The quarter of the data date (2026-08-01), 王伟 (M1) alone chosen in the sidebar: his rows only.
    at = app("reviews", user=VP, manager="王伟 (M1)")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    assert offered_files["download-quarterly-review-2026-q3"] == name


@pytest.mark.parametrize(
    ("quarter", "said"),
    [
        # The exports here run to 2026-08-01: the third quarter counts to that day.
        (3, "2026-07-01 – 2026-08-01 (the quarter so far), beside 2026-04-01 – 2026-06-30"),
        (2, "2026-04-01 – 2026-06-30, beside 2026-01-01 – 2026-03-31"),
    ],
    ids=["quarter-so-far", "whole-quarter"],
)
def test_a_quarter_not_over_says_it_counts_the_days_so_far(portfolio, quarter, said):
    at = start("reviews", user=VP)
    at.selectbox(key="review_quarter").set_value(quarter).run()
    assert not at.exception
    assert said in [caption.value for caption in at.caption]


def test_next_years_targets_read_as_money_with_the_name_once(portfolio):
    at = start("reviews", user=VP)
    config, order, _rows = review_table_at(at, 1)
    assert order == ["manager_id", "exported_target", "app_target", "target_used", "source"]
    assert {column: config[column]["type_config"]["format"] for column in order[1:4]} == dict.fromkeys(
        order[1:4], "yen"
    )


@pytest.fixture
def december(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is taken for the month in which next year's targets are entered, so that their form shows."""
    monkeypatch.setattr(targets, "TARGET_MONTH", date.today().month)


def target_typed(amount: float, language: str) -> AppTest:
    """The VP's reviews page in language, M1's target for next year typed as amount and saved."""
    at = app("reviews", user=VP)
    at.session_state[CHOSEN] = language
    at = at.run()
    with i18n.speaking(language):
        at.selectbox(key="target_manager").set_value("M1")
        at.number_input(key="target_amount").set_value(amount)
        return next(b for b in at.button if b.label == _("Save the target")).click().run()


def app_targets(path) -> list[tuple]:
    with db.connect(path) as con:
        return con.execute("SELECT manager_id, year, revenue_target FROM targets_app").fetchall()


def test_a_negative_target_is_refused_at_the_field_in_chinese_keeping_what_was_typed(portfolio, december):
    at = target_typed(-5000.0, "zh-CN")
    [form] = [block for block in at.main.children.values() if block.type == "form"]
    # The refusal sits in the form, under the field, in Chinese; nothing saved, the typed amount kept.
    assert [e.value for e in form.error] == ["销售额目标必须大于 0。"]
    assert [e.value for e in at.error] == ["销售额目标必须大于 0。"]
    assert [t.value for t in at.toast] == ["未保存：请查看红色提示。"]
    assert at.number_input(key="target_amount").value == -5000.0
    assert app_targets(portfolio) == []


def test_a_target_typed_in_december_is_saved(portfolio, december):
    at = target_typed(40000.0, "en")
    # Said once, under the targets table and its download, the page brought to it from the form's button.
    assert [s.value for s in at.success] == ["Target saved."]
    assert [s.value for s in at.get_by_key("target-saved").success] == ["Target saved."]
    assert around(at, "target-saved")[0].key == f"download-targets-{date.today().year + 1}"
    assert not at.toast
    assert brought_into_view(at) == ['".st-key-target-saved"']
    assert not at.error
    assert app_targets(portfolio) == [("M1", date.today().year + 1, 40000.0)]

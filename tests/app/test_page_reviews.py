"""The quarterly reviews' table: each value as its kind reads everywhere, on the portfolio of tests/portfolio.py.

王伟 (M1) manages K1 and K2; 李娜 (M2) K3, K4 (churned 05-15) and K5; 张敏 (M3) none.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.apptest import VP, start


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


def test_next_years_targets_read_as_money_with_the_name_once(portfolio):
    at = start("reviews", user=VP)
    config, order, _rows = review_table_at(at, 1)
    assert order == ["manager_id", "exported_target", "app_target", "target_used", "source"]
    assert {column: config[column]["type_config"]["format"] for column in order[1:4]} == dict.fromkeys(
        order[1:4], "yen"
    )

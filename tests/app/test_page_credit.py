"""The credit page's amounts read as money wherever they are: the largest overdue accounts' ageing columns."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from kam.metrics import risk
from kam.ui.language import CHOSEN
from tests.app.test_page_risk import risky  # noqa: F401  (the fixture of test_risk's receivables)
from tests.apptest import app

# The receivables at the end of 2026-06-30, whatever the period (the year to date): every table named by that day.
FILES = {
    "en": {
        "overdue-by-age": "overdue-by-age_at-2026-06-30.csv",
        "over-limit-accounts": "over-limit-accounts_at-2026-06-30.csv",
        "overdue-by-manager": "overdue-by-manager_at-2026-06-30.csv",
        "largest-overdue": "largest-overdue_at-2026-06-30.csv",
    },
    "zh-CN": {
        "overdue-by-age": "按账龄的逾期_截至2026-06-30.csv",
        "over-limit-accounts": "超额度客户_截至2026-06-30.csv",
        "overdue-by-manager": "按客户经理的逾期_截至2026-06-30.csv",
        "largest-overdue": "逾期金额最大的客户_截至2026-06-30.csv",
    },
}


# The configured edges 30, 60 and 90 days.
BANDS = {
    "en": ["1–30 days", "31–60 days", "61–90 days", "> 90 days"],
    "zh-CN": ["1–30 天", "31–60 天", "61–90 天", "> 90 天"],
}


@pytest.mark.parametrize(
    ("language", "header", "help_"),
    [("en", "1–30 days", "Overdue 1–30 days"), ("zh-CN", "1–30 天", "逾期 1–30 天")],
    ids=["en", "zh-CN"],
)
def test_the_largest_overdue_accounts_age_their_debt_in_money(
    risky: Path,  # noqa: F811
    language: str,
    header: str,
    help_: str,
    offered_files: dict[str, str],
):
    at = app("credit", as_of="2026-06-30")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    largest = next(frame for frame in at.dataframe if frame.proto.id.endswith("largest-overdue"))
    config = json.loads(largest.proto.columns)
    row = largest.value.set_index("account_id").loc["一 (R1)"]
    # R1 owes P3 300 (30 days overdue) and P4 400 (31 days): 700 overdue, 300 of it in 1-30 days, 400 in 31-60.
    assert (row["overdue_amount"], row["bucket_1"], row["bucket_2"], row["bucket_3"], row["bucket_4"]) == (
        700.0,
        300.0,
        400.0,
        0.0,
        0.0,
    )
    # Headed by its days alone, to fit 1366 px; the long name its help.
    assert (config["bucket_1"]["label"], config["bucket_1"]["help"]) == (header, help_)
    # The chart's bands and the table beside it named alike, as the open complaints' ages are: 1–3 days, > 30 days.
    bands = [config[f"bucket_{n}"]["label"] for n in range(1, 5)]
    assert bands == BANDS[language]
    [ageing] = [frame for frame in at.dataframe if "age_bucket" in frame.value.columns]
    assert ageing.value["age_bucket"].tolist() == bands
    chart = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "overdue-by-age" in c.proto.id)
    # Plotly reads its labels as HTML: > is written &gt; and drawn >.
    assert [html.unescape(band) for band in chart["data"][0]["x"]] == bands
    # On screen who owes, who manages the account and how old the debt is; tier, the most days overdue, outstanding
    # and the credit limit are in the CSV only.
    assert list(largest.proto.column_order) == [
        "account_id",
        "manager_id",
        "overdue_amount",
        "bucket_1",
        "bucket_2",
        "bucket_3",
        "bucket_4",
    ]
    # Each age's amount reads as the overdue beside it does, ¥ and grouped: never 300.00.
    for bucket in ("bucket_1", "bucket_2", "bucket_3", "bucket_4"):
        assert config[bucket]["type_config"]["format"] == config["overdue_amount"]["type_config"]["format"] == "yen"
    assert {key: offered_files[f"download-{key}"] for key in FILES[language]} == FILES[language]


def test_the_overdue_by_manager_caption_chart_and_table_name_the_same_managers(risky: Path):  # noqa: F811
    at = app("credit", as_of="2026-06-30")
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    assert not at.exception
    # The table beside a chart has no key of its own: it is the one of managers, not accounts.
    table = next(f for f in at.dataframe if "manager_id" in f.value.columns and "account_id" not in f.value.columns)
    chart = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "overdue-by-manager" in c.proto.id)
    drawn = chart["data"][0]["y"]
    # Every manager with receivables is in the table and, so few, in the chart too: the caption says so.
    assert sorted(drawn) == sorted(table.value["manager_id"]) and len(drawn) == table.value.shape[0]
    count = len(drawn)
    assert f"客户经理：有应收账款的全部 {count} 位，逾期金额最多的在前。" in [c.value for c in at.caption]


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Largest overdue accounts (the first 2 of 5)"),
        ("zh-CN", "逾期金额最大的客户（共 5 个，显示前 2 个）"),
    ],
    ids=["en", "zh-CN"],
)
def test_a_list_of_the_largest_overdue_cut_short_says_how_many_are_overdue(
    risky: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    heading: str,
):
    # R1 700, R2 600, R3 120, H5 100 and R5 80 overdue at 2026-06-30: 5 accounts, as the card's help and the
    # managers' table count them; the list kept to 2 (50 on the demo data, of 75) must not read as 2 overdue.
    monkeypatch.setattr(risk.credit_view, "__defaults__", (2,))
    at = app("credit", as_of="2026-06-30")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    assert heading in [h.value for h in at.header]
    largest = next(frame for frame in at.dataframe if frame.proto.id.endswith("largest-overdue"))
    assert list(largest.value["overdue_amount"]) == [700.0, 600.0]

"""The quarterly reviews' table: each value as its kind reads everywhere, on the portfolio of tests/portfolio.py.

王伟 (M1) manages K1 and K2; 李娜 (M2) K3, K4 (churned 05-15) and K5; 张敏 (M3) none.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kam import i18n
from kam.i18n import _
from kam.people.users import User
from kam.relations import targets
from kam.store import db
from kam.ui.language import CHOSEN
from tests.app.test_forms_on_a_phone import around, brought_into_view, told_under
from tests.apptest import VP, app, start

WANG = User("wangwei", "王伟", "manager", "M1")


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
    ("quarter", "said", "by_the_buttons", "sign_off_help"),
    [
        # The exports here run to 2026-08-01: the third quarter counts to that day, and a sign-off keeps its figures
        # to then, said under the buttons of each review and on the Sign off button.
        (
            3,
            "2026-07-01 – 2026-08-01 (the quarter so far), beside 2026-04-01 – 2026-06-30",
            ["The quarter is not over: a sign-off now keeps the figures to 2026-08-01, the quarter so far."],
            "The quarter is not over at the as-of date: the figures kept with the sign-off are those of its days to "
            "2026-08-01. A review signed off can no longer change.",
        ),
        (
            2,
            "2026-04-01 – 2026-06-30, beside 2026-01-01 – 2026-03-31",
            [],
            "Signs the review off and keeps with it the quarter's figures above, to 2026-06-30. A review signed off "
            "can no longer change.",
        ),
    ],
    ids=["quarter-so-far", "whole-quarter"],
)
def test_a_quarter_not_over_says_it_counts_the_days_so_far(portfolio, quarter, said, by_the_buttons, sign_off_help):
    at = start("reviews", user=VP)
    at.selectbox(key="review_quarter").set_value(quarter).run()
    assert not at.exception
    assert said in [caption.value for caption in at.caption]
    assert [review.label for review in at.expander] == ["王伟 (M1)", "李娜 (M2)", "张敏 (M3)"]
    for review in at.expander:
        assert [caption.value for caption in review.caption] == by_the_buttons
        [sign_off] = [b for b in review.button if b.label == "Sign off"]
        assert sign_off.help == sign_off_help


@pytest.mark.parametrize("narrowed", [{"tier": "A"}, {"region": "华东"}], ids=["tier", "region"])
def test_a_review_is_not_signed_off_on_a_part_of_the_managers_accounts(portfolio, narrowed):
    at = start("reviews", user=VP, **narrowed)
    at.selectbox(key="review_quarter").set_value(2).run()
    assert not at.exception
    for review in at.expander:
        [sign_off] = [b for b in review.button if b.label == "Sign off"]
        assert sign_off.disabled
        assert [caption.value for caption in review.caption] == [
            "Clear the region and tier filters in the sidebar to sign off: a review keeps the manager's whole "
            "quarter, not the part the filters show."
        ]
    # A manager chosen in the sidebar leaves that manager's accounts whole: their review can be signed.
    one = start("reviews", user=VP, manager="王伟 (M1)")
    one.selectbox(key="review_quarter").set_value(2).run()
    [review] = one.expander
    [sign_off] = [b for b in review.button if b.label == "Sign off"]
    assert not sign_off.disabled and not review.caption


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
    assert [e.value for e in form.error] == ["销售额目标必须大于 0。", "未保存：请查看上方的红色提示。"]
    assert [e.value for e in at.error] == ["销售额目标必须大于 0。", "未保存：请查看上方的红色提示。"]
    assert told_under(at, "保存目标") == ["未保存：请查看上方的红色提示。"] and not at.toast
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


def reviews_page(language: str, **query: str) -> AppTest:
    """The VP's reviews page in language, run once."""
    at = app("reviews", user=VP, **query)
    at.session_state[CHOSEN] = language
    return at.run()


def m1_review(at: AppTest) -> Any:
    [review] = [e for e in at.expander if e.label.startswith("王伟 (M1)")]
    return review


def m1_quarter(at: AppTest, quarter: str) -> float:
    """M1's revenue in the quarter's row of the table."""
    _config, _order, rows = review_table(at)
    [revenue] = [row["revenue"] for row in rows if row["manager_id"] == "王伟 (M1)" and row["quarter"] == quarter]
    return revenue


def stored_review(path) -> tuple:
    figures = ", ".join(f"signed_{name}" for name in ("revenue", "target", "attainment", "visit_coverage"))
    others = "signed_sla_met_pct, signed_csat_pct, signed_plan_coverage, signed_executive_coverage"
    with db.connect(path) as con:
        [row] = con.execute(
            f"SELECT signed_off_by, signed_off_by_name, signed_as_of, {figures}, {others} FROM quarterly_reviews"
        ).fetchall()
    return row


def test_a_review_signed_before_the_quarter_is_over_keeps_the_figures_it_was_signed_on(portfolio):
    # On 2026-07-15, Q3 so far: M1's revenue is K1's O4 (07-01, 9,999), against 36,500 × 15/365 = 1,500 (666.6%);
    # K1 (A, visited 07-05) and K6 (created 07-15) within their cadence, K2 (C, last visited 01-15) due by 07-14:
    # 2 of 3 (66.7%); C7 (07-02, K1) unanswered past 24 hours (0.0%); S9 (07-10, K1) scored 1 (0.0%); no agreed
    # plan, no executive visit (0.0%).
    at = reviews_page("zh-CN", as_of="2026-07-15")
    assert not at.exception
    assert at.selectbox(key="review_quarter").value == 3
    not_over = "本季度尚未结束：现在签署将保存截至 2026-07-15 的指标，即本季度至今的指标。"
    assert [c.value for c in m1_review(at).caption] == [not_over]
    [sign_off] = [b for b in m1_review(at).button if b.key == "review-sign-M1"]
    assert sign_off.help == (
        "截至日期时本季度尚未结束：签署时保存的是本季度截至 2026-07-15 的指标。评审签署后不能再修改。"
    )
    assert m1_quarter(at, "2026年第3季度") == 9999.0
    with i18n.speaking("zh-CN"):  # the sidebar's choices read in Chinese when the page runs again
        at = next(b for b in at.button if b.key == "review-sign-M1").click().run()
    assert [s.value for s in at.success] == ["评审已签署。"]
    assert stored_review(portfolio) == (
        "vp",
        "Demo VP",
        date(2026, 7, 15),
        9999.0,
        pytest.approx(1500.0),
        pytest.approx(9999.0 / 1500.0),
        pytest.approx(2 / 3),
        0.0,
        0.0,
        0.0,
        0.0,
    )
    today = date.today().isoformat()
    signed = f"Demo VP 于 {today} 签署，依据截至 2026-07-15 的指标（签署时本季度尚未结束）。"
    figures = (
        "销售额：¥9,999 · 截至目前目标：¥1,500 · 达成率：666.6% · 拜访覆盖率：66.7% · 投诉响应达标率：0.0% · "
        "满意率：0.0% · 计划覆盖率：0.0% · 高层拜访覆盖率：0.0%"
    )
    assert [c.value for c in m1_review(at).caption] == [signed]
    assert [t.value for t in m1_review(at).text] == [figures]

    # Opened again as of the data date (08-01): the table counts K6's O10 (07-20, 100) too, the review still reads
    # what it was signed on.
    later = reviews_page("zh-CN")
    assert m1_quarter(later, "2026年第3季度") == 10099.0
    assert [c.value for c in m1_review(later).caption] == [signed]
    assert [t.value for t in m1_review(later).text] == [figures]
    # And so does 王伟's own review.
    wang = start("reviews", user=WANG)
    assert wang.caption[0].value == (
        f"Signed off on {today} by Demo VP, on the figures to 2026-07-15, before the quarter was over."
    )
    assert wang.text[0].value == (
        "Revenue: ¥9,999 · Target to date: ¥1,500 · Attainment: 666.6% · Visit coverage: 66.7% · "
        "Complaint SLA met: 0.0% · CSAT: 0.0% · Plan coverage: 0.0% · Executive coverage: 0.0%"
    )


# quarterly_reviews as the version before signed reviews kept their figures made it.
OLD_REVIEWS = """
CREATE TABLE quarterly_reviews (
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL,
    manager_id VARCHAR NOT NULL,
    notes VARCHAR,
    agreed_actions VARCHAR,
    signed_off_on DATE,
    signed_off_by VARCHAR,
    updated_by VARCHAR,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (year, quarter, manager_id)
)"""


def test_a_review_signed_off_before_figures_were_kept_says_it_has_none(portfolio):
    at = app("reviews", user=VP)  # the deployment is built, and closed again
    with duckdb.connect(str(portfolio)) as old:
        old.execute("DROP TABLE quarterly_reviews")
        old.execute(OLD_REVIEWS)
        old.execute(
            "INSERT INTO quarterly_reviews VALUES (2026, 2, 'M1', 'on track', '', DATE '2026-07-03', 'vp', 'vp', "
            "TIMESTAMP '2026-07-03 10:00')"
        )
    at.session_state[CHOSEN] = "zh-CN"
    with i18n.speaking("zh-CN"):
        at = at.run().selectbox(key="review_quarter").set_value(2).run()
    assert not at.exception
    # The database gained the columns; the old review keeps none, and says so, its signer named by their user.
    assert stored_review(portfolio) == ("vp", None, None, None, None, None, None, None, None, None, None)
    assert [c.value for c in m1_review(at).caption] == [
        "Demo VP 于 2026-07-03 签署。未保存签署时的指标：该评审签署时，评审尚不保存签署所依据的指标。"
    ]
    assert not m1_review(at).text
    wang = start("reviews", user=WANG)
    assert wang.caption[0].value == (
        "Signed off on 2026-07-03 by Demo VP. No figures were kept with it: it was signed off before reviews kept "
        "the figures they were signed on."
    )
    assert [t.value for t in wang.text] == ["Notes: on track", "Agreed actions: –"]
    # In Chinese, each label and its text joined by a full-width colon, as the figures' are.
    wang = app("reviews", user=WANG)
    wang.session_state[CHOSEN] = "zh-CN"
    wang.run()
    assert [t.value for t in wang.text] == ["备注：on track", "商定的行动：–"]

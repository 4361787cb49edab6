"""Texts a reviewer found wrong, read back as a user sees them, in Chinese and in English.

The portfolio of tests/portfolio.py at D = 2026-06-30: 王伟 (M1) manages the key account K1.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kam import i18n
from kam.metrics.scope import Scope
from kam.people.users import User
from kam.present import columns
from kam.relations import plans, targets
from kam.relations.rules import ActionStale, Invalid
from kam.reports import overview
from kam.reports.brief import weekly_brief
from tests.portfolio import D

YTD = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31))
M1 = User("m1", "王伟", "manager", "M1")
VP = User("vp", "Demo VP", "vp")
ZH, EN = "zh-CN", "en"


def overdue_action(con) -> None:
    """K1's plan with one open action due 2026-06-20, both written on 06-01: 10 days overdue at D."""
    written = datetime(2026, 6, 1, 9)
    plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), M1, version=None, now=written)
    plans.add_action(con, plan["plan_id"], "send the quote", "王伟", date(2026, 6, 20), M1, now=written)


@pytest.mark.parametrize(
    ("language", "heading", "shown"),
    [
        (ZH, "逾期的计划行动（1）", ["客户", "客户经理", "行动", "负责人", "截止日期", "逾期天数"]),
        (EN, "Overdue plan actions (1)", ["Account", "Manager", "Action", "Owner", "Due on", "Days overdue"]),
    ],
)
def test_the_overdue_plan_actions_are_headed_as_actions_in_the_brief_and_the_csv(con, language, heading, shown):
    overdue_action(con)
    html = weekly_brief(con, YTD, language=language)
    listed = html.split(f"<h2>{heading}</h2>", 1)[1].split("</thead>", 1)[0]
    assert listed == "<table><thead><tr>" + "".join(f"<th>{text}</th>" for text in shown) + "</tr>"
    section = next(s for s in overview.SECTIONS if s.download == "overdue-plan-actions")
    with i18n.speaking(language):
        csv = columns.for_csv(section.metric(con, YTD), section.headers)
    assert csv.columns == shown
    assert csv.row(0)[2:] == ("send the quote", "王伟", "2026-06-20", 10)


@pytest.mark.parametrize(("language", "action", "complaint"), [(ZH, "未完成", "未结"), (EN, "Open", "Open")])
def test_an_open_plan_action_reads_unfinished_not_as_an_open_complaint(con, language, action, complaint):
    overdue_action(con)
    with i18n.speaking(language):
        assert columns.label_of("status", "open") == action
        assert i18n._("Open") == complaint  # an open complaint or order keeps its word
        stale = str(ActionStale({"updated_by": "vp", "status": "open"}))
    expected = {
        ZH: "自本页显示后，vp 修改了该行动（现为未完成）。您的修改未保存。",
        EN: "vp changed this action since the page showed it (now Open). Nothing of yours was saved.",
    }
    assert stale == expected[language]


REFUSALS = {
    ZH: ["销售额目标必须大于 0。", "销售额目标必须大于 0。", "年度销售额目标按本期天数折算", "销售额目标（¥）"],
    EN: [
        "The revenue goal must be greater than 0.",
        "The revenue target must be greater than 0.",
        "The year's revenue target pro-rated to the period's days",
        "Revenue target (¥)",
    ],
}


@pytest.mark.parametrize("language", [ZH, EN])
def test_a_revenue_goal_and_a_revenue_target_read_as_one_term(con, language):
    with i18n.speaking(language):
        with pytest.raises(Invalid) as goal:
            plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow", 0.0), M1, version=None)
        with pytest.raises(Invalid) as target:
            targets.set_target(con, "M1", 2027, 0.0, None, VP, now=datetime(2026, 12, 1, 10))
        shown = [
            goal.value.errors["revenue_goal"],
            target.value.errors["revenue_target"],
            columns.column("target").help,  # the help of a table's Target to date
            i18n._("Revenue target (¥)"),  # the reviews page's field
        ]
    assert shown == REFUSALS[language]

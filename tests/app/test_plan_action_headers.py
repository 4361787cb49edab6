"""The overview's overdue plan actions read as a plan action's columns, in Chinese and in English."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from kam.people.users import User
from kam.store import db
from kam.ui.language import CHOSEN
from tests.apptest import VP, app, start

# 王伟's overview: a view no warm-up computed before the action was added (adding one is no new data version).
WANG = User("wangwei", "王伟", "manager", "M1")


def headers_of(at: AppTest, column: str) -> list[str]:
    """The headers, as shown, of the page's table that has the column."""
    table = next(t for t in at.dataframe if column in t.value.columns)
    config_ = json.loads(table.proto.columns or "{}")
    return [config_.get(name, {}).get("label") or name for name in table.proto.column_order]


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        # A manager's own list leaves the manager (王伟 on every row) to its download.
        ("zh-CN", ["客户", "行动", "负责人", "截止日期", "逾期天数"]),
        ("en", ["Account", "Action", "Owner", "Due on", "Days overdue"]),
    ],
)
def test_the_overviews_overdue_plan_actions_are_headed_as_actions(portfolio, language, shown):
    from kam.relations import plans

    start("worklist", user=VP)  # the first start builds the database
    with db.connect(portfolio) as con:
        # Written on 07-01, before the overview's as-of date (the exports' last day, 08-01).
        written = datetime(2026, 7, 1, 9)
        plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), VP, version=None, now=written)
        plans.add_action(con, plan["plan_id"], "send the quote", "王伟", date(2026, 7, 31), VP, now=written)
    at = app("overview", user=WANG)
    at.session_state[CHOSEN] = language
    at = at.run()
    assert not at.exception
    assert headers_of(at, "description") == shown

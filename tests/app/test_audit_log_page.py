"""The admin page's audit log reads what each event changed, in the user's language."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kam.people.users import User
from kam.relations import plans
from kam.store import db
from kam.ui.language import CHOSEN
from tests.apptest import ADMIN, app, start

M1 = User("m1", "王伟", "manager", "M1")


@pytest.mark.parametrize(
    ("language", "headers", "done"),
    [
        ("zh-CN", ["事件编号", "时间", "操作", "对象", "变更"], "状态：未完成 → 已完成"),
        ("en", ["Event", "When", "Action", "Target", "Change"], "Status: Open → Done"),
    ],
)
def test_the_audit_log_shows_what_changed_not_the_stored_json(portfolio, language, headers, done):
    start("admin", user=ADMIN)  # the first start builds the database
    with db.connect(portfolio) as con:
        plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), M1, version=None)
        action = plans.add_action(con, plan["plan_id"], "send the quote", None, date(2026, 7, 31), M1)
        plans.set_action_status(con, action, "done", M1)
    at = app("admin", user=ADMIN)
    at.session_state[CHOSEN] = language
    at = at.run()
    assert not at.exception
    log = next(t for t in at.dataframe if "changed" in t.value.columns)
    config_ = json.loads(log.proto.columns or "{}")
    order = list(log.proto.column_order)
    assert "before" not in order and "after" not in order
    shown = [config_.get(name, {}).get("label") or name for name in order]
    assert [h for h in shown if h in headers] == headers
    rows = log.value.set_index("event_id")
    assert rows.loc[rows.index.max(), "changed"] == done

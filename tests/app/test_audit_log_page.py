"""The admin page's audit log reads what each event changed, in the user's language."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kam import i18n
from kam.people import sessions
from kam.people.users import User
from kam.present import columns
from kam.relations import contacts, plans
from kam.store import audit, db
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


@pytest.mark.parametrize(
    ("language", "plan", "level", "role", "via"),
    [
        ("zh-CN", "甲公司，2026年", "层级：高层", "角色：决策者", "登录方式：密码"),
        ("en", "甲公司, 2026", "Level: Executive", "Role: Decision maker", "Signed in via: Password"),
    ],
)
def test_the_audit_log_reads_targets_codes_and_years_and_leaves_sign_ins_out_unless_asked(
    portfolio, language, plan, level, role, via
):
    start("admin", user=ADMIN)  # the first start builds the database; the admin's sign-in is audited
    with db.connect(portfolio) as con:
        saved = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), M1, version=None)
        added = plans.add_action(con, saved["plan_id"], "send the quote", None, date(2026, 7, 31), M1)
        # A sign-in by password writes its own event and its session's start.
        audit.record_alone(con, "m1", "sign_in", "m1")
        sessions.start(con, M1, "password")
        contacts.save_contact(con, contacts.ContactDraft("K1", "李娜", level="executive", role="decision_maker"), M1)
    at = app("admin", user=ADMIN)
    at.session_state[CHOSEN] = language
    at = at.run()
    assert not at.exception
    rows = _log(at)
    # Sign-ins and sessions are left out until asked for; the changes are all there.
    assert set(rows["action"]) >= {_action(language, "plan.save"), _action(language, "contact.create")}
    assert not any(a in rows["action"].tolist() for a in _sessions(language))
    by_action = rows.set_index("action")
    # A plan reads as its account and year beside its id; an action as its plan's account; a year ungrouped.
    assert by_action.loc[_action(language, "plan.save"), "target"] == f"{plan} ({saved['plan_id']})"
    assert by_action.loc[_action(language, "plan_action.add"), "target"] == f"甲公司 ({added})"
    assert ("年度：2026" if language == "zh-CN" else "Year: 2026") in by_action.loc[
        _action(language, "plan.save"), "changed"
    ]
    # A contact's level and role read by their labels (a contact's, not a user's role).
    contact_change = by_action.loc[_action(language, "contact.create"), "changed"]
    assert level in contact_change and role in contact_change
    # Asked for, the sign-ins and their sessions are there, their way in by its label.
    assert at.toggle(key="audit_sessions").value is False
    at = app("admin", user=ADMIN)
    at.session_state[CHOSEN] = language
    at.session_state["audit_sessions"] = True
    at = at.run()
    assert not at.exception
    rows = _log(at)
    assert set(_sessions(language)) <= set(rows["action"])
    session = rows[rows["action"] == _sessions(language)[1]]
    assert session["changed"].tolist() == [via] and session["target"].tolist() == ["m1"]


def test_the_audit_logs_columns_fit_a_laptop(portfolio):
    """At 1366 px less the sidebar (about 900 px for the table) every column has its width."""
    at = start("admin", user=ADMIN)
    log = next(t for t in at.dataframe if "changed" in t.value.columns)
    config_ = json.loads(log.proto.columns or "{}")
    widths = {name: config_[name].get("width") for name in log.proto.column_order}
    assert widths == {"event_id": 75, "happened_at": 125, "username": 120, "action": 175, "target": 150, "changed": 245}
    assert sum(widths.values()) <= 900


def _log(at):
    return next(t for t in at.dataframe if "changed" in t.value.columns).value


def _action(language: str, code: str) -> str:
    with i18n.speaking(language):
        return columns.label_of("action", code)


def _sessions(language: str) -> list[str]:
    return [_action(language, code) for code in ("sign_in", "session.start")]

"""The audit log's records before and after, as they read: the fields changed, old → new, in the user's language.

On the portfolio of tests/portfolio.py: 王伟 (M1) adds an action to K1's plan, then marks it done.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from kam import i18n
from kam.people import users
from kam.people.users import User
from kam.present import changes, columns
from kam.relations import plans
from kam.store import audit

M1 = User("m1", "王伟", "manager", "M1")
ZH, EN = "zh-CN", "en"


def action_done(con) -> None:
    plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), M1, version=None)
    added = plans.add_action(con, plan["plan_id"], "send **the** quote", None, date(2026, 7, 31), M1)
    plans.set_action_status(con, added, "done", M1)


@pytest.mark.parametrize(
    ("language", "done", "added"),
    [
        (ZH, "状态：未完成 → 已完成", "；行动：send **the** quote；截止日期：2026-07-31；负责人：–；计划编号："),
        (EN, "Status: Open → Done", "; Action: send **the** quote; Due on: 2026-07-31; Owner: –; Plan ID: "),
    ],
)
def test_an_actions_events_read_as_what_changed(con, language, done, added):
    action_done(con)
    with i18n.speaking(language):
        log = changes.audit_log(audit.events(con))
    shown = dict(log.select("action", "changed").iter_rows())
    assert shown["plan_action.status"] == done
    # Text a user typed stays as typed (never Markdown); fields the record holds but no one reads are there too.
    assert added in shown["plan_action.add"]
    # Who and when are the event's own columns; the record's status reads as its label.
    assert shown["plan_action.add"].endswith(done.split(" → ")[0])
    assert log.columns[:6] == ["event_id", "happened_at", "username", "action", "target", "changed"]


@pytest.mark.parametrize(("language", "account"), [(ZH, "客户：甲公司 (K1)"), (EN, "Account: 甲公司 (K1)")])
def test_a_plans_own_account_reads_with_its_name(con, language, account):
    action_done(con)
    with i18n.speaking(language):
        log = changes.audit_log(audit.events(con))
    created = dict(log.select("action", "changed").iter_rows())["plan.save"]
    assert created.split(_SEPARATOR[language])[0] == account


_SEPARATOR = {ZH: "；", EN: "; "}


def test_a_change_lists_only_the_fields_that_differ_and_reads_any_other_value_as_text():
    before = json.dumps({"role": "manager", "active": True, "email": None, "locks": 2, "due_on": "2026-07-31"})
    after = json.dumps({"role": "vp", "active": False, "email": "a@b.cn", "locks": 2})
    with i18n.speaking(ZH):
        assert (
            changes.change(before, after)
            == "角色：客户经理 → 销售副总；在册：是 → 否；电子邮件：– → a@b.cn；截止日期：2026-07-31 → –"
        )
        # A user who is active may sign in: not the accounts' 在册.
        assert changes.change(before, after, "user.change").split("；")[1] == "可登录：是 → 否"
    with i18n.speaking(EN):
        assert changes.change(None, None) == "–"
        assert changes.change(None, '"not a record"') == "not a record"
        assert changes.change(before, before) == "–"
        # A load that confirmed no losses: an empty list reads as nothing, not as an empty string.
        assert changes.change(None, json.dumps({"confirmed_losses": []}), "load") == "Confirmed losses: –"


@pytest.mark.parametrize(
    ("language", "goal"),
    [(ZH, "销售额目标：¥1,000,000 → ¥1,200,000"), (EN, "Revenue goal: ¥1,000,000 → ¥1,200,000")],
)
def test_a_plans_revenue_goal_reads_as_money(language, goal):
    before, after = json.dumps({"revenue_goal": 1000000.0}), json.dumps({"revenue_goal": 1200000.0})
    with i18n.speaking(language):
        assert changes.change(before, after, "plan.save") == goal


@pytest.mark.parametrize(
    ("language", "headers"), [(ZH, ["变更", "修改前", "修改后"]), (EN, ["Change", "Before", "After"])]
)
def test_the_audit_logs_csv_keeps_the_stored_records_beside_what_changed(con, language, headers):
    action_done(con)
    with i18n.speaking(language):
        csv = columns.for_csv(changes.audit_log(audit.events(con, action="plan_action.status")), columns.AUDIT_LOG)
    assert csv.columns[-3:] == headers
    assert csv.row(0)[-2:] == ('{"status": "open"}', '{"status": "done"}')


@pytest.mark.parametrize(
    ("language", "contact", "user", "failed"),
    [
        (ZH, "层级：中层", "角色：销售副总 → 客户经理", "登录方式：公司目录"),
        (EN, "Level: Middle management", "Role: Sales VP → Account manager", "Signed in via: Company directory"),
    ],
)
def test_a_code_reads_by_the_label_of_the_record_it_is_in(language, contact, user, failed):
    """ "manager" is a contact's middle management and a user's account manager; a sign-in's way in by its name."""
    with i18n.speaking(language):
        assert changes.change(None, json.dumps({"level": "manager"}), "contact.create") == contact
        assert changes.change(json.dumps({"role": "vp"}), json.dumps({"role": "manager"}), "user.change") == user
        assert changes.change(None, json.dumps({"via": "directory"}), "sign_in.failed") == failed


@pytest.mark.parametrize(
    ("language", "idle", "ended"),
    [
        (ZH, "原因：30 分钟无操作，已自动退出。", "原因：您的会话已结束；请重新登录。"),
        (EN, "Reason: Signed out after 30 minutes without activity.", "Reason: Your session has ended; sign in again."),
    ],
)
def test_a_sign_outs_reason_reads_in_the_readers_language(language, idle, ended):
    # Stored in English with its number filled in, as kam.ui.signin.sign_out writes it.
    with i18n.speaking(language):
        stored = json.dumps({"why": "Signed out after 30 minutes without activity."})
        assert changes.change(None, stored, "sign_out") == idle
        assert changes.change(None, json.dumps({"why": "Your session has ended; sign in again."}), "sign_out") == ended
        # A reason it does not know reads as stored.
        assert changes.change(None, json.dumps({"why": "made up"}), "sign_out").endswith("made up")


@pytest.mark.parametrize(
    ("language", "reset", "changed"),
    [
        (ZH, "管理员重置了密码（一次性密码，下次登录时须修改）", "用户自行修改了密码"),
        (
            EN,
            "Password reset by the admin (a one-time password, to be changed at the next sign-in)",
            "Password changed by the user",
        ),
    ],
)
def test_a_password_reset_by_the_admin_and_one_changed_by_the_user_read_apart(con, language, reset, changed):
    users.add_user(con, "liuna", "刘娜", "vp", "first-password", by="admin", must_change_password=False)
    one_time = users.reset_password(con, "liuna", User("admin", "Administrator", "admin"))
    liuna = users.sign_in(con, "liuna", one_time)
    users.change_own_password(con, liuna, one_time, "a-password-of-her-own")
    with i18n.speaking(language):
        log = changes.audit_log(audit.events(con, action="user.password"))
    assert log.sort("event_id").select("username", "changed").rows() == [("admin", reset), ("liuna", changed)]

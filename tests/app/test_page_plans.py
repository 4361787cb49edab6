"""Account plans and quarterly reviews in the app, on the portfolio of tests/portfolio.py.

王伟 (M1) manages K1 (A) and K2; 李娜 (M2) manages K3, K4 and K5. The data run to 2026-08-01,
so the pages open on 2026.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from kam import i18n
from kam.people.users import User
from kam.store import db
from kam.ui.language import CHOSEN
from tests.app.test_forms_on_a_phone import FIRST_ERROR, around, brought_into_view, told_under
from tests.apptest import ROOT, VP, app, start

WANG = User("wangwei", "王伟", "manager", "M1")
LI = User("lina", "李娜", "manager", "M2")
# A refusal told under the form's button.
NOT_SAVED = "Not saved: see the messages in red above."


def messages(at: AppTest) -> dict[str, list[str]]:
    return {
        "error": [e.value for e in at.error],
        "success": [s.value for s in at.success],
        "exception": [e.value for e in at.exception],
    }


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def plans_in_chinese() -> AppTest:
    """王伟's plan page for K1 on a Chinese screen, run once."""
    at = app("plans", user=WANG, account="K1")
    at.session_state[CHOSEN] = "zh-CN"
    return at.run()


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def under(at: AppTest, key: str) -> str | None:
    """The message in red right after the field of that key, if any."""

    def leaves(node: Any) -> list[Any]:
        if not isinstance(node, Block):
            return [node]
        return [leaf for child in node.children.values() for leaf in leaves(child)]

    shown = leaves(at.main)
    index = next(i for i, e in enumerate(shown) if getattr(e, "key", None) == key)
    after = shown[index + 1]
    return after.value if after.type == "error" else None


def write_plan(user: User = WANG, objectives: str = "Grow K1 by 20%") -> AppTest:
    at = start("plans", user=user, account="K1")
    at.text_area(key="plan_objectives").set_value(objectives)
    at.number_input(key="plan_revenue_goal").set_value(6000.0)
    return button(at, "Save the plan").click().run()


def actions(at: AppTest) -> list[str]:
    """The plan's actions as their checkboxes read (labels are Markdown, their punctuation escaped)."""
    return [c.label.replace("\\", "") for c in at.checkbox]


def stored(path: Path, sql: str) -> list[tuple]:
    with db.connect(path) as con:
        return con.execute(sql).fetchall()


def test_a_manager_writes_a_plan_adds_actions_and_shares_it_and_the_vp_agrees_it(portfolio):
    at = write_plan()
    assert messages(at) == {"error": [], "success": ["Plan saved (version 1)."], "exception": []}
    at.text_input(key="action_description").set_value("Meet the CEO")
    at.text_input(key="action_owner").set_value("王伟")
    at.date_input(key="action_due_on").set_value(date(2026, 9, 15))
    at = button(at, "Add the action").click().run()
    assert messages(at)["success"] == ["Action added."]
    assert actions(at) == ["Meet the CEO · 王伟 · 2026-09-15"]
    # The same action again (its spaces aside, whoever owns it) is refused at its field, what was typed kept.
    at.text_input(key="action_description").set_value(" Meet the CEO ")
    at.date_input(key="action_due_on").set_value(date(2026, 9, 15))
    at = button(at, "Add the action").click().run()
    assert messages(at)["error"] == ["This plan already has this action open, due 2026-09-15.", NOT_SAVED]
    assert at.text_input(key="action_description").value == " Meet the CEO "
    assert actions(at) == ["Meet the CEO · 王伟 · 2026-09-15"]
    at.text_input(key="action_description").set_value("")
    at.date_input(key="action_due_on").set_value(None)
    # The manager may share the plan, never sign it off.
    assert "Move to Agreed" not in labels(at)
    at = button(at, "Move to Shared").click().run()
    assert messages(at)["success"] == ["The plan is now Shared."]
    assert "Move to Agreed" not in labels(at)
    assert "Move to Draft" in labels(at)

    vp = start("plans", user=VP, account="K1")
    vp = button(vp, "Move to Agreed").click().run()
    assert messages(vp) == {"error": [], "success": ["The plan is now Agreed."], "exception": []}
    assert stored(portfolio, "SELECT status, changed_by FROM plan_status_history ORDER BY changed_at") == [
        ("draft", "wangwei"),
        ("shared", "wangwei"),
        ("agreed", "vp"),
    ]
    # Everything entered stays for a new session and a new database connection.
    again = start("plans", user=WANG, account="K1")
    assert again.text_area(key="plan_objectives").value == "Grow K1 by 20%"
    assert again.caption[0].value.startswith("Status: Agreed · version 3")
    assert actions(again) == ["Meet the CEO · 王伟 · 2026-09-15"]
    assert stored(portfolio, "SELECT objectives, revenue_goal, status FROM account_plans") == [
        ("Grow K1 by 20%", 6000.0, "agreed")
    ]


def test_an_actions_long_owner_and_a_due_day_before_the_plans_year_are_refused_at_their_fields(portfolio):
    """On the 2026 plan, an owner of 101 characters and a due day of 2020-01-01: each told under its field, the form
    as typed, nothing added; a due day earlier in 2026 is taken."""
    at = write_plan()
    owner = "王" * 101
    at.text_input(key="action_description").set_value("Meet the CEO")
    at.text_input(key="action_owner").set_value(owner)
    at.date_input(key="action_due_on").set_value(date(2020, 1, 1))
    at = button(at, "Add the action").click().run()
    assert messages(at)["error"] == [
        "At most 100 characters: now 101, 1 too many.",
        "Choose a day in the plan's year or later: from 2026-01-01.",
        NOT_SAVED,
    ]
    # Each message right under its field.
    assert under(at, "action_owner") == "At most 100 characters: now 101, 1 too many."
    assert under(at, "action_due_on") == "Choose a day in the plan's year or later: from 2026-01-01."
    assert at.text_input(key="action_description").value == "Meet the CEO"
    assert at.text_input(key="action_owner").value == owner
    assert at.date_input(key="action_due_on").value == date(2020, 1, 1)
    assert actions(at) == []
    at.text_input(key="action_owner").set_value("王伟")
    at.date_input(key="action_due_on").set_value(date(2026, 1, 5))
    at = button(at, "Add the action").click().run()
    assert messages(at)["success"] == ["Action added."]
    assert actions(at) == ["Meet the CEO · 王伟 · 2026-01-05 · overdue"]


def test_a_manager_cannot_open_another_managers_plan_by_link_or_widget_state(portfolio):
    write_plan(VP)  # K1's plan exists; 李娜 does not manage K1.
    by_link = start("plans", user=LI, account="K1")
    assert messages(by_link)["error"] == ["This is not one of your accounts."]
    assert not by_link.text_area
    by_state = app("plans", user=LI)
    by_state.session_state["plan_account"] = "K1"
    by_state.run()
    assert messages(by_state)["error"] == ["This is not one of your accounts."]
    assert not by_state.text_area


def test_a_stale_save_is_refused_with_the_newer_version_shown_and_what_was_typed_kept(portfolio):
    write_plan(WANG, "first text")
    mine = start("plans", user=WANG, account="K1")
    theirs = start("plans", user=VP, account="K1")
    theirs.text_area(key="plan_objectives").set_value("the VP's text")
    theirs = button(theirs, "Save the plan").click().run()
    assert messages(theirs)["success"] == ["Plan saved (version 2)."]

    mine.text_area(key="plan_objectives").set_value("my text")
    mine = button(mine, "Save the plan").click().run()
    assert messages(mine)["error"] == [
        "vp changed this plan since you opened it (now version 2). Nothing of yours was saved.",
        NOT_SAVED,
    ]
    assert "Objectives: the VP's text" in [t.value for t in mine.text]
    assert mine.text_area(key="plan_objectives").value == "my text"
    assert stored(portfolio, "SELECT objectives, version FROM account_plans") == [("the VP's text", 2)]
    # After reading the newer version, the manager saves over it.
    mine = button(mine, "Load the newer version into the form").click().run()
    assert mine.text_area(key="plan_objectives").value == "the VP's text"
    mine.text_area(key="plan_objectives").set_value("the VP's text, and mine")
    mine = button(mine, "Save the plan").click().run()
    assert messages(mine)["success"] == ["Plan saved (version 3)."]


def test_a_quarterly_review_is_recorded_by_the_vp_and_seen_by_that_manager_only(portfolio):
    vp = start("reviews", user=VP)
    vp.selectbox(key="review_quarter").set_value(2).run()
    # Notes of 4,001 characters are refused: told under the review's buttons where the thumb is, the message in red
    # in the review.
    vp.text_area(key="review_notes_2026_2_M1").set_value("x" * 4001)
    vp = next(b for b in vp.button if b.key == "review-save-M1").click().run()
    [wang_review] = [e for e in vp.expander if e.label == "王伟 (M1)"]
    assert [e.value for e in wang_review.error] == ["At most 4,000 characters: now 4,001, 1 too many.", NOT_SAVED]
    # At that review only: 李娜's, saved by no one, stands as it was.
    assert [e.value for e in vp.error] == ["At most 4,000 characters: now 4,001, 1 too many.", NOT_SAVED]
    assert told_under(vp, "review-save-M1") == [NOT_SAVED] and not vp.toast
    assert not vp.success and brought_into_view(vp) == [FIRST_ERROR]
    vp.text_area(key="review_notes_2026_2_M1").set_value("Revenue on track; K1 plan agreed")
    vp.text_area(key="review_actions_2026_2_M1").set_value("Meet K1's CEO in July")
    vp = next(b for b in vp.button if b.key == "review-sign-M1").click().run()
    # Said once, in a box over the review signed off (folded now), the page brought to it from the review's button.
    assert messages(vp)["success"] == ["Review signed off."]
    assert [s.value for s in vp.get_by_key("review-saved").success] == ["Review signed off."]
    assert not vp.toast
    assert around(vp, "review-saved")[1].label == "王伟 (M1) ✓"
    assert brought_into_view(vp) == brought_into_view(vp.get_by_key("review-saved")) == ['".st-key-review-saved"']
    vp = vp.run()
    assert not vp.success and not brought_into_view(vp)
    assert vp.text_area(key="review_notes_2026_2_M1").disabled
    # Signed by the VP, on M1's second quarter as the table showed it (the data run to 08-01: the whole quarter, to
    # 06-30): K1's O3 3,000 against 36,500 × 91/365 = 9,100 (33.0%); K1 and K2 visited within their cadence
    # (100.0%); of C1, C2 and C3 only C1 answered within 24 hours (33.3%); K1's S2 (4) satisfied, K2's S4 (2) not
    # (50.0%); no agreed plan, no executive visit.
    signed = f"Signed off on {date.today().isoformat()} by Demo VP, on the figures to 2026-06-30."
    figures = (
        "Revenue: ¥3,000 · Target to date: ¥9,100 · Attainment: 33.0% · Visit coverage: 100.0% · "
        "Complaint SLA met: 33.3% · CSAT: 50.0% · Plan coverage: 0.0% · Executive coverage: 0.0%"
    )
    [wang_review] = [e for e in vp.expander if e.label == "王伟 (M1) ✓"]
    assert [c.value for c in wang_review.caption] == [signed]
    assert [t.value for t in wang_review.text] == [figures]

    wang = start("reviews", user=WANG)
    assert [t.value for t in wang.text] == [
        figures,
        "Notes: Revenue on track; K1 plan agreed",
        "Agreed actions: Meet K1's CEO in July",
    ]
    assert wang.caption[0].value == signed
    li = start("reviews", user=LI)
    assert not li.text
    assert [i.value for i in li.main.info] == [
        "No review of yours yet. Your VP reviews your quarter against target and signs it off; it shows here then."
    ]


def test_the_page_opens_on_the_managers_first_key_account_without_a_link(portfolio):
    at = start("plans", user=WANG)
    assert messages(at) == {"error": [], "success": [], "exception": []}
    assert at.selectbox(key="plan_account").value == "K1"


def switch_from_sidebar(at: AppTest, page: str) -> AppTest:
    """The user's next page, opened from the sidebar: its address keeps the filters, not the account."""
    if "account" in at.query_params:
        del at.query_params["account"]
    at.switch_page(str(ROOT / "pages" / f"{page}.py"))
    return at.run()


def test_the_page_opens_on_the_account_the_user_was_looking_at_and_says_actions_follow_the_saved_plan(portfolio):
    # 李娜's accounts to plan for at 2026-08-01: K5 (B), then K3 (C); K4 churned on 2026-05-15. On a Chinese screen
    # (the pickers read in Chinese: the test runs the page so).
    at = app("account", user=LI, account="K3")
    at.session_state[CHOSEN] = "zh-CN"
    with i18n.speaking("zh-CN"):
        at = switch_from_sidebar(at.run(), "plans")
        assert messages(at) == {"error": [], "success": [], "exception": []}
        assert at.selectbox(key="plan_account").value == "K3"
        assert at.query_params["account"] == "K3"
        # K3 has no plan in 2026: its actions come once it is saved (the page has no actions' form until then).
        assert at.caption[0].value == "该客户本年度还没有客户计划：请在下方填写。计划保存后即可添加行动。"
        assert "添加行动" not in labels(at)
        # An account with nothing to plan looked at (K4, churned): the plans page opens on its first account.
        at = switch_from_sidebar(at, "account")
        assert at.header[0].value == "丙公司 (K3)"
        at.text_input(key="account_search").set_value("K4").run()
        assert at.header[0].value == "丁公司 (K4)"
        at = switch_from_sidebar(at, "plans")
        assert messages(at) == {"error": [], "success": [], "exception": []}
        assert at.selectbox(key="plan_account").value == "K5"
        # An account picked here is the one the account view opens on next.
        at.selectbox(key="plan_account").set_value("K3").run()
        at = switch_from_sidebar(at, "account")
        assert at.header[0].value == "丙公司 (K3)"


def test_an_overdue_plan_action_shows_in_its_managers_worklist_only(portfolio):
    from kam.relations import plans as plan_store

    start("worklist", user=LI)  # the first start builds the database
    with db.connect(portfolio) as con:
        plan = plan_store.save_plan(con, plan_store.PlanDraft("K1", 2026, "grow"), VP, version=None)
        # Due on 2026-07-31, still open: overdue today.
        plan_store.add_action(con, plan["plan_id"], "send the quote", "王伟", date(2026, 7, 31), VP)
    wang = start("worklist", user=WANG)
    assert "Overdue plan actions (1)" in [h.value for h in wang.header]
    shown = wang.dataframe[-1].value
    late = (date.today() - date(2026, 7, 31)).days  # the worklist is as of today
    assert shown[["account_id", "description", "days_overdue"]].values.tolist() == [
        ["甲公司 (K1)", "send the quote", late]
    ]
    # As the follow-ups on a phone: the account (150 px) and the day it was due (85), then the action; the
    # manager, 王伟 on every row, only in the download.
    config_ = json.loads(wang.dataframe[-1].proto.columns)
    order = list(wang.dataframe[-1].proto.column_order)
    assert [(config_[name]["label"], config_[name].get("width")) for name in order] == [
        ("Account", 150),
        ("Due on", 85),
        ("Action", None),
        ("Owner", None),
        ("Days overdue", None),
    ]
    li = start("worklist", user=LI)
    assert "Overdue plan actions (0)" in [h.value for h in li.header]


def test_a_tick_on_a_page_drawn_before_someone_elses_change_saves_nothing_and_says_who(portfolio):
    at = write_plan()
    at.text_input(key="action_description").set_value("Meet the CEO")
    at.date_input(key="action_due_on").set_value(date(2026, 9, 15))
    at = button(at, "Add the action").click().run()
    assert actions(at) == ["Meet the CEO · – · 2026-09-15"]
    # The VP opens the same plan and ticks the action done; 王伟's page still shows it open.
    vp = start("plans", user=VP, account="K1")
    vp = vp.checkbox[0].check().run()
    assert messages(vp)["success"] == ["Action marked done."]
    # 王伟 ticks it on his page as drawn before the VP's change.
    at = at.checkbox[0].check().run()
    assert messages(at) == {
        "error": ["vp changed this action since the page showed it (now Done). Nothing of yours was saved."],
        "success": [],
        "exception": [],
    }
    assert at.checkbox[0].value is True
    assert stored(portfolio, "SELECT status, updated_by FROM plan_actions") == [("done", "vp")]
    assert stored(portfolio, "SELECT count(*) FROM audit_log WHERE action = 'plan_action.status'") == [(1,)]


def test_a_plan_saved_on_a_chinese_screen_says_so_in_chinese(portfolio):
    # The save button's callback runs before the script run that sets the language.
    at = plans_in_chinese()
    # The test's own thread formats the sidebar's choices to find them among the Chinese options.
    with i18n.speaking("zh-CN"):
        at.text_area(key="plan_objectives").set_value("K1 增长 20%")
        at.number_input(key="plan_revenue_goal").set_value(6000.0)
        at = button(at, "保存客户计划").click().run()
        assert messages(at)["success"] == ["客户计划已保存（版本 1）。"]
        at = button(at, "添加行动").click().run()
        assert messages(at)["error"] == ["请描述行动。", "请选择行动的截止日期。", "未保存：请查看上方的红色提示。"]


def test_a_negative_revenue_goal_is_refused_at_the_field_in_chinese_keeping_what_was_typed(portfolio):
    at = plans_in_chinese()
    with i18n.speaking("zh-CN"):
        at.text_area(key="plan_objectives").set_value("K1 增长 20%")
        at.number_input(key="plan_revenue_goal").set_value(-5000.0)
        at = button(at, "保存客户计划").click().run()
    assert messages(at) == {
        "error": ["销售额目标必须大于 0。", "未保存：请查看上方的红色提示。"],
        "success": [],
        "exception": [],
    }
    assert at.number_input(key="plan_revenue_goal").value == -5000.0
    assert at.text_area(key="plan_objectives").value == "K1 增长 20%"
    assert stored(portfolio, "SELECT count(*) FROM account_plans") == [(0,)]


def test_a_plans_status_history_reads_in_chinese(portfolio):
    write_plan()  # saved by 王伟: a draft
    at = plans_in_chinese()
    [history] = [t for t in at.dataframe if "changed_by" in t.value.columns]
    config_ = json.loads(history.proto.columns or "{}")
    assert [config_[c]["label"] for c in ("status", "changed_on", "changed_by")] == ["状态", "变更日期", "变更人"]
    assert list(history.value["status"]) == ["草稿"]
    assert list(history.value["changed_by"]) == ["wangwei"]


def shared_plan() -> None:
    """K1's plan written by 王伟 and shared: the VP may move it back to draft or agree it."""
    at = write_plan()
    button(at, "Move to Shared").click().run()


def test_a_move_refused_since_the_page_was_drawn_says_who_moved_the_plan_and_to_what(portfolio):
    shared_plan()
    vp = start("plans", user=VP, account="K1")
    # 王伟 takes the plan back to draft (version 3) after the VP's page offered to agree it.
    wang = start("plans", user=WANG, account="K1")
    button(wang, "Move to Draft").click().run()
    vp = button(vp, "Move to Agreed").click().run()
    assert messages(vp) == {
        "error": [
            "wangwei changed this plan since the page showed it: it is now Draft (version 3). The plan was not moved."
        ],
        "success": [],
        "exception": [],
    }
    assert stored(portfolio, "SELECT status FROM account_plans") == [("draft",)]


def test_a_move_refused_on_a_chinese_screen_says_who_moved_the_plan_in_chinese(portfolio):
    shared_plan()
    vp = app("plans", user=VP, account="K1")
    vp.session_state[CHOSEN] = "zh-CN"
    vp = vp.run()
    wang = start("plans", user=WANG, account="K1")
    button(wang, "Move to Draft").click().run()
    with i18n.speaking("zh-CN"):
        vp = button(vp, "改为已批准").click().run()
    assert messages(vp) == {
        "error": ["自本页显示后，wangwei 修改了该客户计划：现为草稿（版本 3）。客户计划的状态未改动。"],
        "success": [],
        "exception": [],
    }


def test_every_status_on_a_chinese_plan_page_reads_in_chinese(portfolio):
    from kam.relations import plans as plan_store

    write_plan()  # 王伟's draft of K1's plan
    with db.connect(portfolio) as con:
        plan = plan_store.plan_for(con, VP, "K1", 2026)
        for description, due in (
            ("open one", date(2026, 9, 1)),
            ("done one", date(2026, 9, 2)),
            ("dropped one", date(2026, 9, 3)),
        ):
            plan_store.add_action(con, plan["plan_id"], description, "王伟", due, VP)
        listed = dict(plan_store.actions(con, VP, plan["plan_id"]).select("description", "action_id").iter_rows())
        plan_store.set_action_status(con, listed["done one"], "done", VP)
        plan_store.set_action_status(con, listed["dropped one"], "dropped", VP)
        plan_store.set_status(con, plan["plan_id"], "shared", VP, version=plan["version"])
    vp = app("plans", user=VP, account="K1")
    vp.session_state[CHOSEN] = "zh-CN"
    vp = vp.run()
    assert vp.caption[0].value == "状态：征求意见 · 版本 2 · 最后保存人 Demo VP"
    assert [(c.help, c.disabled) for c in vp.checkbox] == [("未完成", False), ("已完成", False), ("已放弃", True)]
    # On a phone there is no tooltip: a dropped action says so in its line (a done one is ticked).
    assert actions(vp) == [
        "open one · 王伟 · 2026-09-01",
        "done one · 王伟 · 2026-09-02",
        "dropped one · 王伟 · 2026-09-03 · 已放弃",
    ]
    assert [c.value for c in vp.checkbox] == [False, True, False]
    assert [b.label for b in vp.button if b.key and b.key.startswith("move-")] == ["改为草稿", "改为已批准"]
    [history] = [t for t in vp.dataframe if "changed_by" in t.value.columns]
    assert list(history.value["status"]) == ["草稿", "征求意见"]
    [progress] = [t for t in vp.dataframe if "actions_done" in t.value.columns]
    assert list(progress.value["status"]) == ["征求意见"]


def test_a_revenue_goal_in_the_millions_reads_as_money_under_its_field(portfolio):
    at = write_plan()
    at.number_input(key="plan_revenue_goal").set_value(1200000.0)
    at = button(at, "Save the plan").click().run()
    assert messages(at)["success"] == ["Plan saved (version 2)."]
    goal = at.number_input(key="plan_revenue_goal")
    # Whole yuan in the field (1200000, not 1200000.00); the saved goal grouped, as money reads everywhere, under it.
    assert (goal.value, goal.proto.format) == (1200000.0, "%.0f")
    assert goal.help == "In whole yuan, digits only: 1200000 for ¥1.2M."
    assert "Goal in the saved plan: ¥1,200,000 (¥1.2M)" in [c.value for c in at.caption]
    # A goal refused (kept in the field as typed) leaves the saved one under the field, said as saved.
    at.number_input(key="plan_revenue_goal").set_value(-5.0)
    at = button(at, "Save the plan").click().run()
    assert at.number_input(key="plan_revenue_goal").value == -5.0
    assert "Goal in the saved plan: ¥1,200,000 (¥1.2M)" in [c.value for c in at.caption]
    chinese = plans_in_chinese()
    assert chinese.number_input(key="plan_revenue_goal").proto.format == "%.0f"
    assert "已保存计划中的目标：¥1,200,000（¥120万）" in [c.value for c in chinese.caption]


def test_the_years_plans_download_is_named_with_its_year(portfolio, offered_files):
    # The page opens on the year of the data date (2026-08-01). The plan's status history is named by its account
    # and year, as the page names the plan (its id says neither).
    assert write_plan().selectbox(key="plan_year").value == 2026
    [status] = [key for key in offered_files if key.startswith("download-plan-status-")]
    assert offered_files[status] == "plan-status_甲公司-K1_2026.csv"
    plans_in_chinese()
    assert offered_files["download-account-plans-2026"] == "客户计划-2026.csv"
    assert offered_files[status] == "客户计划状态历史_甲公司-K1_2026.csv"

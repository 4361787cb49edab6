"""Contacts, account plans, reviews and app targets on the portfolio of tests/portfolio.py, figures by hand.

At D = 2026-06-30 the only A-account active is K1 (M1): K4 was A but churned on 2026-05-15,
K5 was A until 2026-06-01. K1 has an executive contact (P1); K5 only a manager-level one.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import duckdb
import pytest

from kam import i18n
from kam.metrics import relations as figures
from kam.metrics import revenue
from kam.metrics.scope import Scope
from kam.people import users
from kam.people.users import User
from kam.present.formatting import no_plan_agreed
from kam.relations import contacts, plans, reviews, targets
from kam.relations.rules import ActionStale, ContactStale, Invalid, NotAllowed, Stale
from kam.store import db, exports
from tests.portfolio import D, build, reload, with_column

YTD = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31))
M1 = User("m1", "王伟", "manager", "M1")
M2 = User("m2", "李娜", "manager", "M2")
VP = User("vp", "Demo VP", "vp")
ADMIN = User("admin", "Admin", "admin")


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + " 10:00")


def coverage(con, as_of: date) -> tuple:
    frame = figures.relationship_coverage(con, Scope(as_of=as_of, start=date(2026, 1, 1), end=as_of))
    return frame.select("key_accounts", "planned", "plan_coverage").row(0)


def agreed_plan(con, account: str, manager: User, shared: str, agreed: str | None) -> dict:
    plan = plans.save_plan(con, plans.PlanDraft(account, 2026, "grow", 10000.0), manager, version=None, now=at(shared))
    plan = plans.set_status(con, plan["plan_id"], "shared", manager, version=plan["version"], now=at(shared))
    if agreed:
        plan = plans.set_status(con, plan["plan_id"], "agreed", VP, version=plan["version"], now=at(agreed))
    return plan


# --- plan coverage ------------------------------------------------------------------------


def test_plan_coverage_counts_a_plan_agreed_on_or_before_d_not_one_only_shared(con):
    agreed_plan(con, "K1", M1, shared="2026-06-20", agreed="2026-06-30")
    # 06-29: K1's plan is only shared; 06-30: agreed that day.
    assert coverage(con, date(2026, 6, 29)) == (1, 0, 0.0)
    assert coverage(con, D) == (1, 1, 1.0)


def test_plan_coverage_leaves_out_a_churned_a_account_and_a_closed_plan(con):
    # K4 (A, churned 05-15) has an agreed plan: neither counted above nor below the line.
    agreed_plan(con, "K4", M2, shared="2026-05-02", agreed="2026-05-03")
    assert coverage(con, D) == (1, 0, 0.0)
    plan = agreed_plan(con, "K1", M1, shared="2026-06-01", agreed="2026-06-02")
    plans.set_status(con, plan["plan_id"], "closed", VP, version=plan["version"], now=at("2026-06-29"))
    # Closed on 06-29: covered on 06-28, no longer on 06-30.
    assert coverage(con, date(2026, 6, 28)) == (1, 1, 1.0)
    assert coverage(con, D) == (1, 0, 0.0)


@pytest.mark.parametrize(
    ("language", "none", "drafted"),
    [
        ("en", "No account plans for 2026 yet", "1 A-account has a plan for 2026, not agreed yet"),
        ("zh-CN", "2026 年尚无客户计划", "1 家重点客户有 2026 年的客户计划，尚无已批准的"),
    ],
)
def test_plan_coverage_of_nothing_agreed_says_why_in_words(con, language, none, drafted):
    def said(as_of: date) -> str | None:
        frame = figures.relationship_coverage(con, Scope(as_of=as_of, start=date(2026, 1, 1), end=as_of))
        key_accounts, planned, with_plan = frame.select("key_accounts", "planned", "with_plan").row(0)
        with i18n.speaking(language):
            return no_plan_agreed(key_accounts, planned, with_plan, as_of.year)

    # K1, the one A-account, has no plan at all: 0.0% said as no plan yet.
    assert coverage(con, D) == (1, 0, 0.0)
    assert said(D) == none
    # A plan written on 06-20 and shared, agreed on 06-30: on 06-29 one plan, none agreed; on 06-30 covered.
    agreed_plan(con, "K1", M1, shared="2026-06-20", agreed="2026-06-30")
    assert said(date(2026, 6, 19)) == none
    assert said(date(2026, 6, 29)) == drafted
    assert said(D) is None
    # No A-account (M2's, at D): the figure is –, nothing to say beside it.
    assert no_plan_agreed(0, 0, 0, 2026) is None


def test_no_key_account_gives_no_coverage_not_zero(con):
    scope = Scope(as_of=D, start=YTD.start, end=YTD.end, managers=("M2",))
    frame = figures.relationship_coverage(con, scope)
    assert frame.select("key_accounts", "plan_coverage", "executive_coverage").row(0) == (0, None, None)


# --- executive coverage -------------------------------------------------------------------


def executive_visit(con, folder, day: date, **changed) -> None:
    """The next exports bring an executive visit VX to K1 on day (with these other changes)."""
    visits = with_column("visits.csv", "executive", {}, added=f"VX,K1,M1,{day},in_person,,,true\n")
    reload(con, folder, visits=visits, **changed)


def test_executive_visit_89_days_back_covers_the_key_account(con, tmp_path):
    executive_visit(con, tmp_path, date(2026, 4, 2))  # D - 89
    frame = figures.relationship_coverage(con, YTD)
    assert frame.select("key_accounts", "executive_visited", "executive_coverage").row(0) == (1, 1, 1.0)
    assert figures.key_account_flags(con, YTD).is_empty()


def test_executive_visit_90_days_back_does_not(con, tmp_path):
    executive_visit(con, tmp_path, date(2026, 4, 1))  # D - 90
    frame = figures.relationship_coverage(con, YTD)
    assert frame.select("key_accounts", "executive_visited", "executive_coverage").row(0) == (1, 0, 0.0)
    flags = figures.key_account_flags(con, YTD)
    assert flags.select("account_id", "no_executive_contact", "no_executive_visit", "last_executive_visit").rows() == [
        ("K1", False, True, date(2026, 4, 1))
    ]


def test_key_account_without_an_executive_contact_is_flagged_apart(con, tmp_path):
    executive_visit(con, tmp_path, date(2026, 6, 1), contacts=("总经理,executive", "总经理,manager"))
    flags = figures.key_account_flags(con, YTD)
    assert flags.select("account_id", "no_executive_contact", "no_executive_visit").rows() == [("K1", True, False)]


# --- plans: access, versions, actions -----------------------------------------------------


def test_a_manager_cannot_see_nor_write_another_managers_plan(con):
    plan = agreed_plan(con, "K1", M1, shared="2026-06-20", agreed=None)
    with pytest.raises(NotAllowed):
        plans.plan_for(con, M2, "K1", 2026)
    with pytest.raises(NotAllowed):
        plans.save_plan(con, plans.PlanDraft("K1", 2026, "mine now"), M2, version=plan["version"])
    with pytest.raises(NotAllowed):
        plans.add_action(con, plan["plan_id"], "steal", None, D, M2)
    assert plans.plans_progress(con, M2, 2026, D).is_empty()
    assert plans.plan_for(con, VP, "K1", 2026)["status"] == "shared"


def test_only_the_vp_signs_a_plan_off_and_each_status_keeps_its_day(con):
    plan = agreed_plan(con, "K1", M1, shared="2026-06-20", agreed=None)
    with pytest.raises(NotAllowed, match="Only the VP"):
        plans.set_status(con, plan["plan_id"], "agreed", M1, version=plan["version"])
    with pytest.raises(NotAllowed):
        plans.set_status(con, plan["plan_id"], "agreed", ADMIN, version=plan["version"])
    plans.set_status(con, plan["plan_id"], "agreed", VP, version=plan["version"], now=at("2026-06-25"))
    history = plans.status_history(con, M1, plan["plan_id"])
    assert history.rows() == [
        ("draft", date(2026, 6, 20), "m1"),
        ("shared", date(2026, 6, 20), "m1"),
        ("agreed", date(2026, 6, 25), "vp"),
    ]
    assert db.scalar(con, "SELECT count(*) FROM audit_log WHERE action LIKE 'plan.%'") == 3


def test_a_stale_save_is_refused_with_the_newer_plan_and_nothing_lost(con):
    first = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow 10%", 10000.0), M1, version=None)
    # Both open version 1; the VP saves first.
    plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow 20%", 12000.0), VP, version=first["version"])
    with pytest.raises(Stale) as refused:
        plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow 15%", 11000.0), M1, version=first["version"])
    assert (refused.value.current["objectives"], refused.value.current["version"]) == ("grow 20%", 2)
    stored = plans.plan_for(con, M1, "K1", 2026)
    assert (stored["objectives"], stored["revenue_goal"], stored["version"]) == ("grow 20%", 12000.0, 2)


def test_an_action_changed_since_it_was_shown_is_not_changed_again(con):
    plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow", 6000.0), M1, version=None)
    action = plans.add_action(con, plan["plan_id"], "meet the CEO", "m1", date(2026, 9, 1), M1)
    # Both see it open; the VP drops it, then 王伟 ticks it done on his page.
    plans.set_action_status(con, action, "dropped", VP, seen="open")
    with pytest.raises(ActionStale) as refused:
        plans.set_action_status(con, action, "done", M1, seen="open")
    assert (refused.value.current["status"], refused.value.current["updated_by"]) == ("dropped", "vp")
    assert (
        str(refused.value)
        == "vp changed this action since the page showed it (now Dropped). Nothing of yours was saved."
    )
    assert db.query(con, "SELECT status, updated_by FROM plan_actions").rows() == [("dropped", "vp")]
    # Shown dropped, it may be opened again.
    plans.set_action_status(con, action, "open", M1, seen="dropped")
    assert db.query(con, "SELECT status FROM plan_actions").rows() == [("open",)]


def test_an_actions_owner_stops_at_100_characters_and_its_due_day_at_the_first_day_of_the_plans_year(con):
    plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow", 6000.0), M1, version=None)
    # An owner of 101 characters, due 2025-12-31 on the 2026 plan: both refused at their fields, nothing saved.
    with pytest.raises(Invalid) as refused:
        plans.add_action(con, plan["plan_id"], "meet the CEO", "王" * 101, date(2025, 12, 31), M1)
    assert refused.value.errors == {
        "owner": "At most 100 characters: now 101, 1 too many.",
        "due_on": "Choose a day in the plan's year or later: from 2026-01-01.",
    }
    with i18n.speaking("zh-CN"), pytest.raises(Invalid) as refused:
        plans.add_action(con, plan["plan_id"], "meet the CEO", "王伟", date(2020, 1, 1), M1)
    assert refused.value.errors == {"due_on": "请选择计划年度内或之后的日期：不早于 2026-01-01。"}
    assert db.query(con, "SELECT count(*) FROM plan_actions").rows() == [(0,)]
    # 100 characters, due on the year's first day (before D, so at once overdue, as the user chose): saved.
    plans.add_action(con, plan["plan_id"], "meet the CEO", "王" * 100, date(2026, 1, 1), M1)
    assert db.query(con, "SELECT length(owner), due_on FROM plan_actions").rows() == [(100, date(2026, 1, 1))]


def test_progress_counts_revenue_of_the_year_and_actions_done_and_overdue(con):
    # Written on 04-01, the first action done on 05-02: all of it before D.
    written, ticked = datetime(2026, 4, 1, 9), datetime(2026, 5, 2, 9)
    plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow", 6000.0), M1, version=None, now=written)
    done = plans.add_action(con, plan["plan_id"], "meet the CEO", "m1", date(2026, 5, 1), M1, now=written)
    plans.add_action(con, plan["plan_id"], "quote line 2", "m1", date(2026, 6, 29), M1, now=written)
    plans.add_action(con, plan["plan_id"], "site tour", "m1", D, M1, now=written)
    plans.set_action_status(con, done, "done", M1, now=ticked)
    # K1's orders of 2026 up to D: O3 3000 (O4 of 07-01 is after D): half the goal.
    progress = plans.plans_progress(con, M1, 2026, D)
    assert progress.select("revenue", "goal_share", "actions_done", "actions_open", "actions_overdue").row(0) == (
        3000.0,
        0.5,
        1,
        2,
        1,
    )
    overdue = figures.overdue_plan_actions(con, YTD)
    assert overdue.select("account_id", "description", "days_overdue").rows() == [("K1", "quote line 2", 1)]


def test_plan_fields_are_checked(con):
    with pytest.raises(Invalid) as refused:
        plans.save_plan(con, plans.PlanDraft("K1", 2026, " ", -5.0, sponsor="nobody"), M1, version=None)
    assert set(refused.value.errors) == {"objectives", "revenue_goal", "sponsor"}


def test_a_text_too_long_says_how_many_characters_to_cut_in_every_relations_form(con):
    with pytest.raises(Invalid) as plan:
        plans.save_plan(con, plans.PlanDraft("K1", 2026, "x" * 4003), M1, version=None)
    assert plan.value.errors["objectives"] == "At most 4,000 characters: now 4,003, 3 too many."
    with pytest.raises(Invalid) as contact:
        contacts.save_contact(con, contacts.ContactDraft("K1", "y" * 101), M1)
    assert contact.value.errors["name"] == "At most 100 characters: now 101, 1 too many."
    with pytest.raises(Invalid) as review:
        reviews.save_review(con, 2026, 2, "M1", "z" * 5000, "", VP)
    assert review.value.errors["notes"] == "At most 4,000 characters: now 5,000, 1,000 too many."


# --- contacts -----------------------------------------------------------------------------


def test_a_manager_adds_and_edits_a_contact_of_their_account_with_last_met(con, tmp_path):
    contact_id = contacts.save_contact(con, contacts.ContactDraft("K1", "吴总", "副总", "executive", None), M1)
    contacts.save_contact(
        con, contacts.ContactDraft("K1", "吴总", "总裁", "executive", "decision_maker"), M1, contact_id=contact_id
    )
    # The next exports name the contacts met: the app's contact on V1, P1 on V1 and V2.
    reload(con, tmp_path, visits=with_column("visits.csv", "contact_ids", {"V1": f"P1; {contact_id}", "V2": "P1"}))
    listed = contacts.account_contacts(con, M1, "K1")
    assert listed.select("name", "title", "level", "source", "last_met").rows() == [
        ("吴总", "总裁", "executive", "app", date(2026, 4, 20)),
        ("陈总", "总经理", "executive", "import", date(2026, 6, 10)),
        ("刘工", "采购工程师", "staff", "import", None),
    ]
    # As of 06-09, P1 was last met on V1 (04-20): V2 came after.
    early = contacts.account_contacts(con, M1, "K1", as_of=date(2026, 6, 9)).filter(contact_id="P1")
    assert early["last_met"].to_list() == [date(2026, 4, 20)]
    assert db.scalar(con, "SELECT count(*) FROM audit_log WHERE action LIKE 'contact.%'") == 2
    with pytest.raises(NotAllowed):
        contacts.save_contact(con, contacts.ContactDraft("K1", "x"), M2)
    with pytest.raises(NotAllowed):
        contacts.account_contacts(con, M2, "K1")
    with pytest.raises(Invalid) as refused:
        contacts.save_contact(con, contacts.ContactDraft("K1", "", email="no at", phone="abc"), M1)
    assert set(refused.value.errors) == {"name", "email", "phone"}


def test_a_contact_who_left_stays_on_file_no_longer_counts_as_executive_and_may_come_back(con, tmp_path):
    # P1 陈总 made manager-level: K1's only executive contact is the one entered in the app.
    reload(con, tmp_path, contacts=("总经理,executive", "总经理,manager"))
    wu = contacts.ContactDraft("K1", "吴总", "副总", "executive", None)
    contact_id = contacts.save_contact(con, wu, M1, now=at("2026-06-01"))

    def no_executive_contact() -> bool:
        return figures.key_account_flags(con, YTD).filter(account_id="K1")["no_executive_contact"].to_list() == [True]

    assert not no_executive_contact()
    contacts.save_contact(con, replace(wu, active=False), M1, contact_id=contact_id, now=at("2026-06-02"))
    assert no_executive_contact()
    current, former, later = contacts.as_of_groups(contacts.account_contacts(con, M1, "K1", as_of=D))
    assert current["name"].to_list() == ["陈总", "刘工"]
    assert former.select("contact_id", "name", "active").rows() == [(contact_id, "吴总", False)]
    assert later.is_empty()
    contacts.save_contact(con, wu, VP, contact_id=contact_id, now=at("2026-06-03"))
    assert not no_executive_contact()
    with pytest.raises(NotAllowed, match="may look at this but not change it"):
        contacts.save_contact(con, replace(wu, active=False), ADMIN, contact_id=contact_id)
    log = db.query(
        con,
        "SELECT username, action, target, before, after FROM audit_log WHERE action LIKE 'contact.%' ORDER BY event_id",
    )
    assert log.select("username", "action", "target").rows() == [
        ("m1", "contact.create", contact_id),
        ("m1", "contact.edit", contact_id),
        ("vp", "contact.edit", contact_id),
    ]
    changes = [
        (json.loads(b or "{}").get("active"), json.loads(a)["active"]) for b, a in log.select("before", "after").rows()
    ]
    assert changes == [(None, True), (True, False), (False, True)]


def test_a_second_active_contact_of_the_same_name_is_refused_whatever_its_spaces_or_case(con):
    anna = contacts.ContactDraft("K1", "Anna Li", "采购总监")
    anna_id = contacts.save_contact(con, anna, M1)
    for typed, named in [
        ("陈总", "陈总"),
        (" 陈 总 ", "陈总"),
        ("陈\u3000总", "陈总"),
        ("ANNA  li", "Anna Li"),
        ("ａｎｎａ　ｌｉ", "Anna Li"),
    ]:
        with pytest.raises(Invalid) as refused:
            contacts.save_contact(con, contacts.ContactDraft("K1", typed), M1)
        said = f"This account already has another current contact named {named}."
        assert refused.value.errors == {"name": said}, typed
    with pytest.raises(Invalid) as refused:
        contacts.save_contact(con, replace(anna, name="刘工"), M1, contact_id=anna_id)  # renamed to P2's name
    assert refused.value.errors == {"name": "This account already has another current contact named 刘工."}
    # Her own name kept (a new title), another account's namesake (P5 of K5): saved.
    contacts.save_contact(con, replace(anna, name="anna li", title="副总"), M1, contact_id=anna_id)
    contacts.save_contact(con, contacts.ContactDraft("K1", "周经理"), M1)
    # Once she has left, a new Anna Li may be added; the former one may not come back beside her.
    contacts.save_contact(con, replace(anna, active=False), M1, contact_id=anna_id)
    contacts.save_contact(con, contacts.ContactDraft("K1", "Anna Li", "采购经理"), M1)
    with pytest.raises(Invalid) as refused:
        contacts.save_contact(con, anna, M1, contact_id=anna_id)
    assert refused.value.errors == {"name": "This account already has another current contact named Anna Li."}
    stored = db.query(con, "SELECT name, title, active FROM contacts_app ORDER BY name, active")
    assert stored.rows() == [("Anna Li", "采购总监", False), ("Anna Li", "采购经理", True), ("周经理", None, True)]


def test_a_crm_contact_or_one_of_another_account_is_not_changed_here(con):
    with pytest.raises(NotAllowed) as refused:
        contacts.save_contact(con, contacts.ContactDraft("K1", "陈总", "董事长", active=False), M1, contact_id="P1")
    assert str(refused.value) == "Only contacts entered in the app can be changed here; change the others in the CRM."
    contact_id = contacts.save_contact(con, contacts.ContactDraft("K2", "吴总"), M1)
    with pytest.raises(NotAllowed, match="not one of this account's"):
        contacts.save_contact(con, contacts.ContactDraft("K1", "吴总"), M1, contact_id=contact_id)
    assert db.query(con, "SELECT contact_id, account_id FROM contacts_app").rows() == [(contact_id, "K2")]
    assert db.query(con, "SELECT active FROM contacts WHERE contact_id = 'P1'").rows() == [(True,)]
    assert db.scalar(con, "SELECT count(*) FROM audit_log WHERE action LIKE 'contact.%'") == 1


def test_a_contact_changed_since_the_form_was_opened_is_refused_and_nothing_of_it_saved(con):
    """王伟 and the VP open 吴总 (version 1); the VP marks him as left at 10:00, then 王伟's new title is refused."""
    users.add_user(con, "vp", "刘娜", "vp", "first-password", by="admin", must_change_password=False)
    wu = contacts.ContactDraft("K1", "吴总", "副总", "executive")
    contact_id = contacts.save_contact(con, wu, M1, now=at("2026-06-29"))
    opened = contacts.stored_contact(con, contact_id)["version"]
    assert opened == 1
    contacts.save_contact(
        con, replace(wu, active=False), VP, contact_id=contact_id, version=opened, now=at("2026-06-30")
    )
    stored = "SELECT title, active, version, updated_by, updated_at FROM contacts_app"
    after_vp = [("副总", False, 2, "vp", at("2026-06-30"))]
    assert db.query(con, stored).rows() == after_vp
    with pytest.raises(ContactStale) as refused:
        contacts.save_contact(con, replace(wu, title="总裁"), M1, contact_id=contact_id, version=opened)
    assert str(refused.value) == (
        "刘娜 changed this contact on 30 Jun 2026 10:00, after you opened it. Nothing of yours was saved."
    )
    assert (refused.value.current["title"], refused.value.current["active"]) == ("副总", False)
    assert db.query(con, stored).rows() == after_vp
    log = "SELECT username, action FROM audit_log WHERE action LIKE 'contact.%' ORDER BY event_id"
    assert db.query(con, log).rows() == [("m1", "contact.create"), ("vp", "contact.edit")]
    # Opened again at version 2, the change goes through.
    contacts.save_contact(con, replace(wu, title="总裁"), M1, contact_id=contact_id, version=2, now=at("2026-07-01"))
    assert db.query(con, stored).rows() == [("总裁", True, 3, "m1", at("2026-07-01"))]


def test_a_contact_saved_as_it_was_gets_no_new_version_nor_a_change_in_the_log(con):
    wu = contacts.ContactDraft("K1", "吴总", "副总", "executive", phone="138 0000 0000")
    contact_id = contacts.save_contact(con, wu, M1, now=at("2026-06-29"))
    stored = contacts.stored_contact(con, contact_id)
    # The form opened and saved with nothing changed (the phone as stored: spaces kept as typed).
    assert contacts.unchanged(stored, wu)
    assert contacts.save_contact(con, wu, M1, contact_id=contact_id, version=1, now=at("2026-06-30")) == contact_id
    row = "SELECT title, version, updated_at FROM contacts_app WHERE contact_id = $id"
    assert db.query(con, row, {"id": contact_id}).rows() == [("副总", 1, at("2026-06-29"))]
    log = "SELECT action FROM audit_log WHERE target = $id ORDER BY event_id"
    assert db.query(con, log, {"id": contact_id}).rows() == [("contact.create",)]
    # One change is one: a new title is saved as version 2 with its row in the log.
    assert not contacts.unchanged(stored, replace(wu, title="总裁"))
    contacts.save_contact(con, replace(wu, title="总裁"), M1, contact_id=contact_id, version=1, now=at("2026-07-01"))
    assert db.query(con, row, {"id": contact_id}).rows() == [("总裁", 2, at("2026-07-01"))]
    assert db.query(con, log, {"id": contact_id}).rows() == [("contact.create",), ("contact.edit",)]


# --- reviews and targets ------------------------------------------------------------------


def test_only_the_vp_records_reviews_and_a_manager_reads_only_their_own(con):
    with pytest.raises(NotAllowed):
        reviews.save_review(con, 2026, 2, "M1", "good", "", M1)
    # Signed off on M1's row of the quarter's scorecard as of D: a share of nothing (NaN, None) and the columns a
    # review does not keep (name, growth) are left out.
    row = {
        "manager_id": "M1",
        "name": "王伟",
        "revenue": 3000.0,
        "target": 9100.0,
        "attainment": 3000.0 / 9100.0,
        "growth": 2.0,
        "visit_coverage": 1.0,
        "sla_met_pct": float("nan"),
        "csat_pct": 0.5,
        "plan_coverage": None,
        "executive_coverage": 0.0,
    }
    signed_on = reviews.scorecard_of(row, D)
    reviews.save_review(
        con, 2026, 2, "M1", "good quarter", "visit K1 CEO", VP, signed_on=signed_on, now=at("2026-07-03")
    )
    reviews.save_review(con, 2026, 2, "M2", "behind", "", VP)
    assert reviews.reviews(con, M1).select("manager_id", "notes", "signed_off_on").rows() == [
        ("M1", "good quarter", date(2026, 7, 3))
    ]
    kept = [f"signed_{name}" for name in ("revenue", "target", "visit_coverage", "sla_met_pct", "plan_coverage")]
    [review] = reviews.reviews(con, M1).iter_rows(named=True)
    assert [review[column] for column in ("signed_off_by", "signer_name", "signed_as_of", *kept)] == [
        "vp",
        "Demo VP",
        D,
        3000.0,
        9100.0,
        1.0,
        None,
        None,
    ]
    # Kept with the audit row of the same write.
    [after] = db.query(con, "SELECT after FROM audit_log WHERE action = 'review.save' AND target = '2026Q2/M1'").rows()
    assert {k: json.loads(after[0])[k] for k in ("signed_off_by_name", "signed_as_of", "signed_revenue")} == {
        "signed_off_by_name": "Demo VP",
        "signed_as_of": "2026-06-30",
        "signed_revenue": 3000.0,
    }
    # Q2 ended on D: the figures to D are the quarter's whole. 3,000 / 9,100 = 33.0%.
    assert reviews.signed_off_text(review) == "Signed off on 2026-07-03 by Demo VP, on the figures to 2026-06-30."
    assert reviews.signed_figures_text(review) == (
        "Revenue: ¥3,000 · Target to date: ¥9,100 · Attainment: 33.0% · Visit coverage: 100.0% · "
        "Complaint SLA met: – · CSAT: 50.0% · Plan coverage: – · Executive coverage: 0.0%"
    )
    assert reviews.reviews(con, M2).select("manager_id").rows() == [("M2",)]
    assert reviews.reviews(con, VP, 2026, 2).height == 2
    with pytest.raises(NotAllowed, match="signed off"):
        reviews.save_review(con, 2026, 2, "M1", "rewritten", "", VP)
    assert reviews.quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert reviews.previous_quarter(2026, 1) == (2025, 4)


def test_an_app_target_entered_in_december_replaces_the_exported_one(con, tmp_path):
    with pytest.raises(NotAllowed, match="December"):
        targets.set_target(con, "M1", 2027, 50000.0, None, VP, now=at("2026-11-30"))
    with pytest.raises(NotAllowed):
        targets.set_target(con, "M1", 2027, 50000.0, None, M1, now=at("2026-12-01"))
    reload(con, tmp_path, targets=("M2,2026,73000\n", "M2,2026,73000\nM1,2027,40000\nM2,2027,80000\n"))
    targets.set_target(con, "M1", 2027, 73000.0, None, VP, now=at("2026-12-01"))
    assert targets.targets_of_year(con, 2027).rows() == [
        ("M1", "王伟", 40000.0, 73000.0, 73000.0, "app"),
        ("M2", "李娜", 80000.0, None, 80000.0, "import"),
        ("M3", "张敏", None, None, None, None),
    ]
    # January 2027 pro-rated: 73000 × 31/365 = 6200 for M1 (the export's 40000 no longer counts).
    jan = Scope(as_of=date(2027, 1, 31), start=date(2027, 1, 1), end=date(2027, 1, 31), managers=("M1",))
    assert revenue.revenue_summary(con, jan)["target"].to_list() == [pytest.approx(6200.0)]


def test_a_new_connection_keeps_everything_entered_in_the_app(tmp_path):
    path = build(tmp_path)
    with db.connect(path) as con:
        plan = agreed_plan(con, "K1", M1, shared="2026-06-20", agreed="2026-06-21")
        plans.add_action(con, plan["plan_id"], "meet", None, D, M1)
        contacts.save_contact(con, contacts.ContactDraft("K1", "吴总"), M1)
        reviews.save_review(con, 2026, 2, "M1", "ok", "", VP)
        targets.set_target(con, "M1", 2027, 1.0, None, VP, now=at("2026-12-01"))
    with db.connect(path) as con:
        counts = [
            db.scalar(con, f"SELECT count(*) FROM {name}")
            for name in ("account_plans", "plan_actions", "plan_status_history", "contacts_app")
        ]
        counts += [db.scalar(con, f"SELECT count(*) FROM {name}") for name in ("quarterly_reviews", "targets_app")]
        assert counts == [1, 1, 3, 1, 1, 1]


def test_a_visit_logged_in_the_app_names_contacts_of_its_account_only(con):
    from kam.visits import log, rules

    met = rules.VisitDraft("K1", date(2026, 6, 30), "phone", contact_ids=("P1",))
    log.save_visit(con, met, M1, now=at("2026-07-01"))
    listed = contacts.account_contacts(con, M1, "K1")
    assert listed.select("contact_id", "last_met").rows() == [("P1", date(2026, 6, 30)), ("P2", None)]
    with pytest.raises(rules.InvalidVisit) as refused:
        log.save_visit(con, rules.VisitDraft("K1", D, "phone", contact_ids=("P5",)), M1, now=at("2026-07-01"))
    assert refused.value.errors == {"contact_ids": "Pick only contacts of this account."}


def test_the_admin_export_holds_every_app_entered_table(con):
    import io
    import zipfile

    import polars as pl

    from kam.relations import export

    agreed_plan(con, "K1", M1, shared="2026-06-20", agreed=None)
    contacts.save_contact(con, contacts.ContactDraft("K1", "吴总", phone="+86 21 5555 0000"), M1)
    archive = zipfile.ZipFile(io.BytesIO(export.app_data_zip(con, "parquet")))
    assert sorted(archive.namelist()) == [
        "account_plans.parquet",
        "contacts_app.parquet",
        "plan_actions.parquet",
        "plan_status_history.parquet",
        "quarterly_reviews.parquet",
        "targets_app.parquet",
        "visits_app.parquet",
    ]
    history = pl.read_parquet(archive.read("plan_status_history.parquet"))
    assert history.select("status", "changed_on").rows() == [
        ("draft", date(2026, 6, 20)),
        ("shared", date(2026, 6, 20)),
    ]
    phones = pl.read_csv(zipfile.ZipFile(io.BytesIO(export.app_data_zip(con, "csv"))).read("contacts_app.csv"))
    # A cell that a spreadsheet would read as a formula is kept as text.
    assert phones["phone"].to_list() == ["'+86 21 5555 0000"]


def test_the_weekly_brief_lists_overdue_plan_actions(con):
    from kam.reports.brief import weekly_brief

    written = datetime(2026, 6, 1, 9)
    plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), M1, version=None, now=written)
    plans.add_action(con, plan["plan_id"], "send the quote", "王伟", date(2026, 6, 20), M1, now=written)
    brief = weekly_brief(con, YTD)
    assert "<h2>Overdue plan actions (1)</h2>" in brief
    assert "send the quote" in brief


# --- cached figures -----------------------------------------------------------------------


def test_each_kind_of_entry_in_the_app_moves_the_data_version_and_not_the_loads_part(con):
    from kam.metrics import catalog

    versions = [catalog.data_version(con)]
    contact_id = contacts.save_contact(con, contacts.ContactDraft("K1", "吴总", "副总", "executive", None), M1)
    versions.append(catalog.data_version(con))
    changed = contacts.ContactDraft("K1", "吴总", "总裁", "executive", None)
    contacts.save_contact(con, changed, M1, contact_id=contact_id)
    versions.append(catalog.data_version(con))
    plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), M1, version=None)
    versions.append(catalog.data_version(con))
    plans.set_status(con, plan["plan_id"], "shared", M1, version=plan["version"])
    versions.append(catalog.data_version(con))
    action_id = plans.add_action(con, plan["plan_id"], "send the quote", "王伟", date(2026, 6, 20), M1)
    versions.append(catalog.data_version(con))
    plans.set_action_status(con, action_id, "done", M1)
    versions.append(catalog.data_version(con))
    reviews.save_review(con, 2026, 2, "M1", "good", "", VP)
    versions.append(catalog.data_version(con))
    targets.set_target(con, "M1", 2027, 50000.0, None, VP, now=at("2026-12-01"))
    versions.append(catalog.data_version(con))
    # Eight entries, nine versions, each new; the load's id and time stay as they were.
    assert len(set(versions)) == 9
    assert {version[:2] for version in versions} == {versions[0][:2]}


def test_the_a_accounts_without_any_contact_on_file_are_counted(con):
    # At 2026-05-01 K1 (contacts P1, P2), K4 (A until it churned on 05-15; none) and K5 (A until 06-01; P5).
    early = Scope(as_of=date(2026, 5, 1), start=date(2026, 1, 1), end=date(2026, 5, 1))
    frame = figures.relationship_coverage(con, early)
    assert frame.select("key_accounts", "without_contacts").row(0) == (3, 1)
    # At D only K1 is an active A-account, and it has contacts.
    assert figures.relationship_coverage(con, YTD).select("key_accounts", "without_contacts").row(0) == (1, 0)


# --- contacts as of D ---------------------------------------------------------------------


def executive_ties(con, day: str) -> list[tuple]:
    """The key-account flags at the end of day (K1, the only A-account from June on, has no executive visit)."""
    as_of = date.fromisoformat(day)
    flags = figures.key_account_flags(con, Scope(as_of=as_of, start=date(2026, 1, 1), end=as_of))
    return flags.select("account_id", "no_executive_contact", "no_executive_visit").rows()


def test_an_executive_contact_counts_from_the_day_it_was_entered_until_the_day_it_was_marked_as_left(con, tmp_path):
    # P1 陈总 made manager-level: K1's only executive contact is 吴总, entered 06-10 10:00, marked as left 06-20 10:00.
    reload(con, tmp_path, contacts=("总经理,executive", "总经理,manager"))
    wu = contacts.ContactDraft("K1", "吴总", "副总", "executive")
    wu_id = contacts.save_contact(con, wu, M1, now=at("2026-06-10"))
    # Entered after the end of 06-09: flagged then; counted from 06-10 on.
    assert executive_ties(con, "2026-06-09") == [("K1", True, True)]
    assert executive_ties(con, "2026-06-10") == [("K1", False, True)]
    assert executive_ties(con, "2026-06-30") == [("K1", False, True)]
    contacts.save_contact(con, replace(wu, active=False), M1, contact_id=wu_id, now=at("2026-06-20"))
    assert db.query(con, "SELECT left_at FROM contacts_app").rows() == [(at("2026-06-20"),)]
    # Still there at the end of 06-19; no longer from 06-20, the day he was marked as left.
    assert executive_ties(con, "2026-06-19") == [("K1", False, True)]
    assert executive_ties(con, "2026-06-20") == [("K1", True, True)]
    assert executive_ties(con, "2026-06-30") == [("K1", True, True)]
    # Back at the customer on 06-25: counted again from entry on (the leave is not kept once he is back).
    contacts.save_contact(con, wu, M1, contact_id=wu_id, now=at("2026-06-25"))
    assert db.query(con, "SELECT left_at FROM contacts_app").rows() == [(None,)]
    assert executive_ties(con, "2026-06-09") == [("K1", True, True)]
    assert executive_ties(con, "2026-06-20") == [("K1", False, True)]


def test_contacts_of_the_export_carry_no_dates_and_count_on_any_day(con):
    # P1 陈总 (executive, from the CRM export) counts at 2025-03-01, the day K1 became an A-account, as at D. Then K4
    # had no contact and K5 (A from 2025-01-01 to 2026-06-01) only P5, manager-level.
    assert executive_ties(con, "2025-03-01") == [("K1", False, True), ("K4", True, True), ("K5", True, True)]
    assert executive_ties(con, "2026-06-30") == [("K1", False, True)]


def test_an_a_account_whose_only_contact_was_entered_after_d_has_no_contact_at_d(con):
    # At 05-01 the A-accounts are K1 (P1, P2), K4 (none) and K5 (P5): K4 is without contacts. 孙总 is entered for K4
    # on 05-10: still without at 05-01, with one at 05-12 (K4 churns on 05-15).
    contacts.save_contact(con, contacts.ContactDraft("K4", "孙总", "董事长", "executive"), M2, now=at("2026-05-10"))

    def without_contacts(day: str) -> tuple:
        as_of = date.fromisoformat(day)
        frame = figures.relationship_coverage(con, Scope(as_of=as_of, start=date(2026, 1, 1), end=as_of))
        return frame.select("key_accounts", "without_contacts").row(0)

    assert without_contacts("2026-05-01") == (3, 1)
    assert without_contacts("2026-05-12") == (3, 0)
    # 05-01: K4 flagged for its executive contact too; 05-12: only for the visit (no executive visit anywhere).
    assert executive_ties(con, "2026-05-01") == [("K1", False, True), ("K4", True, True), ("K5", True, True)]
    assert executive_ties(con, "2026-05-12") == [("K1", False, True), ("K4", False, True), ("K5", True, True)]


def test_the_account_view_lists_the_contacts_as_they_stood_at_d_those_entered_later_apart(con):
    """吴总 (executive) entered 06-10, marked as left 06-20; 周经理 (manager) entered 07-01; P1 陈总 and P2 刘工 from
    the CRM export, on file on any day."""
    wu = contacts.ContactDraft("K1", "吴总", "副总", "executive")
    wu_id = contacts.save_contact(con, wu, M1, now=at("2026-06-10"))
    contacts.save_contact(con, replace(wu, active=False), M1, contact_id=wu_id, now=at("2026-06-20"))
    contacts.save_contact(con, contacts.ContactDraft("K1", "周经理", level="manager"), M1, now=at("2026-07-01"))

    def groups(day: str) -> list[list[str]]:
        listed = contacts.account_contacts(con, M1, "K1", as_of=date.fromisoformat(day))
        return [frame["name"].to_list() for frame in contacts.as_of_groups(listed)]

    # (current at D, left by D, entered after D), executives first, then by name.
    assert groups("2026-06-09") == [["陈总", "刘工"], [], ["吴总", "周经理"]]
    assert groups("2026-06-19") == [["吴总", "陈总", "刘工"], [], ["周经理"]]
    assert groups("2026-06-30") == [["陈总", "刘工"], ["吴总"], ["周经理"]]
    assert groups("2026-07-01") == [["陈总", "周经理", "刘工"], ["吴总"], []]
    listed = contacts.account_contacts(con, M1, "K1", as_of=D)
    assert listed.select("name", "source", "entered_on", "left_on").rows() == [
        ("吴总", "app", date(2026, 6, 10), date(2026, 6, 20)),
        ("陈总", "import", None, None),
        ("周经理", "app", date(2026, 7, 1), None),
        ("刘工", "import", None, None),
    ]


def k1_current(con, day: str) -> list[tuple]:
    """(name, title, level) of K1's contacts at the customer at the end of day, as the account view lists them."""
    listed = contacts.account_contacts(con, M1, "K1", as_of=date.fromisoformat(day))
    return contacts.as_of_groups(listed)[0].select("name", "title", "level").rows()


def test_a_contact_made_executive_after_d_counts_as_executive_from_the_day_of_the_change_only(con, tmp_path):
    # P1 陈总 made manager-level: K1's only possible executive contact is 吴总, entered 06-01 10:00 as staff-level
    # (经理助理), made executive-level (副总) on 07-10 10:00.
    reload(con, tmp_path, contacts=("总经理,executive", "总经理,manager"))
    wu = contacts.ContactDraft("K1", "吴总", "经理助理", "staff")
    wu_id = contacts.save_contact(con, wu, M1, now=at("2026-06-01"))
    contacts.save_contact(con, replace(wu, title="副总", level="executive"), M1, contact_id=wu_id, now=at("2026-07-10"))
    # D = 06-30 and 07-09: staff-level then, K1 flagged for lacking an executive contact (and, as on any day, an
    # executive visit: the portfolio has none). 07-10, the day of the change: no longer flagged for the contact.
    assert executive_ties(con, "2026-06-30") == [("K1", True, True)]
    assert executive_ties(con, "2026-07-09") == [("K1", True, True)]
    assert executive_ties(con, "2026-07-10") == [("K1", False, True)]
    # The account view as of D lists him as he was then: a staff member after 陈总 (manager-level), after 刘工 by name
    # (刘 U+5218 before 吴 U+5434); from 07-10 the executive, first.
    assert k1_current(con, "2026-06-30") == [
        ("陈总", "总经理", "manager"),
        ("刘工", "采购工程师", "staff"),
        ("吴总", "经理助理", "staff"),
    ]
    assert k1_current(con, "2026-07-10") == [
        ("吴总", "副总", "executive"),
        ("陈总", "总经理", "manager"),
        ("刘工", "采购工程师", "staff"),
    ]


def test_a_contact_made_staff_after_d_still_counts_as_executive_at_d(con, tmp_path):
    # As above, the other way: 吴总 entered 06-01 as executive-level (副总), made staff-level (顾问) on 07-10.
    reload(con, tmp_path, contacts=("总经理,executive", "总经理,manager"))
    wu = contacts.ContactDraft("K1", "吴总", "副总", "executive")
    wu_id = contacts.save_contact(con, wu, M1, now=at("2026-06-01"))
    contacts.save_contact(con, replace(wu, title="顾问", level="staff"), M1, contact_id=wu_id, now=at("2026-07-10"))
    # K1 has its executive contact from 06-01 to 07-09; from 07-10 none (陈总 manager-level, 刘工 and 吴总 staff).
    assert executive_ties(con, "2026-05-31") == [("K1", True, True), ("K5", True, True)]  # K5 A until 06-01
    assert executive_ties(con, "2026-06-30") == [("K1", False, True)]
    assert executive_ties(con, "2026-07-09") == [("K1", False, True)]
    assert executive_ties(con, "2026-07-10") == [("K1", True, True)]
    assert k1_current(con, "2026-06-30")[0] == ("吴总", "副总", "executive")
    assert k1_current(con, "2026-07-10")[-1] == ("吴总", "顾问", "staff")


def test_a_contact_with_no_save_in_the_audit_log_by_d_is_read_as_it_is_now(con, tmp_path):
    """None such is written by the app (each save has its audit row); a database whose log lost them reads the
    contact's fields as they are now, as before they were read as of D."""
    reload(con, tmp_path, contacts=("总经理,executive", "总经理,manager"))
    wu = contacts.ContactDraft("K1", "吴总", "经理助理", "staff")
    wu_id = contacts.save_contact(con, wu, M1, now=at("2026-06-01"))
    contacts.save_contact(con, replace(wu, title="副总", level="executive"), M1, contact_id=wu_id, now=at("2026-07-10"))
    con.execute("DELETE FROM audit_log WHERE action = 'contact.create'")
    # At 06-30 his only save by then is gone from the log: executive-level (as now), K1 not flagged for the contact.
    assert executive_ties(con, "2026-06-30") == [("K1", False, True)]
    assert k1_current(con, "2026-06-30")[0] == ("吴总", "副总", "executive")


# The contacts view as the version before the days of entry and leaving made it.
OLD_CONTACTS_VIEW = """
CREATE OR REPLACE VIEW contacts AS
SELECT contact_id, account_id, name, title, level, role, phone, email, notes, active, 'import' AS source
FROM contacts_imported
UNION ALL
SELECT contact_id, account_id, name, title, level, role, phone, email, notes, active, 'app' AS source
FROM contacts_app AS a
WHERE NOT EXISTS (SELECT 1 FROM contacts_imported AS i WHERE i.contact_id = a.contact_id)
"""


def test_a_contact_marked_as_left_before_the_day_was_kept_takes_it_from_the_audit_log(tmp_path):
    """A database of an earlier version: 吴总 (executive) entered 06-10 and marked as left 06-20, 孙总 entered as
    already gone on 06-12, no day of leaving kept; each save's time is in the audit log."""
    path = build(tmp_path, contacts=("总经理,executive", "总经理,manager"))
    with db.connect(path) as con:
        wu = contacts.ContactDraft("K1", "吴总", "副总", "executive")
        wu_id = contacts.save_contact(con, wu, M1, now=at("2026-06-10"))
        contacts.save_contact(con, replace(wu, title="总裁"), M1, contact_id=wu_id, now=at("2026-06-15"))
        contacts.save_contact(con, replace(wu, active=False), M1, contact_id=wu_id, now=at("2026-06-20"))
        contacts.save_contact(con, replace(wu, title="顾问", active=False), M1, contact_id=wu_id, now=at("2026-06-28"))
        sun = contacts.ContactDraft("K1", "孙总", "董事", "executive", active=False)
        sun_id = contacts.save_contact(con, sun, M1, now=at("2026-06-12"))
        # The audit log's time of each save: 10:00 on the day of the record's.
        saves = con.execute("SELECT event_id FROM audit_log WHERE action LIKE 'contact.%' ORDER BY 1").fetchall()
        for (event_id,), day in zip(
            saves,
            ("2026-06-10", "2026-06-15", "2026-06-20", "2026-06-28", "2026-06-12"),
            strict=True,
        ):
            con.execute("UPDATE audit_log SET happened_at = $1 WHERE event_id = $2", [at(day), event_id])
    [file] = [f for f in exports.folder_for(path).glob("*.duckdb") if f.stem != "0"]
    with duckdb.connect(str(path)) as old:
        old.execute("ALTER TABLE contacts_app DROP COLUMN left_at")
        old.execute(f"ATTACH '{file}' AS exports_{file.stem} (READ_ONLY)")  # where the app's views look for it
        old.execute(OLD_CONTACTS_VIEW)
    # Read only (`python -m kam kpis`) before the dashboard opened it: no day of leaving, counted on no day as before.
    with db.connect(path, read_only=True) as con:
        assert executive_ties(con, "2026-06-19") == [("K1", True, True)]
    with db.connect(path) as con:
        kept = "SELECT contact_id, left_at FROM contacts_app ORDER BY created_at"
        # 吴总 left when his save of 06-20 marked him so (not at the later save of his new title); 孙总 on entry.
        assert db.query(con, kept).rows() == [(wu_id, at("2026-06-20")), (sun_id, at("2026-06-12"))]
        assert executive_ties(con, "2026-06-19") == [("K1", False, True)]
        assert executive_ties(con, "2026-06-20") == [("K1", True, True)]


def test_an_overdue_plan_action_is_listed_at_a_day_as_it_stood_that_day(con):
    # K1's plan written 06-01; its action due 06-03 entered late, on 06-05, and done on 06-20. K2's plan written
    # on 06-25 with an action due 06-01, entered that day.
    k1 = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), M1, version=None, now=datetime(2026, 6, 1, 9))
    late = plans.add_action(con, k1["plan_id"], "send the quote", "m1", date(2026, 6, 3), M1, now=datetime(2026, 6, 5))
    plans.set_action_status(con, late, "done", M1, now=datetime(2026, 6, 20, 17))
    k2 = plans.save_plan(con, plans.PlanDraft("K2", 2026, "win"), M1, version=None, now=datetime(2026, 6, 25, 9))
    plans.add_action(con, k2["plan_id"], "visit the plant", "m1", date(2026, 6, 1), M1, now=datetime(2026, 6, 25, 9))

    def listed(day: date) -> list[tuple]:
        scope = Scope(as_of=day, start=date(2026, 1, 1), end=day)
        return figures.overdue_plan_actions(con, scope).select("account_id", "description", "days_overdue").rows()

    assert listed(date(2026, 6, 4)) == []  # due the day before, not yet entered
    assert listed(date(2026, 6, 5)) == [("K1", "send the quote", 2)]
    assert listed(date(2026, 6, 19)) == [("K1", "send the quote", 16)]
    assert listed(date(2026, 6, 20)) == []  # done that day
    assert listed(date(2026, 6, 24)) == []  # K2's plan not yet written
    assert listed(date(2026, 6, 25)) == [("K2", "visit the plant", 24)]

"""Forms and lists as a manager reads them on a phone, in Chinese and in English, on tests/portfolio.py.

王伟 (M1) manages K1 甲公司 (contacts P1 陈总, P2 刘工) and K2 乙公司 (visit V4 on 2026-01-15, its next step
"send quote" due 2026-02-15, no later visit: a follow-up come due). A refused form stays open with its messages at
the fields and what was typed; a refusal is also told under the form's button, where the user's thumb is (a toast
covered the page's title on a phone). A save is said once, in a box beside what it saved, the page brought to it from
the form's button.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from kam import i18n
from kam.i18n import _
from kam.people.users import User
from kam.present.text import markdown_text as md
from kam.relations import contacts
from kam.store import db
from kam.ui.language import CHOSEN
from tests.apptest import ADMIN, ROOT, VP, app, enrol, start

WANG = User("wangwei", "王伟", "manager", "M1")
LANGUAGES = ["zh-CN", "en"]


def opened(page: str, language: str, **query: str) -> AppTest:
    """王伟's page on a screen in the language, run once."""
    at = app(page, user=WANG, **query)
    at.session_state[CHOSEN] = language
    return at.run()


def said(language: str, message: str, **values: str) -> str:
    with i18n.speaking(language):
        return _(message).format(**values)


def headers_of(at: AppTest, column: str) -> list[str]:
    """The headers, as shown, of the page's table that has the column."""
    table = next(t for t in at.dataframe if column in t.value.columns)
    config_ = json.loads(table.proto.columns or "{}")
    return [config_.get(name, {}).get("label") or name for name in table.proto.column_order]


def csv_headers(offered: dict, key: str) -> list[str]:
    return list(pd.read_csv(io.BytesIO(offered[key]())).columns)


# --- 1. the account view's contact form ----------------------------------------------------------


def contact_form(at: AppTest, language: str):
    return next(e for e in at.expander if e.label == said(language, "Add or change a contact"))


def add_contact(at: AppTest, language: str, **typed: str) -> AppTest:
    """Type into the contact form and press its button (the page's pickers read in the screen's language)."""
    with i18n.speaking(language):
        for field, value in typed.items():
            at.text_input(key=f"contact_{field}").set_value(value)
        return next(b for b in at.button if b.label == said(language, "Add the contact")).click().run()


def save_plan(at: AppTest, language: str) -> AppTest:
    with i18n.speaking(language):
        return next(b for b in at.button if b.label == said(language, "Save the plan")).click().run()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_contact_keeps_its_form_open_with_the_message_at_the_field_and_under_its_button(portfolio, language):
    at = opened("account", language, account="K1", as_of="2026-06-30")
    assert contact_form(at, language).proto.expanded is False
    not_saved = said(language, "Not saved: see the messages in red above.")
    add = said(language, "Add the contact")

    at = add_contact(at, language, name="张伟", phone="abc")
    form = contact_form(at, language)
    assert form.proto.expanded is True
    assert [e.value for e in form.error] == [
        md(said(language, "A phone number has 5 to 40 characters (digits, spaces, +, - and brackets).")),
        not_saved,
    ]
    assert told_under(at, add) == [not_saved] and not at.toast
    assert at.text_input(key="contact_name").value == "张伟"
    assert at.text_input(key="contact_phone").value == "abc"

    at = add_contact(at, language, phone="0571-8888 6666", email="zhangwei@")
    form = contact_form(at, language)
    assert form.proto.expanded is True
    assert [e.value for e in form.error] == [md(said(language, "This is not an e-mail address.")), not_saved]
    assert told_under(at, add) == [not_saved]
    assert at.text_input(key="contact_email").value == "zhangwei@"
    # The page comes to the form's first message in red, a screen above the button on a phone; once only.
    assert brought_into_view(at) == [FIRST_CONTACT_ERROR]
    with i18n.speaking(language):
        at = at.run()
    assert [e.value for e in contact_form(at, language).error] == [md(said(language, "This is not an e-mail address."))]
    assert not told_under(at, add) and not brought_into_view(at)

    at = add_contact(at, language, email="zhangwei@example.com")
    added = said(language, "Contact {name} added.", name="张伟")
    assert not at.toast  # said once, in the box the page is brought back to
    assert at.success[-1].value == added  # above the form, under the account's other notices
    # The form folds; the page goes back up to the list and the confirmation under it (a phone stayed below).
    assert [s.value for s in at.get_by_key("contact-saved").success] == [added]
    assert brought_into_view(at) == brought_into_view(at.get_by_key("contact-saved")) == ['".st-key-contact-saved"']
    assert not at.error
    assert contact_form(at, language).proto.expanded is False
    assert at.text_input(key="contact_name").value == ""
    # Entered today, after the page's as-of date: listed apart (open, to be found), not among K1's two at 06-30.
    assert said(language, "Contacts ({count})", count="2") in [h.value for h in at.subheader]
    later = said(language, "Entered after {as_of}, not counted at that date ({count})", as_of="2026-06-30", count="1")
    [entered] = [e for e in at.expander if e.label == later]
    assert entered.proto.expanded is True
    assert [list(t.value["name"]) for t in entered.dataframe] == [["张伟"]]
    counted = said(
        language,
        "At {as_of}: a contact entered here counts from the day it was entered until the day it was marked as having "
        "left, listed with its level, title and details as last saved by then; a contact of the CRM export carries "
        "no dates and counts on any day.",
        as_of="2026-06-30",
    )
    assert counted in [c.value for c in at.caption]
    # Under the confirmation, why the heading above does not count it: the page stands at 06-30.
    [told] = at.get_by_key("contact-saved").caption
    assert told.value == said(
        language,
        "Counted from today: the list above shows the contacts as they stood at {as_of}, the as-of date in the "
        "sidebar; a contact added today is listed under “Entered after {as_of}”.",
        as_of="2026-06-30",
    )
    with i18n.speaking(language):  # the page's pickers read in the screen's language
        assert not brought_into_view(at.run())


@pytest.mark.parametrize(
    ("language", "note"),
    [
        (
            "zh-CN",
            "自今日起计入：上方列表为侧栏所选统计期最后一天 2026-06-28 当时的联系人；"
            "今日新增的联系人列在“2026-06-28 之后录入”下。",
        ),
        (
            "en",
            "Counted from today: the list above shows the contacts as they stood at 2026-06-28, the last day of the "
            "period in the sidebar; a contact added today is listed under “Entered after 2026-06-28”.",
        ),
    ],
)
def test_a_contact_added_on_a_page_of_last_week_says_the_list_stands_at_the_periods_last_day(portfolio, language, note):
    """As of 2026-06-30, last week (06-22 to 06-28): the account view, its contacts too, stands at 06-28, the period's
    last day, not at the sidebar's 06-30; the note under the confirmation names that day as the period's end."""
    at = opened("account", language, account="K1", as_of="2026-06-30", period="last_week")
    at = add_contact(at, language, name="张伟")
    assert [s.value for s in at.get_by_key("contact-saved").success] == [
        said(language, "Contact {name} added.", name="张伟")
    ]
    [told] = at.get_by_key("contact-saved").caption
    assert told.value == note
    later = said(language, "Entered after {as_of}, not counted at that date ({count})", as_of="2026-06-28", count="1")
    assert later in [e.label for e in at.expander]


# The first message in red of the page and of the contact form, as the page's script finds it (querySelector: the
# first match, the highest on the page).
FIRST_ERROR = '"[data-testid=stMain] [data-testid=stAlertContentError]"'
FIRST_CONTACT_ERROR = '".st-key-contact-form [data-testid=stAlertContentError]"'


def brought_into_view(at: AppTest | Block) -> list[str]:
    """The selectors of what the page's scripts (or a container's) scroll into view: a save's box brings itself into
    view as soon as it is drawn, its script in its container, before the rest of the run."""
    return [
        found
        for h in at.get("html")
        for found in re.findall(r"target = document\.querySelector\((.*?)\)", h.proto.body)
    ]


def told_under(at: AppTest, button: str) -> list[str]:
    """The messages in red right under the button of that label or key (past the buttons beside it), in the page's
    order: a refusal told where the thumb pressed."""

    def leaves(node: Any) -> list[Any]:
        if not isinstance(node, Block):
            return [node]
        return [leaf for child in node.children.values() for leaf in leaves(child)]

    shown = leaves(at.main)
    index = next(i for i, e in enumerate(shown) if e.type == "button" and button in (e.label, e.key))
    after = [e for e in shown[index + 1 :] if e.type != "button"]
    return [e.value for e in after[: next((i for i, e in enumerate(after) if e.type != "error"), len(after))]]


def around(at: AppTest, key: str) -> tuple[Any, Any]:
    """The page's elements just before and just after the container of the key."""
    shown = list(at.main.children.values())
    index = next(i for i, node in enumerate(shown) if getattr(node, "key", None) == key)
    return shown[index - 1], shown[index + 1]


def contacts_shown(at: AppTest) -> list[list[tuple[str, str | None]]]:
    """(name, title) of each contacts table, the current contacts' first, then those who left."""
    tables = [t.value for t in at.dataframe if t.value.columns[0] == "name"]
    return [[(n, None if pd.isna(t) else t) for n, t in zip(f["name"], f["title"], strict=True)] for f in tables]


def test_a_contact_is_changed_in_the_same_form_a_namesake_refused_and_one_who_left_listed_apart(portfolio):
    """In Chinese: 吴总 added, picked, seen prefilled and changed; 陈 总 refused as 陈总 (P1); 吴总 marked as left.
    As of today: the day he is entered and marked as left."""
    # The page's pickers read in Chinese: the test reads them so.
    with i18n.speaking("zh-CN"):
        at = add_contact(
            opened("account", "zh-CN", account="K1", as_of=date.today().isoformat()), "zh-CN", name="吴总", title="副总"
        )
        with db.connect(portfolio) as con:
            wu = db.scalar(con, "SELECT contact_id FROM contacts_app WHERE name = '吴总'")
        picker = at.selectbox(key="contact_picked")
        assert (picker.label, picker.options) == ("要添加或修改的联系人", ["新联系人", "吴总 · 副总"])
        assert "CRM 导出的联系人不能在此修改，请在 CRM 中修改。" in [c.value for c in at.caption]

        at = picker.set_value(wu).run()
        assert contact_form(at, "zh-CN").proto.expanded is True
        prefilled = {key: at.text_input(key=f"contact_{key}").value for key in ("name", "title", "phone")}
        assert prefilled == {"name": "吴总", "title": "副总", "phone": ""}
        assert (at.checkbox(key="contact_active").label, at.checkbox(key="contact_active").value) == (
            "仍在客户处任职",
            True,
        )
        # Saved with nothing changed: said so, and picked again to change him.
        at = next(b for b in at.button if b.label == "保存联系人").click().run()
        assert [s.value for s in at.get_by_key("contact-saved").success] == ["无需保存：吴总 与上次保存时相同。"]
        at = at.selectbox(key="contact_picked").set_value(wu).run()
        at.text_input(key="contact_title").set_value("总裁")
        at = next(b for b in at.button if b.label == "保存联系人").click().run()
        assert [s.value for s in at.get_by_key("contact-saved").success] == ["已保存联系人 吴总。"]
        assert not at.toast
        assert contacts_shown(at) == [[("陈总", "总经理"), ("刘工", "采购工程师"), ("吴总", "总裁")]]
        assert at.selectbox(key="contact_picked").value == ""  # back to a new contact, the form emptied
        assert at.text_input(key="contact_name").value == ""

        at = add_contact(at, "zh-CN", name="陈 总", title="董事长")
        assert [e.value for e in contact_form(at, "zh-CN").error] == [
            "该客户已有另一位名为 陈总 的在职联系人。",
            "未保存：请查看上方的红色提示。",
        ]
        assert [at.text_input(key=f"contact_{key}").value for key in ("name", "title")] == ["陈 总", "董事长"]
        assert told_under(at, "添加联系人") == ["未保存：请查看上方的红色提示。"]

        at = at.selectbox(key="contact_picked").set_value(wu).run()
        at.checkbox(key="contact_active").uncheck()
        at = next(b for b in at.button if b.label == "保存联系人").click().run()
        assert [s.value for s in at.get_by_key("contact-saved").success] == ["已将 吴总 标记为已离职。"]
        assert contacts_shown(at) == [[("陈总", "总经理"), ("刘工", "采购工程师")], [("吴总", "总裁")]]
        assert "联系人（2）" in [h.value for h in at.subheader]
        assert "已离职的联系人（1）" in [e.label for e in at.expander]
        assert at.selectbox(key="contact_picked").options == ["新联系人", "吴总（已离职） · 总裁"]


def test_a_contact_changed_by_someone_else_since_the_form_opened_is_refused_keeping_what_was_typed(portfolio):
    """In Chinese: 王伟 opens 吴总 (副总); the VP marks him as left at 09:05; 王伟's new title is refused, kept, and
    the contact as saved now is shown under the form, to load and redo the change from."""
    with i18n.speaking("zh-CN"):
        at = add_contact(
            opened("account", "zh-CN", account="K1", as_of="2026-06-30"), "zh-CN", name="吴总", title="副总"
        )
        with db.connect(portfolio) as con:
            wu = db.scalar(con, "SELECT contact_id FROM contacts_app WHERE name = '吴总'")
        at = at.selectbox(key="contact_picked").set_value(wu).run()
        with db.connect(portfolio) as con:
            left = contacts.ContactDraft("K1", "吴总", "副总", active=False)
            contacts.save_contact(con, left, VP, contact_id=wu, version=1, now=datetime(2026, 6, 30, 9, 5))
        at.text_input(key="contact_title").set_value("总裁")
        at = next(b for b in at.button if b.label == "保存联系人").click().run()
        form = contact_form(at, "zh-CN")
        assert form.proto.expanded is True
        assert [e.value for e in form.error] == [
            md("自您打开后，Demo VP 于 2026年6月30日 09:05 修改了该联系人。您的修改未保存。"),
            "未保存：请查看上方的红色提示。",
        ]
        assert told_under(at, "保存联系人") == ["未保存：请查看上方的红色提示。"]
        assert at.text_input(key="contact_title").value == "总裁"
        assert at.checkbox(key="contact_active").value is True
        assert [t.value for t in form.text] == [
            "姓名: 吴总",
            "职务: 副总",
            "层级: –",
            "采购角色: –",
            "电话: –",
            "电子邮件: –",
            "备注: –",
            "仍在客户处任职: 否",
        ]
        assert "您输入的内容仍保留在上方表单中。" in [c.value for c in form.caption]
        # A browser's picker forgets the contact chosen once their label in it changed (吴总 now marked as left): the
        # form still changes 吴总, refused again, never saved as a new contact.
        at.session_state["contact_picked"] = ""
        at = next(b for b in at.button if b.label == "保存联系人").click().run()
        assert [e.value for e in contact_form(at, "zh-CN").error] == [
            md("自您打开后，Demo VP 于 2026年6月30日 09:05 修改了该联系人。您的修改未保存。"),
            "未保存：请查看上方的红色提示。",
        ]
        assert at.selectbox(key="contact_picked").value == wu
        assert at.text_input(key="contact_title").value == "总裁"

        at = next(b for b in form.button if b.label == "将当前已保存的联系人载入表单").click().run()
        assert not at.error and not contact_form(at, "zh-CN").text
        # The box gone from under the form, the page goes back up to the form, open with the contact as saved now.
        assert contact_form(at, "zh-CN").proto.expanded is True
        assert brought_into_view(at) == ['".st-key-contact-form"']
        assert at.text_input(key="contact_title").value == "副总"
        assert at.checkbox(key="contact_active").value is False
        at.text_input(key="contact_title").set_value("总裁")
        at = next(b for b in at.button if b.label == "保存联系人").click().run()
        assert [s.value for s in at.get_by_key("contact-saved").success] == ["已保存联系人 吴总。"]
        assert contacts_shown(at) == [[("陈总", "总经理"), ("刘工", "采购工程师")], [("吴总", "总裁")]]


def test_a_plans_refusal_left_in_the_session_does_not_open_the_contact_form(portfolio):
    """The relationship forms share their messages: the account view shows a contact's only."""
    at = app("plans", user=WANG, account="K1").run()
    at.text_area(key="plan_objectives").set_value("grow")
    at.number_input(key="plan_revenue_goal").set_value(-5.0)
    at = next(b for b in at.button if b.label == "Save the plan").click().run()
    assert [e.value for e in at.error] == [
        "The revenue goal must be greater than 0.",
        "Not saved: see the messages in red above.",
    ]
    at.switch_page(str(ROOT / "pages" / "account.py")).run()
    assert contact_form(at, "en").proto.expanded is False
    assert not at.error


# --- the account plan's forms --------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_plan_and_an_action_refused_are_told_under_their_button_and_saved_once_in_a_box_beside_what_was_saved(
    portfolio, language
):
    enrol(ADMIN)
    at = opened("plans", language, account="K1")
    # The users: admin and demo-admin (admins), m01, m02 and wangwei (managers), vp. A sponsor is a manager or
    # the VP: no admin account is offered.
    assert at.selectbox(key="plan_sponsor").options == [
        "Demo manager M01 (m01)",
        "Demo manager M02 (m02)",
        "Demo VP (vp)",
        "王伟 (wangwei)",
    ]
    not_saved = said(language, "Not saved: see the messages in red above.")
    at.text_area(key="plan_objectives").set_value("grow")
    at.number_input(key="plan_revenue_goal").set_value(-5.0)
    at = save_plan(at, language)
    assert [e.value for e in at.error] == [said(language, "The revenue goal must be greater than 0."), not_saved]
    # Under the form's button, not in a toast over the page's title; the page brought to the field's message.
    assert told_under(at, said(language, "Save the plan")) == [not_saved] and not at.toast
    assert not at.success and brought_into_view(at) == [FIRST_ERROR]
    assert at.number_input(key="plan_revenue_goal").value == -5.0

    at.number_input(key="plan_revenue_goal").set_value(6000.0)
    with i18n.speaking(language):
        at.selectbox(key="plan_sponsor").set_value("vp")
    at = save_plan(at, language)
    saved = said(language, "Plan saved (version {version}).", version="1")
    assert not at.toast  # said once, in the box the page is brought to from the form's button
    assert [s.value for s in at.success] == [saved]
    assert [s.value for s in at.get_by_key("plan-saved").success] == [saved]
    # Under the caption naming who saved which version.
    caption = said(
        language,
        "Status: {status} · version {version} · last saved by {who}",
        status=said(language, "Draft"),
        version="1",
        who="王伟",
    )
    assert at.caption[0].value == caption
    assert around(at, "plan-saved")[0].value == caption
    assert brought_into_view(at) == brought_into_view(at.get_by_key("plan-saved")) == [
        '".st-key-plan-saved"'
    ] and not told_under(at, said(language, "Save the plan"))
    with i18n.speaking(language):
        at = at.run()
    assert not at.success and not brought_into_view(at)  # told once, the page left where it is

    add = said(language, "Add the action")
    with i18n.speaking(language):
        at = next(b for b in at.button if b.label == add).click().run()
    assert [e.value for e in at.error] == [
        said(language, "Describe the action."),
        said(language, "Choose the day the action is due."),
        not_saved,
    ]
    assert told_under(at, add) == [not_saved] and not told_under(at, said(language, "Save the plan"))
    assert not at.success and brought_into_view(at) == [FIRST_ERROR]
    at.text_input(key="action_description").set_value("meet the CEO")
    at.date_input(key="action_due_on").set_value(date(2026, 9, 15))
    with i18n.speaking(language):
        at = next(b for b in at.button if b.label == add).click().run()
    added = said(language, "Action added.")
    assert not at.toast
    assert [s.value for s in at.get_by_key("action-saved").success] == [added]
    assert [s.value for s in at.success] == [added]
    # Over the actions, under their heading: the new one under the box.
    heading, action = around(at, "action-saved")
    assert (heading.value, action.label) == (said(language, "Actions"), "meet the CEO · – · 2026\\-09\\-15")
    assert brought_into_view(at) == brought_into_view(at.get_by_key("action-saved")) == ['".st-key-action-saved"']

    # A tick in the list is said there too, the page brought to the box over it.
    with i18n.speaking(language):
        at = at.checkbox[0].check().run()
    done = said(language, "Action marked done.")
    assert not at.toast
    assert [s.value for s in at.get_by_key("action-saved").success] == [done]
    assert [s.value for s in at.success] == [done]
    assert brought_into_view(at) == brought_into_view(at.get_by_key("action-saved")) == ['".st-key-action-saved"']
    with i18n.speaking(language):
        at = at.run()
    assert not at.success and not brought_into_view(at)


def test_an_admin_account_is_refused_as_sponsor(portfolio):
    from kam.relations import plans
    from kam.relations.rules import Invalid
    from kam.store import db

    enrol(ADMIN)
    at = app("plans", user=WANG, account="K1").run()  # builds the database
    assert not at.exception
    with db.connect(portfolio) as con:
        with pytest.raises(Invalid) as refused:
            plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow", sponsor="demo-admin"), WANG, version=None)
        assert refused.value.errors == {"sponsor": "The executive sponsor must be an active manager or the VP."}
        assert plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow", sponsor="vp"), WANG, version=None)["sponsor"]


# --- 2. the log-a-visit page's recent visits -----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "first"),
    [
        ("zh-CN", ["客户", "日期", "拜访方式", "备注"]),
        ("en", ["Account", "Date", "Channel", "Notes"]),
    ],
)
def test_the_recent_visits_start_with_the_account_and_keep_the_visit_id_to_the_download(
    portfolio, offered_data, language, first
):
    at = opened("log_visit", language)
    headers = headers_of(at, "visit_id")
    assert headers[:4] == first
    assert said(language, "Visit") not in headers
    table = next(t for t in at.dataframe if "visit_id" in t.value.columns)
    # K1's visits V3, V2, V1 then K2's V4, newest first, each account by its name beside its id.
    assert table.value["account_id"].tolist() == ["甲公司 (K1)"] * 3 + ["乙公司 (K2)"]
    assert said(language, "Visit") in csv_headers(offered_data, "download-recent-visits")


# --- 3. the worklist's follow-ups ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "line"),
    [
        (
            "zh-CN",
            "截至今天（{today}），含您登记的全部拜访；其他页面的指标截至 2026-06-30。"
            "依次为 A、B、C 类，每类中逾期最久的在前。",
        ),
        (
            "en",
            "As of today, {today}, with every visit you have logged; the other pages' figures are as of 2026-06-30. "
            "Tiers A, B, C in turn, the most overdue first in each.",
        ),
    ],
)
def test_the_worklist_says_it_counts_to_today_and_the_other_pages_to_the_figures_date(portfolio, language, line):
    # The sidebar's figures are as of 2026-06-30 (the year to date, as of that day): K2 is 135 days late there,
    # more here.
    at = opened("worklist", language, as_of="2026-06-30")
    assert at.caption[0].value == line.format(today=f"{date.today():%Y-%m-%d}")


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("zh-CN", ["客户", "到期日", "下一步", "逾期天数", "拜访日期", "拜访方式", "客户等级"]),
        ("en", ["Account", "Due", "Next step", "Days late", "Visited", "Channel", "Tier"]),
    ],
)
def test_a_managers_follow_ups_start_with_the_account_when_due_and_the_next_step(
    portfolio, offered_data, language, shown
):
    at = opened("worklist", language)
    assert headers_of(at, "next_step") == shown
    table = next(t for t in at.dataframe if "next_step" in t.value.columns)
    # The account's name, its id after it, wrapped in rows of three lines on a phone.
    assert table.value[["account_id", "next_step"]].values.tolist() == [["乙公司 (K2)", "send quote"]]
    assert table.proto.row_height == 72
    assert table.value["days_late"].tolist() == [(date.today() - date(2026, 2, 15)).days]
    # Within a phone's 356 px: the account (150 px) and the day it was due (85), then the next step from 235 px on,
    # cut at the screen's edge.
    config_ = json.loads(table.proto.columns)
    assert [config_[name].get("width") for name in table.proto.column_order[:3]] == [150, 85, None]
    # The manager, 王伟 on every row, stays in the download; the account there reads name (id), as in every file.
    download = pd.read_csv(io.BytesIO(offered_data[f"download-my-followups-{date.today():%Y-%m-%d}"]()))
    assert said(language, "Manager") in download.columns
    assert download[said(language, "Account")].tolist() == ["乙公司 (K2)"]


@pytest.mark.parametrize(
    ("language", "names"),
    [("zh-CN", ["我的到期跟进", "我的待办清单"]), ("en", ["my-followups", "my-worklist"])],
)
def test_the_worklists_downloads_are_named_by_the_day_they_are_of(portfolio, offered_files, language, names):
    # Lists of today, not of the sidebar's period: 'my-worklist-2026-11-27.csv', no period, no filters.
    opened("worklist", language)
    today = f"{date.today():%Y-%m-%d}"
    assert sorted(offered_files[f"download-my-{k}-{today}"] for k in ("worklist", "followups")) == [
        f"{name}-{today}.csv" for name in names
    ]


def test_every_date_field_writes_its_date_as_the_tables_do(portfolio):
    # 2026-11-20, not the field's own 2026/11/20 beside tables and captions that say 2026-11-20.
    dashboard_page = start(user=VP)
    visit_form = start("log_visit", user=WANG)
    fields = [*dashboard_page.sidebar.date_input, *visit_form.main.date_input]
    assert [f.key for f in fields] == ["as_of", "visit_date", "visit_next_date"]
    assert {f.proto.format for f in fields} == {"YYYY-MM-DD"}

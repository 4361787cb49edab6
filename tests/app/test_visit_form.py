"""The visit form and the worklist in the app: a valid visit counts at once, an invalid one is refused and kept."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kam import config, i18n
from kam.people.users import User
from kam.present.text import markdown_text
from kam.store import db
from kam.ui.language import CHOSEN
from tests.app.test_forms_on_a_phone import FIRST_ERROR, brought_into_view, told_under
from tests.apptest import app, start

# 王伟 (M1) manages K1 (A, last visited 2026-07-05), K2 (C, 2026-01-15) and K6 (created 2026-07-15).
WANG = User("wangwei", "王伟", "manager", "M1")

# K1 as a message names it, in Markdown (its brackets escaped, read as typed).
K1 = markdown_text("甲公司 (K1)")
# A refusal told under the save button.
NOT_SAVED = "Not saved: see the messages in red above."


def today() -> date:
    """Today, read when used: a run that crosses midnight must not compare two different days."""
    return date.today()


def form(account: str | None = "K1") -> AppTest:
    """The visit form as opened from the worklist for account, with a channel and purpose chosen."""
    at = start("log_visit", user=WANG, **({"account": account} if account else {}))
    at.selectbox(key="visit_channel").set_value("phone")
    at.selectbox(key="visit_purpose").set_value("usage")
    return at


def save(at: AppTest) -> AppTest:
    return at.button[0].click().run()


def app_visits(path: Path) -> list[tuple]:
    with db.connect(path) as con:
        return con.execute("SELECT account_id, manager_id, visit_date, channel, purpose FROM visits_app").fetchall()


def worklist_accounts(at: AppTest) -> list[str]:
    """The worklist's accounts as the picker names them."""
    return at.selectbox(key="worklist_account").options if at.dataframe else []


def test_the_worklist_lists_the_managers_due_accounts(portfolio):
    at = start(user=WANG)
    assert not at.exception
    assert [t.value for t in at.title] == ["My worklist"]
    # As of today, whatever the data date: K1 (A, last visited 2026-07-05, cadence 30) first,
    # then K2 (B since 2026-08-01, last visited 01-15, cadence 90); K6 (C, created 07-15, never
    # visited, cadence 180) once it is due within a week.
    k1 = (today() - date(2026, 7, 5)).days - 30
    k2 = (today() - date(2026, 1, 15)).days - 90
    k6 = (today() - date(2026, 7, 15)).days - 180
    expected = [("K1", "甲公司", f"{k1} days overdue"), ("K2", "乙公司", f"{k2} days overdue")]
    if k6 > 0:
        expected.append(("K6", "己公司", "never visited"))
    elif k6 >= -7:
        expected.append(("K6", "己公司", f"due in {-k6} days"))
    # The picker names each account; its table too, and says how late or how soon.
    assert worklist_accounts(at) == [f"{name} ({account})" for account, name, _when in expected]
    shown = at.dataframe[0].value
    assert list(zip(shown["account_id"], shown["due_status"], strict=True)) == [
        (f"{name} ({account})", when) for account, name, when in expected
    ]


def test_a_valid_visit_is_saved_and_counts_at_once(portfolio):
    at = form("K1")
    assert at.selectbox(key="visit_account").value == "K1"
    at.text_input(key="visit_met_with").input("采购部 张经理")
    at.text_input(key="visit_next_step").input("send the quote")
    at.date_input(key="visit_next_date").set_value(today() + timedelta(days=14))
    save(at)
    assert not at.exception
    assert [s.value for s in at.success] == [f"Visit to {K1} on {today():%Y-%m-%d} saved."]
    # Said once, the page brought back to it from the form's end (a toast said it again over the title).
    assert not at.toast
    assert brought_into_view(at) == brought_into_view(at.get_by_key("visit-saved")) == ['".st-key-visit-saved"']
    # The form is empty again, ready for the next visit.
    assert at.selectbox(key="visit_account").value is None
    assert at.text_input(key="visit_met_with").value == ""
    assert app_visits(portfolio) == [("K1", "M1", today(), "phone", "2 电话回访使用情况")]
    # The worklist is as of today: K1 was just visited, K2 is still overdue.
    worklist = start(user=WANG)
    assert "甲公司 (K1)" not in worklist_accounts(worklist)
    assert "乙公司 (K2)" in worklist_accounts(worklist)
    # The other pages stay at the date the exports run to (2026-08-01), where K1 is not yet due.
    compliance = start("visits", user=WANG)
    overdue = compliance.dataframe[[f.value.columns[0] for f in compliance.dataframe].index("account_id")].value
    assert list(overdue["account_id"]) == ["乙公司 (K2)"]


@pytest.mark.parametrize(
    ("days", "refusal"),
    [
        (1, "The visit date cannot be in the future."),
        (-31, "Visits more than 30 days ago cannot be logged (earliest {earliest})."),
    ],
)
def test_a_visit_date_out_of_range_is_refused_at_its_field_and_kept(portfolio, days, refusal):
    # Visits up to 30 days back (the default visit_max_age_days), never in the future. The field sets no
    # limits of its own: the browser would keep sending today for a date outside them (tests/browser).
    at = form("K1")
    typed = today() + timedelta(days=days)
    at.date_input(key="visit_date").set_value(typed)
    save(at)
    assert not at.exception
    earliest = f"{today() - timedelta(days=30):%Y-%m-%d}"
    assert [e.value for e in at.error] == [refusal.format(earliest=earliest), NOT_SAVED]
    assert not at.success
    assert app_visits(portfolio) == []
    assert at.date_input(key="visit_date").value == typed


def test_an_invalid_date_is_refused_at_its_field_and_nothing_is_saved(portfolio):
    at = form("K1")
    at.text_area(key="visit_notes").input("discussed the renewal")
    at.date_input(key="visit_next_date").set_value(today() - timedelta(days=1))
    save(at)
    assert not at.exception
    message = "The next step's date must be after the visit"
    assert any(e.value.startswith(message) for e in at.error), [e.value for e in at.error]
    assert not at.success
    # Under the save button, where the thumb is: a toast covered the page's title on a phone.
    assert told_under(at, "Save visit") == [NOT_SAVED] and not at.toast
    assert app_visits(portfolio) == []
    # What was typed is still there.
    assert at.text_area(key="visit_notes").value == "discussed the renewal"
    assert at.selectbox(key="visit_account").value == "K1"


def test_a_purpose_typed_with_none_chosen_is_saved_as_the_purpose(portfolio):
    # The list left on "Choose…", the other purpose typed: what was typed is the purpose.
    at = start("log_visit", user=WANG, account="K1")
    at.selectbox(key="visit_channel").set_value("phone")
    at.text_input(key="visit_purpose_other").input("年度合同谈判")
    save(at)
    assert not at.exception
    assert [s.value for s in at.success] == [f"Visit to {K1} on {today():%Y-%m-%d} saved."]
    assert app_visits(portfolio) == [("K1", "M1", today(), "phone", "年度合同谈判")]


def test_a_purpose_typed_beside_a_listed_one_is_refused_at_its_field_and_kept(portfolio):
    # A manager in Chinese: a listed purpose chosen and another one typed; saving either would drop the other. The
    # next step is 10 characters over its 500.
    at = app("log_visit", user=WANG, account="K1")
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    # The page's choices read in Chinese: the test picks them so.
    with i18n.speaking("zh-CN"):
        at.selectbox(key="visit_channel").set_value("phone")
        at.selectbox(key="visit_purpose").set_value("usage")
        at.text_input(key="visit_purpose_other").input("年度合同谈判")
        at.text_input(key="visit_next_step").input("报" * 510)
        save(at)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "上方已选择列出的目的：如以此处文字为目的，请改选“其他（请说明）”；否则请清空此栏。",
        "最多 500 个字符：当前 510 个，多了 10 个。",
        "未保存：请查看上方的红色提示。",
    ]
    assert told_under(at, "保存拜访") == ["未保存：请查看上方的红色提示。"]
    # The page comes to the first of them, high above the button where a phone left it; on that run only.
    assert brought_into_view(at) == [FIRST_ERROR]
    with i18n.speaking("zh-CN"):
        at.run()
    assert len(at.error) == 2 and not told_under(at, "保存拜访") and not brought_into_view(at)
    assert not at.success
    assert app_visits(portfolio) == []
    assert at.selectbox(key="visit_purpose").value == "usage"
    assert at.text_input(key="visit_purpose_other").value == "年度合同谈判"
    # "Other" chosen, the text is saved as typed.
    with i18n.speaking("zh-CN"):
        at.selectbox(key="visit_purpose").set_value("other")
        at.text_input(key="visit_next_step").input("寄送报价")
        save(at)
    assert not at.error
    assert app_visits(portfolio) == [("K1", "M1", today(), "phone", "年度合同谈判")]
    assert not at.toast


def test_another_managers_account_is_refused(portfolio):
    # K5 belongs to 李娜 (M2): the form does not offer it, not even from a crafted link.
    at = form("K5")
    assert "K5" not in at.selectbox(key="visit_account").options
    assert at.selectbox(key="visit_account").value is None
    assert [e.value for e in at.error] == ["K5 is not one of your accounts."]
    save(at)
    assert not at.exception
    assert [e.value for e in at.error] == ["Choose the account.", NOT_SAVED]
    assert not at.success
    assert app_visits(portfolio) == []


def test_a_manager_changes_and_deletes_their_own_visit(portfolio):
    save(form("K1"))
    at = start("log_visit", user=WANG)
    change = next(b for b in at.button if b.label == "Change it")
    change.click().run()
    assert [t.value for t in at.title] == ["Change a visit"]
    assert at.selectbox(key="visit_account").value == "K1"
    at.selectbox(key="visit_channel").set_value("video")
    at.button[0].click().run()
    assert [s.value for s in at.success] == [f"Visit to {K1} on {today():%Y-%m-%d} changed."]
    assert [row[3] for row in app_visits(portfolio)] == ["video"]
    next(b for b in at.button if b.label == "Change it").click().run()
    next(b for b in at.button if b.label == "Delete this visit").click().run()
    # Asked first: one tap on a phone deletes nothing.
    assert [w.value for w in at.warning] == [
        f"Delete the visit to {K1} on {today():%Y-%m-%d}? It cannot be brought back."
    ]
    assert [row[3] for row in app_visits(portfolio)] == ["video"]
    next(b for b in at.button if b.label == "Delete it").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [f"Visit to {K1} on {today():%Y-%m-%d} deleted."]
    assert app_visits(portfolio) == []
    with db.connect(portfolio) as con:
        actions = con.execute("SELECT action FROM audit_log WHERE action LIKE 'visit.%' ORDER BY event_id").fetchall()
    assert actions == [("visit.create",), ("visit.edit",), ("visit.delete",)]


def test_a_visit_asked_to_be_deleted_can_be_kept(portfolio):
    save(form("K1"))
    at = start("log_visit", user=WANG)
    next(b for b in at.button if b.label == "Change it").click().run()
    next(b for b in at.button if b.label == "Delete this visit").click().run()
    next(b for b in at.button if b.label == "Keep it").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == []
    assert not any(b.label == "Delete it" for b in at.button)
    # Still being changed, as before the question.
    assert [t.value for t in at.title] == ["Change a visit"]
    assert len(app_visits(portfolio)) == 1


def test_a_visit_older_than_the_limit_now_can_still_be_changed_keeping_its_date(portfolio, monkeypatch):
    # Logged at the limit (30 days back); with a limit of 10 days its date is older than a new visit
    # may have, yet a change of its other fields keeps it.
    at = form("K1")
    at.date_input(key="visit_date").set_value(today() - timedelta(days=30))
    save(at)
    monkeypatch.setenv("KAM_VISIT_MAX_AGE_DAYS", "10")
    config.settings.cache_clear()
    at = start("log_visit", user=WANG)
    next(b for b in at.button if b.label == "Change it").click().run()
    assert not at.exception
    assert at.date_input(key="visit_date").value == today() - timedelta(days=30)
    at.selectbox(key="visit_channel").set_value("video")
    at.button[0].click().run()
    assert [s.value for s in at.success] == [f"Visit to {K1} on {today() - timedelta(days=30):%Y-%m-%d} changed."]
    assert [row[2:4] for row in app_visits(portfolio)] == [(today() - timedelta(days=30), "video")]


def test_the_visit_pages_are_for_managers(portfolio):
    at = start("log_visit", user=User("vp", "Demo VP", "vp"))
    assert not at.exception
    assert [t.value for t in at.title] != ["Log a visit"]


def test_warning_signs_ticked_on_the_form_are_saved_with_the_visit_and_count_at_once(portfolio, offered_files):
    at = form("K1")
    # Ticked in another order than the list's: stored in the list's order, as the exports carry them.
    at.multiselect(key="visit_warning_signs").select("dumping").select("creditors")
    save(at)
    assert not at.exception
    assert [s.value for s in at.success] == [f"Visit to {K1} on {today():%Y-%m-%d} saved."]
    assert at.multiselect(key="visit_warning_signs").value == []
    with db.connect(portfolio) as con:
        assert con.execute("SELECT account_id, warning_signs FROM visits_app").fetchall() == [
            ("K1", "creditors;dumping")
        ]
    # The credit page as of today lists them: which, when, by whom.
    credit = start("credit", user=WANG, as_of=f"{today():%Y-%m-%d}")
    assert not credit.exception
    signs = credit.dataframe[-1].value
    assert signs[["visit_date", "account_id", "manager_id", "signs"]].values.tolist() == [
        [pd.Timestamp(today()), "甲公司 (K1)", "王伟 (M1)", "More creditors chasing them; Dumping stock at low prices"]
    ]
    # At the data date, the default, the figures leave it out; the page lists it apart, as reported since.
    credit = start("credit", user=WANG)
    assert not credit.exception
    assert "Warning signs reported in visits after the as-of date (1)" in [h.value for h in credit.subheader]
    later = credit.dataframe[-1].value
    assert later[["visit_date", "account_id", "manager_id", "signs"]].values.tolist() == [
        [pd.Timestamp(today()), "甲公司 (K1)", "王伟 (M1)", "More creditors chasing them; Dumping stock at low prices"]
    ]
    # Its file is named by the days it holds, from the day after the data date (2026-08-01, K2's tier change, the
    # latest order, visit, complaint, survey or tier change of the exports) to today, not by the year to date.
    assert offered_files["download-warning-signs-since"] == (
        f"warning-signs-since_2026-08-02_{today():%Y-%m-%d}_own-accounts.csv"
    )
    # In Chinese the heading names what was reported: the signs.
    in_chinese = app("credit", user=WANG)
    in_chinese.session_state[CHOSEN] = "zh-CN"
    assert "截至日期之后的拜访中报告的信用恶化信号（1）" in [h.value for h in in_chinese.run().subheader]
    # Its file is named as the heading names the days: after the as-of date.
    assert offered_files["download-warning-signs-since"].startswith(
        f"截至日期之后报告的信用恶化信号_2026-08-02_{today():%Y-%m-%d}_"
    )


def test_your_recent_visits_and_their_file_carry_what_the_visit_recorded_in_chinese(portfolio, offered_data):
    # 王伟 logs a call to K1 in Chinese: who was met, two of K1's contacts (P2 刘工, then P1 陈总), a note, two
    # warning signs. Newest first, before K1's imported V3 (07-05): each field under its Chinese header, the contacts
    # and the signs by their names, on screen and in the file.
    at = app("log_visit", user=WANG, account="K1")
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    # AppTest formats the choices with the page's format_func on the test's thread: in the screen's language.
    with i18n.speaking("zh-CN"):
        at.selectbox(key="visit_channel").set_value("phone")
        at.selectbox(key="visit_purpose").set_value("usage")
        at.text_input(key="visit_met_with").input("采购部 陈经理")
        at.multiselect(key="visit_contacts").select("P2").select("P1")
        at.text_area(key="visit_notes").input("用量稳定")
        at.multiselect(key="visit_warning_signs").select("dumping").select("creditors")
        save(at)
    assert not at.exception
    table = next(t for t in at.dataframe if "visit_id" in t.value.columns)
    logged = table.value.iloc[0]
    assert (logged["met_with"], logged["contacts"], logged["signs"]) == (
        "采购部 陈经理",
        "刘工；陈总",
        "讨债的人增多；低价抛货",
    )
    assert pd.isna(table.value.iloc[1]["signs"])
    lines = offered_data["download-recent-visits"]().decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "客户,日期,拜访方式,备注,拜访目的,下一步,下一步截止日,高层拜访,会见人员,拜访的联系人,信用恶化信号,客户经理,录入来源,"
        "拜访,可修改"
    )
    visit_id = logged["visit_id"]
    assert lines[1] == (
        f"甲公司 (K1),{today():%Y-%m-%d},电话,用量稳定,2 电话回访使用情况,,,否,采购部 陈经理,刘工；陈总,"
        f"讨债的人增多；低价抛货,王伟 (M1),本系统,{visit_id},是"
    )
    assert lines[2].startswith("甲公司 (K1),2026-07-05,电话,,,,,否,,,,王伟 (M1),导入数据,V3,")


def test_an_empty_choice_asks_for_one_in_the_screens_language(portfolio):
    # Streamlit's own "Choose an option" has no Chinese: every empty choice of the visit form names its own.
    at = app("log_visit", user=WANG)
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    empty = {box.label: box.placeholder for box in at.selectbox if box.value is None}
    assert empty == {"客户": "输入名称或编号", "拜访方式": "请选择…", "拜访目的": "请选择…"}

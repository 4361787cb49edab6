"""The account view: search, opening by link, the archive and what is overdue or open, and nothing outside the scope."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kam.people.users import User
from kam.relations import contacts
from kam.store import db
from kam.ui.language import CHOSEN
from kam.visits import log as visit_log
from kam.visits.rules import VisitDraft
from tests.apptest import ROOT, VP, app, cards, start

WANG = User("wangwei", "王伟", "manager", "M1")  # manages K1, K2 and K6
LINA = User("lina", "李娜", "manager", "M2")  # manages K3, K4 and K5


def at_june_end(user: User = VP, **query: str | list[str]) -> AppTest:
    """The account view as of 2026-06-30, year to date, opened from a link carrying the query."""
    return start("account", user, **({"as_of": "2026-06-30"} | query))


def search(at: AppTest, text: str) -> AppTest:
    return at.text_input(key="account_search").set_value(text).run()


def shown_account(at: AppTest) -> str | None:
    """The account the page shows (its id, from the picker), or None."""
    return at.main.selectbox[0].value if at.main.selectbox else None


def table(at: AppTest, first_column: str) -> list[dict[str, Any]]:
    """The rows of the first table on the page whose first column is first_column, a missing value as None."""
    for frame in at.dataframe:
        if frame.value.columns[0] == first_column:
            return [{k: None if pd.isna(v) else v for k, v in row.items()} for row in frame.value.to_dict("records")]
    raise AssertionError(f"no table starting with {first_column!r}")


def says_nothing_of_an_account(at: AppTest) -> None:
    assert not at.exception
    assert not at.main.selectbox
    assert not at.header and not at.metric and not at.dataframe
    assert not at.get("plotly_chart")


# --- runs everywhere ---------------------------------------------------------------------


def test_a_link_opens_the_account_on_the_demo_data(on_demo: Path):
    at = start("account", account="K0001")
    assert not at.exception
    assert shown_account(at) == "K0001"
    assert at.header[0].value.endswith("(K0001)")
    assert at.get("plotly_chart")
    # Without a link the page opens on the first account, and a search finds others.
    at = start("account")
    assert not at.exception and shown_account(at) == "K0001"
    search(at, "K0062")
    assert not at.exception
    assert shown_account(at) == "K0062" and at.get("plotly_chart")


@pytest.mark.parametrize(
    "query",
    [{"as_of": "2020-01-01"}, {"manager": "张敏 (M3)"}],
    ids=["before-any-account", "manager-without-accounts"],
)
def test_filters_that_leave_no_account(portfolio: Path, query: dict[str, str]):
    at = at_june_end(**query)
    says_nothing_of_an_account(at)
    assert [info.value for info in at.main.info] == ["No account in these filters."]


# --- finding an account ------------------------------------------------------------------


def test_search_finds_by_id_and_by_chinese_name(portfolio: Path):
    at = at_june_end()
    search(at, "k2")  # ids are found whatever the case
    assert shown_account(at) == "K2"
    assert at.header[0].value == "乙公司 (K2)"
    search(at, "丙")
    assert shown_account(at) == "K3"
    assert at.header[0].value == "丙公司 (K3)"
    # Every account created by 2026-06-30 is a 公司; K6 is created in July and is not there yet.
    search(at, "公司")
    assert at.main.selectbox[0].options == [
        "甲公司 (K1)",
        "乙公司 (K2)",
        "丙公司 (K3)",
        "丁公司 (K4) · churned",
        "戊公司 (K5)",
    ]
    assert at.main.selectbox[0].label == "Accounts found (5)"
    at.main.selectbox[0].set_value("K5").run()
    assert at.header[0].value == "戊公司 (K5)"
    assert at.query_params["account"] == "K5"  # the link to what is shown


def test_a_link_preselects_the_account(portfolio: Path):
    at = at_june_end(account="K5")
    assert not at.exception
    assert at.text_input(key="account_search").value == "K5"
    assert shown_account(at) == "K5"
    # K5: A from 2025-01-01, B again from 2026-06-01; cadence 90, last visit 03-20.
    archive = {key: cards(at)[key] for key in ("Tier", "Manager (M2)", "Region", "Customer since")}
    assert archive == {"Tier": "B", "Manager (M2)": "李娜", "Region": "华南", "Customer since": "2024-01-01"}
    assert at.warning[0].value == (
        "At 2026-06-30, a visit is overdue: 102 days since the last visit on 2026-03-20, cadence 90 days."
    )
    assert "Tier history (2)" in [e.label for e in at.expander]


@pytest.mark.parametrize("account", ["XYZ", "K6", "K9"])
def test_an_unknown_account_shows_a_message_and_nothing_of_it(portfolio: Path, account: str):
    # K6 exists but is created on 2026-07-15, after the as-of date; K9 does not exist.
    at = at_june_end(account=account)
    says_nothing_of_an_account(at)
    assert [info.value for info in at.main.info] == [
        f"No account matches “{account}” within the filters in the sidebar and the accounts open to you."
    ]


def test_an_account_outside_the_filters_or_the_users_accounts_is_not_shown(portfolio: Path):
    # K1 belongs to M1: filtered to M2, a link naming K1 finds nothing.
    at = at_june_end(account="K1", manager="李娜 (M2)")
    says_nothing_of_an_account(at)
    assert any("No account matches “K1”" in info.value for info in at.main.info)
    # 王伟 may see only his own accounts: neither a link nor a search finds 李娜's.
    at = at_june_end(WANG, account="K5")
    says_nothing_of_an_account(at)
    search(at, "戊公司")
    says_nothing_of_an_account(at)
    search(at, "公司")
    assert at.main.selectbox[0].options == ["甲公司 (K1)", "乙公司 (K2)"]


# --- what the page shows ------------------------------------------------------------------


def test_the_archive_orders_visits_complaints_and_surveys(portfolio: Path):
    at = at_june_end(account="K1")
    assert not at.exception
    assert at.header[0].value == "甲公司 (K1)"
    assert cards(at)["Tier"] == "A"
    history = table(at, "changed_on")
    assert [(r["from_tier"], r["to_tier"], r["direction"], r["reason"]) for r in history] == [
        ("B", "A", "upgrade", "采购额增长")
    ]
    assert [s.value for s in at.success] == [
        "At 2026-06-30, visits are on cadence: last visit 2026-06-10, cadence 30 days."
    ]
    # Orders up to D, by month over the 24 months to D: O1 1,000 (2025-06-30), O2 5,000, O3 3,000.
    monthly = [(f"{r['month']:%Y-%m}", r["revenue"]) for r in table(at, "month")]
    assert monthly == [("2025-06", 1000), ("2025-07", 5000), ("2026-05", 3000)]
    # Open orders first (none paid in the fixture: the oldest due first), then every order, newest first.
    order_tables = [frame.value for frame in at.dataframe if frame.value.columns[0] == "order_id"]
    assert [list(frame["order_id"]) for frame in order_tables] == [["O1", "O2", "O3"], ["O3", "O2", "O1"]]
    assert len(at.get("plotly_chart")) == 2  # orders by month and the visit timeline
    # Visits, complaints and surveys up to D, newest first: V3, C7 and S9 come after it.
    assert [(f"{r['visit_date']:%m-%d}", r["channel"]) for r in table(at, "visit_date")] == [
        ("06-10", "In person"),
        ("04-20", "Phone"),
    ]
    complaints = table(at, "complaint_id")  # the open ones come first
    assert [r["complaint_id"] for r in complaints] == ["C2"]
    everything = [t for t in at.dataframe if t.value.columns[0] == "complaint_id"][1].value
    assert list(everything["complaint_id"]) == ["C2", "C1"]
    assert list(everything["sla_status"]) == ["breached", "met"]
    assert [(r["score"], r["nps"]) for r in table(at, "surveyed_on")] == [(4, 10), (5, 9)]
    titles = [h.value for h in at.subheader]
    assert {"Visits (2)", "Complaints (2)", "Surveys (2)"} <= set(titles)


@pytest.mark.parametrize(
    ("language", "names"),
    [
        (
            "en",
            {
                "tier-history": "tier-history_甲公司-K1_up-to-2026-06-30.csv",
                "open-complaints": "open-complaints_甲公司-K1_at-2026-06-30.csv",
                "health-signals": "health-signals_甲公司-K1_at-2026-06-30.csv",
                "open-orders": "open-orders_甲公司-K1_at-2026-06-30.csv",
                "revenue": "revenue_甲公司-K1_2024-07-01_2026-06-30.csv",
                "orders": "orders_甲公司-K1_up-to-2026-06-30.csv",
                "visit-list": "visit-list_甲公司-K1_up-to-2026-06-30.csv",
                "complaints": "complaints_甲公司-K1_up-to-2026-06-30.csv",
                "surveys": "surveys_甲公司-K1_up-to-2026-06-30.csv",
            },
        ),
        (
            "zh-CN",
            {
                "tier-history": "等级变更记录_甲公司-K1_截至2026-06-30.csv",
                "open-complaints": "未结投诉_甲公司-K1_截至2026-06-30.csv",
                "health-signals": "健康度五项信号_甲公司-K1_截至2026-06-30.csv",
                "open-orders": "未结订单_甲公司-K1_截至2026-06-30.csv",
                "revenue": "销售额_甲公司-K1_2024-07-01_2026-06-30.csv",
                "orders": "订单_甲公司-K1_截至2026-06-30.csv",
                "visit-list": "拜访记录_甲公司-K1_截至2026-06-30.csv",
                "complaints": "投诉_甲公司-K1_截至2026-06-30.csv",
                "surveys": "满意度调查_甲公司-K1_截至2026-06-30.csv",
            },
        ),
    ],
)
def test_the_accounts_downloads_are_named_by_the_account_and_the_as_of_date(
    portfolio: Path, offered_files: dict[str, str], language: str, names: dict[str, str]
):
    # K1 (甲公司, 华东) in the quarter to 2026-06-30: every table holds its rows up to D (or what stands at D), and
    # the revenue its 24 months to D (2024-07-01 to 2026-06-30), whatever the period and the region chosen.
    at = app("account", as_of="2026-06-30", account="K1", period="quarter", region="华东")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    assert offered_files == {f"download-{name}-K1": file for name, file in names.items()}


def test_what_is_overdue_or_open(portfolio: Path):
    at = at_june_end(account="K2")
    assert not at.exception
    # K2 (C at D, cadence 180) last visited 01-15: on cadence; its next step was due 02-15.
    assert [s.value for s in at.success] == [
        "At 2026-06-30, visits are on cadence: last visit 2026-01-15, cadence 180 days."
    ]
    assert [w.value for w in at.warning] == ["Follow-ups due (1)", "Open complaints (1)"]
    followup = table(at, "account_id")[0]
    assert (followup["next_step"], f"{followup['next_date']:%Y-%m-%d}", followup["days_late"]) == (
        "send quote",
        "2026-02-15",
        135,
    )
    # C3, opened 06-29 08:00 with no reply: 40 hours old at the end of D, past the 24-hour SLA; 1.67 days, shown (and
    # downloaded) to one decimal.
    open_complaint = table(at, "complaint_id")[0]
    assert (open_complaint["complaint_id"], open_complaint["sla_status"]) == ("C3", "breached")
    assert open_complaint["responded_at"] is None
    assert open_complaint["age_days"] == 1.7
    # The tier change to B comes on 08-01, after D.
    assert "No tier change up to the as-of date: tier C throughout." in [c.value for c in at.caption]


def test_the_page_says_its_as_of_date_first(portfolio: Path):
    # Year to date: the figures are as of the sidebar's day.
    assert at_june_end(account="K5").caption[0].value == (
        "As of 2026-06-30: the account's history up to that day, whichever period the sidebar shows."
    )
    # The last full week before 06-30 (06-22..06-28): as of its last day, said so below.
    at = app("account", as_of="2026-06-30", period="last_week", account="K5")
    at.session_state[CHOSEN] = "zh-CN"
    at.run()
    assert at.caption[0].value == (
        "截至 2026-06-28：该客户截至当日的全部记录，不受侧栏所选期间限制。  \n"
        "2026-06-28 为统计期最后一天；侧栏截至日期为 2026-06-30。"
    )


def test_a_visit_after_the_as_of_date_is_noted_where_the_account_is_said_overdue(portfolio: Path):
    # K5 (B, cadence 90), last visited 03-20: overdue at 2026-06-30, with no visit after it.
    at = at_june_end(account="K5")
    overdue = "At 2026-06-30, a visit is overdue: 102 days since the last visit on 2026-03-20, cadence 90 days."
    assert [w.value for w in at.warning][:1] == [overdue]
    assert not [i.value for i in at.main.info] and not any("Visited since" in c.value for c in at.caption)
    # 李娜 then logs two visits after D, on 07-08 and 07-10.
    with db.connect(portfolio) as con:
        for day in (date(2026, 7, 10), date(2026, 7, 8)):
            draft = VisitDraft(account_id="K5", visit_date=day, channel="phone")
            visit_log.save_visit(con, draft, LINA, now=datetime(2026, 7, 10, 18))
    at = at_june_end(account="K5")
    assert not at.exception
    # The figures stay as of D; beside the overdue status and the visits up to D, the latest visit since.
    since = "Visited since: 2026-07-10 (after 2026-06-30, so not in this page's figures)."
    assert [w.value for w in at.warning][:1] == [overdue]
    assert [i.value for i in at.main.info] == [since]
    assert "Visits (2)" in [h.value for h in at.subheader]
    assert [c.value for c in at.caption if "Visited since" in c.value] == [since]


def test_a_chosen_visit_reads_whole_under_the_list_its_notes_as_typed(portfolio: Path):
    # 李娜 logs a visit to K5 on 06-20 whose notes (100 characters, Markdown and HTML after them) outrun their column.
    notes = "客户反映价格偏高，需要公司给予报价支持。" * 5 + " **not bold** <b>not html</b>"
    assert not at_june_end(account="K5").exception  # the portfolio loaded
    with db.connect(portfolio) as con:
        draft = VisitDraft(
            account_id="K5",
            visit_date=date(2026, 6, 20),
            channel="phone",
            notes=notes,
            next_step="send the quote",
            next_date=date(2026, 7, 1),
        )
        visit_log.save_visit(con, draft, LINA, now=datetime(2026, 6, 20, 18))
    at = at_june_end(account="K5")
    assert not at.exception
    [visits] = [frame for frame in at.dataframe if frame.value.columns[0] == "visit_date"]
    # At 1366 px (about 900 for the table) the short columns whole, the purpose at the width of the longest step
    # (250 px), then the notes and the next step cut at theirs; who visited and where it was entered in the CSV.
    config_ = json.loads(visits.proto.columns)
    assert [(config_[name]["label"], config_[name].get("width")) for name in visits.proto.column_order] == [
        ("Visit date", None),
        ("Channel", 80),
        ("Purpose", 250),
        ("Executive", 75),
        ("Notes", 180),
        ("Next step", 130),
        ("Due", 85),
    ]
    assert "Click a visit to read it whole under the list: its notes and next step, however long." in [
        c.value for c in at.caption
    ]
    assert not at.text
    # A click on the newest visit's notes: the visit reads whole under the list, every column under its full header,
    # the notes as typed.
    at.session_state["table-visit-list-K5"] = {"selection": {"rows": [], "columns": [], "cells": [[0, "notes"]]}}
    at.run()
    assert not at.exception
    assert [line.value for line in at.text] == [
        "Visit date: 2026-06-20",
        "Channel: Phone",
        "Purpose: –",
        "Senior management: No",
        "Manager: 李娜 (M2)",
        "People met: –",
        "Contacts met: –",
        f"Notes: {notes}",
        "Next step: send the quote",
        "Next step due: 2026-07-01",
        "Warning signs: –",
        "Entered in: This dashboard",
    ]


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        ("en", ["People met: 陈总 and his assistant **小李**", "Contacts met: 刘工; 陈总"]),
        ("zh-CN", ["会见人员：陈总 and his assistant **小李**", "拜访的联系人：刘工；陈总"]),
    ],
)
def test_a_chosen_visit_says_who_was_met(portfolio: Path, language: str, lines: list[str]):
    """王伟 logs a visit to K1 on 06-25 naming the people met, as typed (Markdown left as it is), and K1's contacts
    P2 (刘工) then P1 (陈总): the visit, chosen, reads both after its manager, the contacts by name in that order."""
    assert not at_june_end(account="K1").exception  # the portfolio loaded
    with db.connect(portfolio) as con:
        draft = VisitDraft(
            account_id="K1",
            visit_date=date(2026, 6, 25),
            channel="in_person",
            met_with="陈总 and his assistant **小李**",
            contact_ids=("P2", "P1"),
        )
        visit_log.save_visit(con, draft, WANG, now=datetime(2026, 6, 25, 18))
    at = app("account", as_of="2026-06-30", account="K1")
    at.session_state[CHOSEN] = language
    at.session_state["table-visit-list-K1"] = {"selection": {"rows": [], "columns": [], "cells": [[0, "notes"]]}}
    at.run()
    assert not at.exception
    shown = [line.value for line in at.text]
    manager = shown.index("Manager: 王伟 (M1)" if language == "en" else "客户经理：王伟 (M1)")
    assert shown[manager + 1 : manager + 3] == lines


def test_a_churned_account_keeps_its_history(portfolio: Path):
    at = at_june_end(account="K4")
    assert not at.exception
    assert [i.value for i in at.main.info] == ["Not an active account at the as-of date: no visit is due."]
    assert any("churned 2026-05-15 (Price)" in c.value for c in at.caption)
    assert {"Visits (1)", "Surveys (1)"} <= {h.value for h in at.subheader}
    assert [(f"{r['month']:%Y-%m}", r["revenue"]) for r in table(at, "month")] == [("2026-04", 500)]


def test_changing_the_as_of_date_changes_what_the_account_shows(portfolio: Path):
    at = at_june_end(account="K2")
    at.sidebar.date_input(key="as_of").set_value(date(2026, 8, 1)).run()
    assert not at.exception
    assert shown_account(at) == "K2"
    # On 08-01 K2 moved from C to B.
    assert cards(at)["Tier"] == "B"
    assert [(r["from_tier"], r["to_tier"]) for r in table(at, "changed_on")] == [("C", "B")]
    # K1 as well: V3 on 07-05, C7 on 07-02 and O4 on 07-01 now count.
    search(at, "K1")
    assert {"Visits (3)", "Complaints (3)", "Surveys (3)"} <= {h.value for h in at.subheader}
    assert ("2026-07", 9999) in [(f"{r['month']:%Y-%m}", r["revenue"]) for r in table(at, "month")]


def test_coming_back_to_the_page_shows_the_account_last_shown(portfolio: Path):
    at = at_june_end(account="K5")
    search(at, "丙")
    at.switch_page(str(ROOT / "pages" / "tiers.py")).run()
    assert not at.exception
    # A browser leaves the account out of the other pages' links.
    at.query_params.pop("account", None)
    at.switch_page(str(ROOT / "pages" / "account.py")).run()
    assert not at.exception
    assert shown_account(at) == "K3"
    assert at.query_params["account"] == "K3"


def test_an_account_never_visited_and_overdue_says_so_without_days_since_a_visit(portfolio: Path):
    # K3 (C, cadence 180), created 2026-05-01 and never visited: at 2026-12-31, 244 days from its creation.
    at = start("account", as_of="2026-12-31", account="K3")
    assert not at.exception
    assert [w.value for w in at.warning][:1] == [
        "At 2026-12-31, never visited and past its first 180 days: a first visit is overdue."
    ]


def test_an_empty_cell_of_the_contacts_reads_as_missing(portfolio: Path):
    """K1's contacts P1 and P2 have no phone, e-mail, notes or meeting: those cells show the missing mark, not None."""
    at = at_june_end(account="K1")
    assert not at.exception
    contacts = next(frame for frame in at.dataframe if frame.value.columns[0] == "name")
    assert list(contacts.value["name"]) == ["陈总", "刘工"]
    assert contacts.value[["phone", "email", "notes"]].isna().all().all()
    assert contacts.proto.placeholder == "–"


def test_the_contacts_are_listed_with_their_level_and_title_as_they_were_at_the_as_of_date(portfolio: Path):
    """吴总, entered on 06-01 as staff-level (经理助理), made executive-level (副总) on 07-10: at 06-30 listed as staff,
    after 刘工 (刘 U+5218 before 吴 U+5434); at 07-10 as the executive he became, before 陈总 (吴 before 陈 U+9648)."""
    at_june_end(account="K1")  # the first start makes the database
    with db.connect(portfolio) as con:
        wu = contacts.ContactDraft("K1", "吴总", "经理助理", "staff")
        wu_id = contacts.save_contact(con, wu, WANG, now=datetime(2026, 6, 1, 10, 0))
        made = replace(wu, title="副总", level="executive")
        contacts.save_contact(con, made, WANG, contact_id=wu_id, now=datetime(2026, 7, 10, 10, 0))
    at = at_june_end(account="K1")
    assert not at.exception
    assert [(r["name"], r["title"], r["level"]) for r in table(at, "name")] == [
        ("陈总", "总经理", "Executive"),
        ("刘工", "采购工程师", "Staff"),
        ("吴总", "经理助理", "Staff"),
    ]
    # The form changes him as he is now: its picker names him so, whatever the list's date.
    assert at.selectbox(key="contact_picked").options == ["A new contact", "吴总 · 副总"]
    at.sidebar.date_input(key="as_of").set_value(date(2026, 7, 10)).run()
    assert not at.exception
    assert [(r["name"], r["title"], r["level"]) for r in table(at, "name")] == [
        ("吴总", "副总", "Executive"),
        ("陈总", "总经理", "Executive"),
        ("刘工", "采购工程师", "Staff"),
    ]

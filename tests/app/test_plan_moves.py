"""An account plan's status moves as a manager and the VP make them, and the year's progress table, on the
portfolio of tests/portfolio.py.

王伟 (M1) manages K1 (甲公司). K1's orders of 2026 up to the data's end (2026-08-01): O3 3,000 on 05-10 and
O4 9,999 on 07-01, 12,999 in all, against the goal of 6,000 written here: 216.65 % of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kam import i18n
from kam.people.users import User
from kam.store import db
from kam.ui import widgets
from kam.ui.language import CHOSEN
from tests.apptest import VP, app, start

WANG = User("wangwei", "王伟", "manager", "M1")
MOVES = "plan-moves"


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def opened(user: User, language: str) -> AppTest:
    at = app("plans", user=user, account="K1")
    at.session_state[CHOSEN] = language
    return at.run()


def draft_plan() -> None:
    """K1's plan for 2026 written by 王伟: a draft, version 1, with a goal of 6,000."""
    at = start("plans", user=WANG, account="K1")
    at.text_area(key="plan_objectives").set_value("Grow K1")
    at.number_input(key="plan_revenue_goal").set_value(6000.0)
    next(b for b in at.button if b.label == "Save the plan").click().run()


def moves_area(at: AppTest) -> list[tuple[str, str]]:
    """What the block of the move buttons holds, in order: (error|success|caption|button, its text)."""
    block = at.main.get_by_key(MOVES)
    shown = []
    for node in block.children.values():
        kind = getattr(node, "type", "")
        if kind == "button":
            shown.append(("button", node.label))
        elif kind == "alert":
            shown.append(("error" if node in block.error else "success", node.value))
        else:
            shown.append((kind, getattr(node, "value", "")))
    return shown


def alerts(at: AppTest) -> list[str]:
    """Every error and success message on the page, wherever it is."""
    return [e.value for e in at.main.error] + [s.value for s in at.main.success]


def stored(path: Path, sql: str) -> list[tuple]:
    with db.connect(path) as con:
        return con.execute(sql).fetchall()


@pytest.mark.parametrize(
    ("language", "to_shared", "to_agreed", "refused", "draft", "moved"),
    [
        (
            "en",
            "Move to Shared",
            "Move to Agreed",
            "wangwei changed this plan since the page showed it: it is now Shared (version 2). The plan was not moved.",
            "Move to Draft",
            "The plan is now Agreed.",
        ),
        (
            "zh-CN",
            "改为征求意见",
            "改为已批准",
            "自本页显示后，wangwei 修改了该客户计划：现为征求意见（版本 2）。客户计划的状态未改动。",
            "改为草稿",
            "客户计划现为已批准。",
        ),
    ],
)
def test_a_move_someone_made_first_is_said_beside_the_buttons_which_offer_the_moves_from_the_status_now(
    portfolio, language, to_shared, to_agreed, refused, draft, moved
):
    draft_plan()
    vp = opened(VP, language)  # drawn at the draft, version 1: offers to share it
    assert moves_area(vp) == [("button", to_shared)]
    wang = start("plans", user=WANG, account="K1")
    next(b for b in wang.button if b.label == "Move to Shared").click().run()  # now shared, version 2

    with i18n.speaking(language):
        vp = button(vp, to_shared).click().run()
    # Said first that 王伟 moved it, beside the buttons, which now offer the moves from Shared; nothing at the top.
    assert moves_area(vp) == [("error", refused), ("button", draft), ("button", to_agreed)]
    assert alerts(vp) == [refused]
    assert not vp.exception
    assert stored(portfolio, "SELECT status, version FROM account_plans") == [("shared", 2)]

    # The move offered from the status now goes through, confirmed where it was clicked.
    with i18n.speaking(language):
        vp = button(vp, to_agreed).click().run()
    assert moves_area(vp)[0] == ("success", moved)
    assert alerts(vp) == [moved]
    assert stored(portfolio, "SELECT status, version FROM account_plans") == [("agreed", 3)]
    assert stored(portfolio, "SELECT status, changed_by FROM plan_status_history ORDER BY changed_at") == [
        ("draft", "wangwei"),
        ("shared", "wangwei"),
        ("agreed", "vp"),
    ]


def test_a_move_is_confirmed_beside_the_buttons_and_a_plan_with_no_move_left_says_so(portfolio):
    draft_plan()
    at = start("plans", user=WANG, account="K1")
    at = button(at, "Move to Shared").click().run()
    assert moves_area(at) == [("success", "The plan is now Shared."), ("button", "Move to Draft")]
    vp = start("plans", user=VP, account="K1")
    button(vp, "Move to Agreed").click().run()
    # Agreed: only the VP moves it on; 王伟's page says so where the buttons were.
    at = start("plans", user=WANG, account="K1")
    assert moves_area(at) == [("caption", "No move from Agreed is open to you.")]


@pytest.fixture
def csv_made(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The CSV of each table the page offers, by its first header, made as its button would make it."""
    made: dict[str, str] = {}
    original = widgets.csv_on_click

    def recording(frame: Any, overrides: Any) -> Callable[[], bytes]:
        clicked = original(frame, overrides)
        text = clicked().decode("utf-8-sig")
        made[text.splitlines()[0]] = text
        return clicked

    monkeypatch.setattr(widgets, "csv_on_click", recording)
    return made


@pytest.mark.parametrize(
    ("language", "headers", "status", "csv"),
    [
        (
            "en",
            ["Account", "Status", "Revenue goal", "Revenue so far", "Of the goal", "Actions done", "Actions overdue"],
            "Draft",
            "Account,Status,Revenue goal,Revenue so far,Of the goal (%),Actions done,Actions overdue\n"
            "甲公司 (K1),Draft,6000.0,12999.0,216.65,0,0\n",
        ),
        (
            "zh-CN",
            ["客户", "状态", "销售额目标", "截至目前销售额", "占目标", "已完成行动", "逾期行动"],
            "草稿",
            "客户,状态,销售额目标,截至目前销售额,占目标（%）,已完成行动,逾期行动\n"
            "甲公司 (K1),草稿,6000.0,12999.0,216.65,0,0\n",
        ),
    ],
)
def test_the_years_plans_show_the_account_once_and_revenue_and_goal_as_money(
    portfolio, csv_made, language, headers, status, csv
):
    draft_plan()
    at = opened(VP, language)
    [progress] = [t for t in at.dataframe if "actions_done" in t.value.columns]
    config = json.loads(progress.proto.columns or "{}")
    order = list(progress.proto.column_order)
    assert [config[name]["label"] for name in order] == headers
    assert {name: config[name].get("type_config", {}).get("format") for name in order[2:5]} == {
        "revenue_goal": "yen",
        "revenue": "yen",
        "goal_share": "percent",
    }
    row = progress.value.iloc[0]
    # The share rounded as it reads, 216.6 % (2,166.5 per thousand, half to even).
    assert [row[name] for name in order] == ["甲公司 (K1)", status, 6000.0, 12999.0, 2.166, 0, 0]
    assert csv_made[csv.splitlines()[0]] == csv

"""A plan's status move refused: first because the plan changed since the move was offered, else because the
move is never allowed, on the portfolio of tests/portfolio.py (K1 is 王伟's, M1)."""

from __future__ import annotations

import pytest

from kam import i18n
from kam.people.users import User
from kam.relations import plans
from kam.relations.rules import MoveStale, NotAllowed
from kam.store import db

M1 = User("m1", "王伟", "manager", "M1")
VP = User("vp", "Demo VP", "vp")


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "m1 changed this plan since the page showed it: it is now Shared (version 2). The plan was not moved."),
        ("zh-CN", "自本页显示后，m1 修改了该客户计划：现为征求意见（版本 2）。客户计划的状态未改动。"),
    ],
)
def test_a_move_offered_before_someone_elses_says_who_moved_the_plan_and_to_what(con, language, said):
    plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), M1, version=None)
    plans.set_status(con, plan["plan_id"], "shared", M1, version=1)
    # The VP's page, drawn at the draft (version 1), offered to share it: Shared to Shared is no move at all.
    with i18n.speaking(language), pytest.raises(MoveStale) as refused:
        plans.set_status(con, plan["plan_id"], "shared", VP, version=1)
    assert str(refused.value) == said
    assert (refused.value.current["status"], refused.value.current["version"]) == ("shared", 2)
    assert db.query(con, "SELECT status, version FROM account_plans").rows() == [("shared", 2)]


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "A plan cannot move from Closed to Shared."), ("zh-CN", "客户计划不能从已关闭改为征求意见。")],
)
def test_a_move_never_allowed_from_the_status_now_says_from_what_to_what(con, language, said):
    plan = plans.save_plan(con, plans.PlanDraft("K1", 2026, "grow"), M1, version=None)
    for version, status in enumerate(("shared", "agreed", "closed"), start=1):
        plans.set_status(con, plan["plan_id"], status, VP, version=version)
    with i18n.speaking(language), pytest.raises(NotAllowed) as refused:
        plans.set_status(con, plan["plan_id"], "shared", VP, version=4)
    assert not isinstance(refused.value, MoveStale)
    assert str(refused.value) == said

"""An account plan's action as the plans page lists it, in both languages."""

from __future__ import annotations

from datetime import date

from kam.i18n import speaking
from kam.relations.plans import action_line

D = date(2026, 6, 30)


def _action(status: str, due_on: date | None, owner: str | None = "王伟") -> dict:
    return {"description": "Meet the CEO", "owner": owner, "due_on": due_on, "status": status}


def test_an_open_action_past_its_due_date_says_overdue_and_one_due_on_d_does_not():
    assert action_line(_action("open", date(2026, 6, 29)), D) == "Meet the CEO · 王伟 · 2026-06-29 · overdue"
    assert action_line(_action("open", D), D) == "Meet the CEO · 王伟 · 2026-06-30"


def test_a_dropped_action_says_so_and_a_done_one_does_not_even_when_late():
    assert action_line(_action("dropped", date(2026, 6, 1)), D) == "Meet the CEO · 王伟 · 2026-06-01 · Dropped"
    assert action_line(_action("done", date(2026, 6, 1)), D) == "Meet the CEO · 王伟 · 2026-06-01"


def test_a_missing_owner_or_due_date_reads_as_a_dash_and_the_states_in_chinese():
    assert action_line(_action("open", None, owner=None), D) == "Meet the CEO · – · –"
    with speaking("zh-CN"):
        assert action_line(_action("open", date(2026, 6, 29)), D) == "Meet the CEO · 王伟 · 2026-06-29 · 已逾期"
        assert action_line(_action("dropped", None), D) == "Meet the CEO · 王伟 · – · 已放弃"

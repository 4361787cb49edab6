"""Lists in the order people work them: tier A first, then most overdue; open breaches before closed ones."""

from __future__ import annotations

from datetime import date

import pytest

from kam.metrics import accounts, attention, complaints, satisfaction, visits, worklist
from kam.metrics.scope import Scope
from kam.store import db
from tests.portfolio import D, build

# At the end of 2026: K1 (A) last visited 07-05, 179 days since, 149 overdue; K2 (B since 08-01)
# last visited 01-15, 350 days since, 260 overdue; K3 (C) never visited, created 05-01: 244 days,
# 64 overdue; K6 (C) created 07-15, 169 days, due in 11; K4 and K5 have churned.
YEAR_END = Scope(as_of=date(2026, 12, 31), start=date(2026, 1, 1), end=date(2026, 12, 31))


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    connection = db.connect(build(tmp_path_factory.mktemp("priority")))
    yield connection
    connection.close()


def test_overdue_accounts_come_by_tier_then_days_overdue(con):
    overdue = visits.overdue_accounts(con, YEAR_END)
    assert overdue.select("account_id", "tier", "days_overdue", "never_visited").rows() == [
        ("K1", "A", 149, False),
        ("K2", "B", 260, False),
        ("K3", "C", 64, True),
    ]


def test_an_account_never_visited_says_so_instead_of_days_overdue(con):
    shown = visits.as_read(visits.overdue_accounts(con, YEAR_END))
    assert "never_visited" not in shown.columns
    assert shown.select("account_id", "last_visit", "days_since_visit", "days_overdue").rows() == [
        ("K1", "2026-07-05", 179, 149),
        ("K2", "2026-01-15", 350, 260),
        ("K3", "never visited", None, None),
    ]


def test_the_worklist_puts_tier_a_first_and_its_chooser_names_each_account(con):
    due = worklist.worklist(con, YEAR_END)
    assert due["account_id"].to_list() == ["K1", "K2", "K3"]
    # The chooser names the account as its table does; how late is the table's (one line of a phone held no more).
    assert worklist.labels(due) == {"K1": "甲公司 (K1)", "K2": "乙公司 (K2)", "K3": "丙公司 (K3)"}


def test_the_worklist_table_says_how_late_or_how_soon_in_words(con):
    # Nine days into 2027: K1 158 days overdue, K2 269, K3 never visited; K6 (C, 180-day cadence) created
    # 2026-07-15, 178 days ago: due in 2 days.
    due = worklist.worklist(con, YEAR_END.with_period(date(2027, 1, 1), date(2027, 1, 9), as_of=date(2027, 1, 9)))
    shown = worklist.listed(due)
    assert shown.columns[:4] == ["account_id", "name", "due_status", "due_date"]
    assert shown.select("account_id", "due_status", "days_overdue").rows() == [
        ("K1", "158 days overdue", 158),
        ("K2", "269 days overdue", 269),
        ("K3", "never visited", None),
        ("K6", "due in 2 days", -2),
    ]


@pytest.mark.parametrize(
    ("days_overdue", "never_visited", "said"),
    [(1, False, "1 day overdue"), (0, False, "due today"), (0, True, "due today"), (-1, True, "due in 1 day")],
)
def test_the_day_a_visit_falls_due_reads_due_today(days_overdue, never_visited, said):
    assert worklist.when_due(days_overdue, never_visited) == said


def test_the_overdue_a_accounts_of_the_overview_say_never_visited(tmp_path):
    with db.connect(build(tmp_path, accounts=("K3,丙公司,华南,M2,C,", "K3,丙公司,华南,M2,A,"))) as con:
        shown = attention.overdue_key_accounts(con, YEAR_END)
        # K3 is A now, never visited: 244 days since its creation, over the 30-day cadence.
        assert shown.select("account_id", "last_visit", "days_overdue").rows() == [
            ("K3", "never visited", None),
            ("K1", "2026-07-05", 149),
        ]


def test_breaches_list_open_ones_first(tmp_path):
    # C1 answered after 48 h and resolved: a closed breach, older than the open C2 and C3.
    late = ("C1,K1,2026-06-01 09:00,2026-06-02 09:00", "C1,K1,2026-06-01 09:00,2026-06-03 09:00")
    with db.connect(build(tmp_path, complaints=late)) as con:
        listed = complaints.breaches(con, Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31)))
        assert listed.select("complaint_id", "open").rows() == [("C2", True), ("C3", True), ("C1", False)]


def test_satisfaction_drops_are_ranked_worst_first_with_the_reason(tmp_path):
    # K3 scored 3 on 06-05; add a 2 before it, then a 2 on 06-20: 2 → 2, a low score, not a fall.
    # K2 4 then 2; K1 (A) and K5 (B) 5 then 4: the same fall, tier A first.
    changed = [
        ("S5,K3,2026-06-05,3,,", "S5,K3,2026-06-05,2,,"),
        ("S9,K1,2026-07-10,1,0,\n", "S9,K1,2026-07-10,1,0,\nS10,K3,2026-06-20,2,,\nS11,K3,2026-06-04,2,,\n"),
    ]
    with db.connect(build(tmp_path, surveys=changed)) as con:
        drops = satisfaction.satisfaction_drops(con, Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31)))
        assert drops.select("account_id", "previous_score", "latest_score", "fall", "reason").rows() == [
            ("K2", 4, 2, 2, "fell 2 to a low score"),
            ("K3", 2, 2, 0, "low score"),
            ("K1", 5, 4, 1, "fell 1"),
            ("K5", 5, 4, 1, "fell 1"),
        ]


def test_account_search_finds_by_region_and_counts_every_match(con):
    june_end = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31))
    # 华南 by June's end: K3, K4 (churned) and K5; no name or id holds it.
    south = accounts.search_accounts(con, june_end, text="华南")
    assert south.select("account_id", "label").rows() == [
        ("K3", "丙公司 (K3)"),
        ("K4", "丁公司 (K4) · churned"),
        ("K5", "戊公司 (K5)"),
    ]
    # Two shown of five accounts created by June's end.
    first = accounts.search_accounts(con, june_end, text="公司", limit=2)
    assert first["account_id"].to_list() == ["K1", "K2"]
    assert first["matches"].to_list() == [5, 5]

"""The overview, tiers and visit-compliance pages on the hand-worked portfolio, the demo data and no data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam import config, db
from kam.metrics.scope import Scope
from kam.snapshot import kpi_snapshot
from tests.apptest import start
from tests.portfolio import EXPORTS

PAGES = ["overview", "tiers", "visits"]


@pytest.fixture
def portfolio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    demo = tmp_path / "demo"
    demo.mkdir()
    for name, text in EXPORTS.items():
        (demo / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAM_DB_PATH", str(tmp_path / "kam.duckdb"))
    monkeypatch.setenv("KAM_DEMO_DIR", str(demo))
    config.settings.cache_clear()
    yield tmp_path
    config.settings.cache_clear()


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database built from the bundled demo exports, shared by this module's tests."""
    return tmp_path_factory.mktemp("demo") / "kam.duckdb"


def at_june_end(page: str, **filters: str) -> AppTest:
    """The page as of 2026-06-30, year to date, opened from a link carrying the filters."""
    return start(page, **({"as_of": "2026-06-30"} | filters))


def table(at: AppTest, first_column: str) -> list[tuple]:
    """The rows of the first table on the page whose first column is first_column."""
    for frame in at.dataframe:
        if frame.value.columns[0] == first_column:
            return [tuple(row) for row in frame.value.itertuples(index=False)]
    raise AssertionError(f"no table starting with {first_column!r}")


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_the_demo_data(page: str, demo_database: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KAM_DB_PATH", str(demo_database))
    config.settings.cache_clear()
    at = start(page)
    assert not at.exception
    assert at.get("plotly_chart")
    config.settings.cache_clear()


@pytest.mark.parametrize("page", PAGES)
def test_page_says_so_when_the_filters_leave_no_data(page: str, portfolio: Path):
    # M3 manages no account. The link carries the manager as the sidebar shows it.
    at = at_june_end(page, manager="张敏 (M3)")
    assert not at.exception
    assert not at.get("plotly_chart")
    if page != "overview":
        assert any("No data for these filters" in info.value for info in at.info)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_before_any_data(page: str, portfolio: Path):
    at = start(page)
    at.sidebar.date_input(key="as_of").set_value(date(2020, 1, 1)).run()
    assert not at.exception


def test_tiers_page_counts_active_accounts_by_tier_and_follows_the_tier_filter(portfolio: Path):
    # Active at 2026-06-30: K1 (A), K5 (B since 06-01), K2 and K3 (C). K4 churned, K6 not yet created.
    at = at_june_end("tiers")
    assert not at.exception
    assert [row[:2] for row in table(at, "tier")] == [("A", 1), ("B", 1), ("C", 2)]
    at.sidebar.multiselect(key="tier").set_value(["C"]).run()
    assert not at.exception
    assert [row[:2] for row in table(at, "tier")] == [("A", 0), ("B", 0), ("C", 2)]


def test_tiers_page_lists_the_review_candidates(portfolio: Path):
    # Revenue of the 12 months to D: K1 8000, K2 1000, K5 1000, K3 none; 10,000 in all.
    # Cumulative shares 0.8, 0.9, 1.0, 1.0: K1 A (assigned A), K2 B (assigned C), K5 B, K3 C.
    at = at_june_end("tiers")
    suggested = [(row[1], row[2], row[3]) for row in table(at, "rank")]
    assert suggested == [("K1", "A", "A"), ("K2", "C", "B"), ("K5", "B", "B"), ("K3", "C", "C")]
    assert "Review candidates (1)" in [h.value for h in at.subheader]
    candidates = table(at, "rank")  # the first table starting with rank is the Pareto's
    assert candidates


def test_visits_page_lists_the_overdue_account_and_the_due_follow_up(portfolio: Path):
    at = at_june_end("visits")
    assert not at.exception
    # K5 (B, cadence 90) last visited 2026-03-20: 102 days ago, 12 overdue.
    overdue = table(at, "account_id")
    assert [(row[0], row[4], row[5], row[6]) for row in overdue] == [("K5", 102, 90, 12)]
    assert "Overdue accounts (1)" in [h.value for h in at.header]
    # Coverage by manager: M1 both covered, M2 one of two (K3 created 05-01 is within its cadence).
    by_manager = {row[0]: row[4] for row in table(at, "manager_id") if len(row) == 5}
    assert by_manager == {"M1": 1.0, "M2": 0.5}


def test_visits_page_follows_the_manager_filter(portfolio: Path):
    at = at_june_end("visits", manager="王伟 (M1)")
    assert not at.exception
    assert "Overdue accounts (0)" in [h.value for h in at.header]
    # K2's next step (send quote, due 2026-02-15) had no later visit.
    assert [h.value for h in at.header if h.value.startswith("Follow-ups")] == ["Follow-ups due (1)"]


# --- complaint SLA, satisfaction, managers, account view --------------------------------

MORE_PAGES = ["complaints", "satisfaction", "managers", "account"]


@pytest.mark.parametrize("page", MORE_PAGES)
def test_more_pages_run_on_the_demo_data(page: str, demo_database: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KAM_DB_PATH", str(demo_database))
    config.settings.cache_clear()
    at = start(page)
    assert not at.exception
    assert at.get("plotly_chart")
    config.settings.cache_clear()


@pytest.mark.parametrize("page", MORE_PAGES)
def test_more_pages_with_no_data(page: str, portfolio: Path):
    for at in (at_june_end(page, manager="张敏 (M3)"), at_june_end(page, as_of="2020-01-01")):
        assert not at.exception
        assert not at.get("plotly_chart")
        assert at.info


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_complaints_page_figures_and_manager_filter(portfolio: Path):
    at = at_june_end("complaints")
    assert not at.exception
    # C1 (24 h exactly), C5, C6 met; C2 (26 h) and C3 (no reply, 40 h old at D) breached; C4 pending.
    assert cards(at)["SLA met"] == "60.0%"
    assert cards(at)["Met · breached · pending"] == "3 · 2 · 1"
    # Replies in 24, 26, 2 and 1 hours: median 13.
    assert cards(at)["First reply, median"] == "13.0 h"
    assert "Breaches (2)" in [h.value for h in at.header]
    # M2's accounts: C5, C6 met, C4 pending.
    at = at_june_end("complaints", manager="李娜 (M2)")
    assert cards(at)["Met · breached · pending"] == "2 · 0 · 1"
    assert cards(at)["SLA met"] == "100.0%"


def test_satisfaction_page_figures_and_tier_filter(portfolio: Path):
    at = at_june_end("satisfaction")
    assert not at.exception
    # Surveys of 2026 to D: S2 4, S4 2, S5 3, S7 4, S8 1 → mean 2.8; 4 and above: 2 of 5.
    assert cards(at) == {"Mean score": "2.80", "CSAT": "40.0%", "NPS": "25", "Answers": "5"}
    assert "Drops (3)" in [h.value for h in at.header]
    # A at D: K1 (S2: 4, NPS 10) and K4, A when it churned in May (S8: 1, NPS 9).
    at = at_june_end("satisfaction", tier="A")
    assert cards(at) == {"Mean score": "2.50", "CSAT": "50.0%", "NPS": "100", "Answers": "2"}


def test_managers_page_equals_the_kpi_snapshot(portfolio: Path):
    at = at_june_end("managers")
    assert not at.exception
    shown = at.dataframe[0].value
    scope = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31))
    with db.connect(portfolio / "kam.duckdb") as con:
        snapshot = kpi_snapshot(con, scope)["managers"]
    assert list(shown["manager_id"]) == [m["manager_id"] for m in snapshot] == ["M1", "M2", "M3"]
    for row, expected in zip(shown.to_dict("records"), snapshot, strict=True):
        assert row["active_accounts"] == expected["active_accounts"]
        assert row["revenue"] == expected["revenue"]
        assert row["churned"] == expected["churned"]
        for figure in ("visit_coverage", "attainment", "sla_met_pct", "satisfaction_mean"):
            assert (row[figure] if row[figure] == row[figure] else None) == pytest.approx(expected[figure])
    # Hand-worked: M1 4,000 of revenue, M2 900; M2 lost K4.
    assert list(shown["revenue"]) == [4000, 900, 0]
    assert list(shown["churned"]) == [0, 1, 0]


def test_managers_page_shows_the_chosen_managers_accounts(portfolio: Path):
    at = at_june_end("managers")
    at.selectbox(key="scorecard_manager").set_value("M2").run()
    assert not at.exception
    own = table(at, "account_id")
    # M2's active accounts at D: K5 overdue first, then K3.
    assert [row[0] for row in own] == ["K5", "K3"]


def test_account_view_opens_from_a_link_and_finds_by_name(portfolio: Path):
    at = at_june_end("account", account="K5")
    assert not at.exception
    assert cards(at)["Tier"] == "B"
    assert any("Visit overdue: 102 days" in w.value for w in at.warning)
    at.text_input(key="account_search").set_value("丙").run()
    assert not at.exception
    assert at.main.selectbox[0].value == "K3"
    assert at.header[0].value == "丙公司 (K3)"


def test_account_view_shows_nothing_outside_the_filters(portfolio: Path):
    # K1 belongs to M1: filtered to M2, a link naming K1 finds nothing.
    at = at_june_end("account", account="K1", manager="李娜 (M2)")
    assert not at.exception
    assert not at.main.selectbox
    assert any("No account matches “K1”" in info.value for info in at.info)

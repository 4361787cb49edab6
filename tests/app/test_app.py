"""The app starts on a fresh deployment: no database yet, so it builds one from the demo exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kam.metrics.scope import Scope
from kam.present.formatting import money, percent
from kam.reports.snapshot import kpi_snapshot
from kam.store import db
from tests.apptest import cards, start


def test_first_start_builds_the_database_from_the_demo_exports(portfolio: Path):
    at = start()
    assert not at.exception
    assert (portfolio).is_file()
    assert any("demo data" in info.value for info in at.sidebar.info)
    # The as-of date defaults to the last event in the data: K2's tier change on 2026-08-01.
    assert str(at.sidebar.date_input(key="as_of").value) == "2026-08-01"
    metrics = cards(at)
    # Active on 2026-08-01: K1, K2, K3, K5 (churns in September) and K6 (created 07-15).
    assert metrics["Active accounts"] == "5"


def test_changing_the_as_of_date_changes_the_figures(portfolio: Path):
    at = start()
    at.sidebar.date_input(key="as_of").set_value(date(2026, 6, 30)).run()
    assert not at.exception
    metrics = cards(at)
    # The hand-worked figures of tests/unit/test_kpis.py for the year to 2026-06-30.
    assert metrics["Active accounts"] == "4"
    assert metrics["Visit coverage"] == "75.0%"
    assert metrics["Complaint SLA met"] == "60.0%"
    assert metrics["Revenue"] == "¥4,900"


def test_overview_cards_equal_the_kpi_snapshot_for_the_same_filters(portfolio: Path):
    at = start()
    at.sidebar.date_input(key="as_of").set_value(date(2026, 6, 30))
    at.sidebar.multiselect(key="manager").set_value(["M2"]).run()
    assert not at.exception
    with db.connect(portfolio) as con:
        scope = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31), managers=("M2",))
        snap = kpi_snapshot(con, scope)
    shown = cards(at)
    assert shown["Active accounts"] == str(snap["active_accounts"]["total"]) == "2"
    assert shown["Visit coverage"] == percent(snap["visit_coverage"]["total"]) == "50.0%"
    assert shown["Complaint SLA met"] == percent(snap["complaint_sla"]["met_pct"]) == "100.0%"
    assert shown["Revenue"] == money(snap["revenue"]["period"]) == "¥900"
    assert shown["Churn rate"] == percent(snap["churn_rate"]) == "50.0%"
    # Needs attention, for M2 on 2026-06-30: no overdue A-account, no open breach, K5's drop.
    titles = [e.label for e in at.expander]
    assert "Satisfaction drops (1)" in titles
    assert "Complaints past SLA, still open (0)" in titles


def test_filters_come_from_the_url(portfolio: Path):
    at = start(as_of="2026-06-30", tier=["A"])
    assert not at.exception
    assert at.sidebar.multiselect(key="tier").value == ["A"]
    # Active A-accounts at 2026-06-30: K1 only.
    assert cards(at)["Active accounts"] == "1"


def test_a_crafted_url_value_is_ignored(portfolio: Path):
    at = start(manager=["M9"])
    assert not at.exception
    assert at.sidebar.multiselect(key="manager").value == []
    # Unfiltered: all five accounts active on 2026-08-01, not those of an unknown M9 (none).
    assert cards(at)["Active accounts"] == "5"


# The demo's managers by region (data/demo/managers.csv; each manages accounts of their own region only).
SOUTH = ["张浩然 (M02)", "魏秀英 (M06)", "余佳怡 (M10)"]


def said_outside(at: AppTest) -> list[str]:
    """The sidebar's note on chosen managers outside the chosen regions, as it reads (Markdown escapes dropped)."""
    return [c.value.replace("\\", "") for c in at.sidebar.caption if "no accounts in the chosen regions" in c.value]


def test_the_manager_filter_offers_the_managers_of_the_chosen_regions(on_demo: Path):
    at = start("plans")
    managers = at.sidebar.multiselect(key="manager")
    assert len(managers.options) == 12
    at.sidebar.multiselect(key="region").set_value(["华南"]).run()
    assert at.sidebar.multiselect(key="manager").options == SOUTH
    at.sidebar.multiselect(key="region").set_value(["华南", "西南"]).run()
    assert at.sidebar.multiselect(key="manager").options == [
        "张浩然 (M02)",
        "曹海峰 (M04)",
        "魏秀英 (M06)",
        "曾文博 (M09)",
        "余佳怡 (M10)",
    ]
    assert not said_outside(at)
    # 徐军 (M01) of 华东 chosen first stays chosen when 华南 is chosen after, and the sidebar says why nothing shows.
    at = start("plans")
    at.sidebar.multiselect(key="manager").set_value(["M01"]).run()
    at.sidebar.multiselect(key="region").set_value(["华南"]).run()
    assert not at.exception
    managers = at.sidebar.multiselect(key="manager")
    assert (managers.options, managers.value) == (["徐军 (M01)", *SOUTH], ["M01"])
    assert said_outside(at) == ["徐军 (M01): no accounts in the chosen regions."]
    # A link with both opens as it was shared.
    linked = start("plans", region="华南", manager="徐军 (M01)")
    managers = linked.sidebar.multiselect(key="manager")
    assert (managers.options, managers.value) == (["徐军 (M01)", *SOUTH], ["M01"])
    # The plans page shows no filtered figures: no warning above it. The overview's figures are all of nobody's
    # accounts: a warning above them says why and what to do.
    assert not [w for w in linked.main.warning if "徐军" in w.value]
    overview = start("overview", region="华南", manager="徐军 (M01)")
    assert [w.value.replace("\\", "") for w in overview.main.warning if "徐军" in w.value] == [
        "徐军 (M01): no accounts in the chosen regions, so the figures below count none of theirs. "
        "Clear the region or the manager filter to see them."
    ]

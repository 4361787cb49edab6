"""The app starts on a fresh deployment: no database yet, so it builds one from the demo exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kam import config, db
from kam.formatting import money, percent
from kam.metrics.scope import Scope
from kam.snapshot import kpi_snapshot
from tests.apptest import start
from tests.portfolio import EXPORTS


@pytest.fixture
def fresh_deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder for the database and a demo folder holding the test portfolio."""
    demo = tmp_path / "demo"
    demo.mkdir()
    for name, text in EXPORTS.items():
        (demo / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAM_DB_PATH", str(tmp_path / "db" / "kam.duckdb"))
    monkeypatch.setenv("KAM_DEMO_DIR", str(demo))
    config.settings.cache_clear()
    yield tmp_path
    config.settings.cache_clear()


def test_first_start_builds_the_database_from_the_demo_exports(fresh_deployment: Path):
    at = start()
    assert not at.exception
    assert (fresh_deployment / "db" / "kam.duckdb").is_file()
    assert any("demo data" in info.value for info in at.sidebar.info)
    # The as-of date defaults to the last event in the data: K2's tier change on 2026-08-01.
    assert str(at.sidebar.date_input(key="as_of").value) == "2026-08-01"
    metrics = {m.label: m.value for m in at.metric}
    # Active on 2026-08-01: K1, K2, K3, K5 (churns in September) and K6 (created 07-15).
    assert metrics["Active accounts"] == "5"


def test_changing_the_as_of_date_changes_the_figures(fresh_deployment: Path):
    at = start()
    at.sidebar.date_input(key="as_of").set_value(date(2026, 6, 30)).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # The hand-worked figures of tests/test_kpis.py for the year to 2026-06-30.
    assert metrics["Active accounts"] == "4"
    assert metrics["Visit coverage"] == "75.0%"
    assert metrics["Complaint SLA met"] == "60.0%"
    assert metrics["Revenue"] == "¥4,900"


def test_overview_cards_equal_the_kpi_snapshot_for_the_same_filters(fresh_deployment: Path):
    at = start()
    at.sidebar.date_input(key="as_of").set_value(date(2026, 6, 30))
    at.sidebar.multiselect(key="manager").set_value(["M2"]).run()
    assert not at.exception
    with db.connect(fresh_deployment / "db" / "kam.duckdb") as con:
        scope = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31), managers=("M2",))
        snap = kpi_snapshot(con, scope)
    cards = {m.label: m.value for m in at.metric}
    assert cards["Active accounts"] == str(snap["active_accounts"]["total"]) == "2"
    assert cards["Visit coverage"] == percent(snap["visit_coverage"]["total"]) == "50.0%"
    assert cards["Complaint SLA met"] == percent(snap["complaint_sla"]["met_pct"]) == "100.0%"
    assert cards["Revenue"] == money(snap["revenue"]["period"]) == "¥900"
    assert cards["Churn rate"] == percent(snap["churn_rate"]) == "50.0%"
    # Needs attention, for M2 on 2026-06-30: no overdue A-account, no open breach, K5's drop.
    titles = [e.label for e in at.expander]
    assert "Satisfaction drops (1)" in titles
    assert "Complaints past SLA, still open (0)" in titles


def test_filters_come_from_the_url(fresh_deployment: Path):
    at = start(as_of="2026-06-30", tier=["A"])
    assert not at.exception
    assert at.sidebar.multiselect(key="tier").value == ["A"]
    # Active A-accounts at 2026-06-30: K1 only.
    assert {m.label: m.value for m in at.metric}["Active accounts"] == "1"


def test_a_crafted_url_value_is_ignored(fresh_deployment: Path):
    at = start(manager=["M9"])
    assert not at.exception
    assert at.sidebar.multiselect(key="manager").value == []

"""The app starts on a fresh deployment: no database yet, so it builds one from the demo exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kam import config
from tests.apptest import rerun, start
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
    at.sidebar.date_input(key="as_of").set_value(date(2026, 6, 30))
    rerun(at)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # The hand-worked figures of tests/test_kpis.py for the year to 2026-06-30.
    assert metrics["Active accounts"] == "4"
    assert metrics["Visit coverage"] == "75.0%"
    assert metrics["Complaint SLA met"] == "60.0%"
    assert metrics["Revenue"] == "¥4,900"

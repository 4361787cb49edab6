"""`python -m kam kpis` against docs/KPI_SNAPSHOT.md, key by key, on the portfolio of tests/portfolio.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kam.cli import main
from tests.commands import command_here
from tests.portfolio import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("kpis"))


def kpis_command(*args: str) -> subprocess.CompletedProcess:
    """`python -m kam kpis` with these arguments, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "kam", "kpis", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_snapshot_year_to_date_key_by_key(database):
    done = kpis_command("--db", str(database), "--as-of", "2026-06-30")
    assert done.returncode == 0, done.stderr
    snap = json.loads(done.stdout)
    assert list(snap) == [
        "as_of",
        "period",
        "active_accounts",
        "suggested_tiers",
        "visit_coverage",
        "overdue_accounts",
        "visit_attainment",
        "complaint_sla",
        "satisfaction",
        "revenue",
        "churn_rate",
        "repeat_rate",
        "churn_by_reason",
        "receivables",
        "health",
        "managers",
    ]
    assert snap["as_of"] == "2026-06-30"
    # Without --start/--end the period is the year to date of D: 181 days.
    assert snap["period"] == {"start": "2026-01-01", "end": "2026-12-31", "days": 181}
    assert snap["active_accounts"] == {"A": 1, "B": 1, "C": 2, "total": 4}
    assert snap["suggested_tiers"] == {"A": 1, "B": 2, "C": 1}
    assert snap["visit_coverage"] == {"A": 1.0, "B": 0.0, "C": 1.0, "total": 0.75}
    assert snap["overdue_accounts"] == 1
    assert snap["visit_attainment"] == 0.5
    # C1, C5, C6 met; C2, C3 breached; C4 pending.
    assert snap["complaint_sla"] == {"met": 3, "breached": 2, "pending": 1, "met_pct": 0.6}
    assert snap["satisfaction"] == {
        "responses": 5,
        "mean": pytest.approx(2.8),
        "csat_pct": pytest.approx(0.4),
        "nps": pytest.approx(25.0),
    }
    assert snap["revenue"] == {
        "period": 4900.0,
        "attainment": pytest.approx(4900 / 54300),
        "growth": pytest.approx(0.96),
    }
    assert snap["churn_rate"] == 0.25
    # Bought in 2025 and again in 2026 up to D: K1 (O1, O2 / O3), K2 (O6 / O5), K5 (O8 / O9).
    assert snap["repeat_rate"] == 1.0
    assert snap["churn_by_reason"] == {
        "price": 1,
        "product": 0,
        "market": 0,
        "service": 0,
        "technology": 0,
        "organization": 0,
    }
    # No order is paid: every order up to D of an account created by D is open, none has a due date.
    # K1 1000 + 5000 + 3000, K2 1000 + 1500, K4 (churned, still owes) 500, K5 600 + 400.
    assert snap["receivables"] == {
        "outstanding": 13000.0,
        "overdue": 0.0,
        "overdue_accounts": 0,
        "over_limit_accounts": 0,
        "buckets": {"1-30": 0.0, "31-60": 0.0, "61-90": 0.0, "90+": 0.0},
    }
    # K1 80 (complaint C2 open past the SLA), K2 60 (C3 the same; no revenue either year: left
    # out), K3 76.67, K5 84.17 (visits 1 - 12/90): mean 75.21.
    assert snap["health"] == {"healthy": 3, "watch": 1, "at_risk": 0, "mean": 75.2}
    assert snap["managers"] == [
        {
            "manager_id": "M1",
            "active_accounts": 2,
            "visit_coverage": 1.0,
            "revenue": 4000.0,
            "attainment": pytest.approx(4000 / 18100),
            "sla_met_pct": pytest.approx(1 / 3),
            "satisfaction_mean": 3.0,
            "churned": 0,
            "at_risk": 0,
        },
        {
            "manager_id": "M2",
            "active_accounts": 2,
            "visit_coverage": 0.5,
            "revenue": 900.0,
            "attainment": pytest.approx(900 / 36200),
            "sla_met_pct": 1.0,
            "satisfaction_mean": pytest.approx(8 / 3),
            "churned": 1,
            "at_risk": 0,
        },
        {
            "manager_id": "M3",
            "active_accounts": 0,
            "visit_coverage": None,
            "revenue": 0.0,
            "attainment": None,
            "sla_met_pct": None,
            "satisfaction_mean": None,
            "churned": 0,
            "at_risk": 0,
        },
    ]


def test_snapshot_custom_period_and_filter(database, capsys):
    done = command_here(
        capsys,
        "kpis",
        "--db",
        str(database),
        "--as-of",
        "2026-06-30",
        "--start",
        "2026-04-01",
        "--end",
        "2026-06-30",
        "--manager",
        "M2",
    )
    assert done.returncode == 0, done.stderr
    snap = json.loads(done.stdout)
    assert snap["period"]["days"] == 91
    # M2's accounts: K3 (C) and K5 (B) active; Q2 revenue K4 500 + K5 400.
    assert snap["active_accounts"] == {"A": 0, "B": 1, "C": 1, "total": 2}
    assert snap["revenue"]["period"] == 900.0
    assert [m["manager_id"] for m in snap["managers"]] == ["M2"]


def test_without_as_of_the_snapshot_is_as_of_the_date_the_exports_run_to(database, capsys):
    done = command_here(capsys, "kpis", "--db", str(database))
    assert done.returncode == 0, done.stderr
    snap = json.loads(done.stdout)
    # The portfolio's exports run to K2's tier change on 2026-08-01.
    assert snap["as_of"] == "2026-08-01"
    assert snap["period"]["start"] == "2026-01-01"


def test_errors_go_to_stderr_with_a_non_zero_exit(tmp_path, capsys):
    assert main(["kpis", "--db", str(tmp_path / "none.duckdb"), "--as-of", "2026-06-30"]) == 1
    assert "no such database" in capsys.readouterr().err
    done = command_here(capsys, "kpis", "--db", str(tmp_path / "x.duckdb"), "--as-of", "30/06/2026")
    assert done.returncode != 0
    assert "not a date" in done.stderr


def test_help_for_every_command(capsys):
    for command in ("load", "kpis", "demo"):
        done = command_here(capsys, command, "--help")
        assert done.returncode == 0
        assert "usage: python -m kam " + command in done.stdout

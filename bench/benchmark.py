"""Speed and memory at scale: the loader against DuckDB's bare read, the KPI snapshot, each metric.

    .venv/bin/python -m bench.benchmark [--scale 170] [--out bench/out]

Generates the demo exports at the given scale (170 ≈ 50,000 accounts and 5 million
orders) as Parquet and as CSV, then runs every measurement in a fresh subprocess so
that each peak resident memory figure is that step's own. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from kam.ingest import loader
from kam.store import db
from kam.store.schema import EXPORT_TABLES

ROOT = Path(__file__).resolve().parent.parent


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fresh(path: Path) -> Path:
    for stale in (path, path.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    return path


def step_generate(folder: str, scale: str, fmt: str) -> dict:
    from kam.ingest import demo

    started = time.perf_counter()
    counts = demo.generate(Path(folder), scale=float(scale), fmt=fmt)
    return {"seconds": time.perf_counter() - started, "rows": counts}


def step_kam_load(folder: str, database: str) -> dict:
    started = time.perf_counter()
    with db.connect(_fresh(Path(database))) as con:
        report = loader.load_folder(con, Path(folder))
        con.execute("CHECKPOINT")
    return {"seconds": time.perf_counter() - started, "rows": sum(report.rows_loaded.values())}


def step_duckdb_load(folder: str, database: str, fmt: str) -> dict:
    """DuckDB's own CREATE TABLE AS SELECT from the same files, with no checks at all."""
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    started = time.perf_counter()
    rows = 0
    with duckdb.connect(str(_fresh(Path(database)))) as con:
        for table in EXPORT_TABLES:
            files = sorted(str(p) for p in Path(folder).glob(f"*.{fmt}") if loader.table_for(p.name) == table.name)
            if not files:
                continue
            con.execute(f"CREATE TABLE {table.name} AS SELECT * FROM {reader}($files)", {"files": files})
            rows += con.execute(f"SELECT count(*) FROM {table.name}").fetchall()[0][0]
        con.execute("CHECKPOINT")
    return {"seconds": time.perf_counter() - started, "rows": rows}


def step_metrics(database: str, as_of: str) -> dict:
    from kam.metrics import complaints, managers, revenue, satisfaction, tiers, visits
    from kam.metrics.scope import Scope
    from kam.reports.snapshot import kpi_snapshot

    day = date.fromisoformat(as_of)
    scope = Scope(as_of=day, start=date(day.year, 1, 1), end=date(day.year, 12, 31))
    functions = {
        "kpi_snapshot": kpi_snapshot,
        "tiers.tier_distribution": tiers.tier_distribution,
        "tiers.abc_suggestion": tiers.abc_suggestion,
        "tiers.tier_mix_over_time": tiers.tier_mix_over_time,
        "tiers.tier_movement": tiers.tier_movement,
        "visits.visit_status": visits.visit_status,
        "visits.visit_coverage": visits.visit_coverage,
        "visits.visit_attainment": visits.visit_attainment,
        "visits.visits_by_week": visits.visits_by_week,
        "visits.followups_due": visits.followups_due,
        "complaints.complaint_sla": complaints.complaint_sla,
        "complaints.response_times": complaints.response_times,
        "complaints.open_breaches": complaints.open_breaches,
        "complaints.open_complaints_ageing": complaints.open_complaints_ageing,
        "satisfaction.satisfaction_summary": satisfaction.satisfaction_summary,
        "satisfaction.satisfaction_trend": satisfaction.satisfaction_trend,
        "satisfaction.satisfaction_drops": satisfaction.satisfaction_drops,
        "revenue.revenue_summary": revenue.revenue_summary,
        "revenue.churn": revenue.churn,
        "managers.scorecard": managers.scorecard,
    }
    timings = {}
    with db.connect(Path(database), read_only=True) as con:
        for name, function in functions.items():
            function(con, scope)  # warm the file cache once, then time the best of three
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                function(con, scope)
                runs.append(time.perf_counter() - started)
            timings[name] = min(runs)
    return {"seconds": timings["kpi_snapshot"], "timings": timings}


def step_kpis_cli(database: str, as_of: str) -> dict:
    """`python -m kam kpis` end to end, interpreter start-up included (best of three)."""
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kam", "kpis", "--db", database, "--as-of", as_of],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        runs.append(time.perf_counter() - started)
    return {"seconds": min(runs)}


def step_pages(database: str, as_of: str) -> dict:
    """Each page run in Streamlit's AppTest: first with empty caches (its queries), then again (cached)."""
    import os

    os.environ["KAM_DB_PATH"] = database
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.apptest import app

    pages = [
        "overview",
        "tiers",
        "visits",
        "complaints",
        "satisfaction",
        "managers",
        "risk",
        "retention",
        "credit",
        "account",
    ]

    def page_run(page: str) -> tuple[AppTest, float]:
        at = app(page, as_of=as_of)
        at.default_timeout = 600
        started = time.perf_counter()
        at.run()
        return at, time.perf_counter() - started

    page_run("overview")  # opens the database once, as the server process does at start
    timings = {}
    for page in pages:
        st.cache_data.clear()
        at, cold = page_run(page)
        if at.exception:
            raise RuntimeError(f"page {page}: {at.exception[0].value}")
        at, warm = page_run(page)
        timings[page] = {"cold": cold, "cached": warm}
    return {"seconds": sum(t["cold"] for t in timings.values()), "timings": timings}


STEPS = {
    "generate": step_generate,
    "kam_load": step_kam_load,
    "duckdb_load": step_duckdb_load,
    "metrics": step_metrics,
    "kpis_cli": step_kpis_cli,
    "pages": step_pages,
}


def run_step(name: str, *args: str) -> dict:
    """Run one step in a fresh interpreter and return its figures with its peak memory."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.benchmark", "--step", name, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="170")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--as-of", default="2026-11-20")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        figures = STEPS[options.step](*options.args)
        print(json.dumps(figures | {"peak_mb": _peak_mb()}))
        return

    out = options.out.resolve()
    lines = ["| step | seconds | peak memory (MB) | rows |", "| --- | ---: | ---: | ---: |"]

    def record(label: str, figures: dict) -> dict:
        rows = figures.get("rows")
        rows = sum(rows.values()) if isinstance(rows, dict) else rows
        shown = f"{rows:,}" if rows else ""
        lines.append(f"| {label} | {figures['seconds']:.2f} | {figures['peak_mb']:,.0f} | {shown} |")
        print(lines[-1], flush=True)
        return figures

    for fmt in ("parquet", "csv"):
        folder = out / fmt
        record(
            f"generate demo exports ({fmt}, scale {options.scale})",
            run_step("generate", str(folder), options.scale, fmt),
        )
        bare = record(
            f"DuckDB CREATE TABLE AS {fmt} reader",
            run_step("duckdb_load", str(folder), str(out / f"bare_{fmt}.duckdb"), fmt),
        )
        ours = record(f"`kam load` ({fmt})", run_step("kam_load", str(folder), str(out / f"kam_{fmt}.duckdb")))
        lines.append(f"| ratio `kam load` / DuckDB bare read ({fmt}) | {ours['seconds'] / bare['seconds']:.2f}× | | |")
        print(lines[-1], flush=True)

    warehouse = (str(out / "kam_parquet.duckdb"), options.as_of)
    metrics = record("`kpi_snapshot` function (best of 3)", run_step("metrics", *warehouse))
    record("`python -m kam kpis`, start-up included (best of 3)", run_step("kpis_cli", *warehouse))
    pages = record("every page, data and layout (AppTest, sum of first runs)", run_step("pages", *warehouse))
    lines.append("")
    lines.append("| page (year to date, signed in as the VP) | first run, seconds | cached rerun, seconds |")
    lines.append("| --- | ---: | ---: |")
    lines.extend(f"| {page} | {t['cold']:.2f} | {t['cached']:.2f} |" for page, t in pages["timings"].items())
    lines.append("")
    lines.append("| metric function (year to date, no filter) | seconds (best of 3) |")
    lines.append("| --- | ---: |")
    lines.extend(f"| {name} | {seconds:.3f} |" for name, seconds in metrics["timings"].items())
    print("\n".join(lines))


if __name__ == "__main__":
    main()

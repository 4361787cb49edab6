"""Opening the deployment's database, filling it from the bundled demo exports on first start."""

from __future__ import annotations

from pathlib import Path

import duckdb

from kam import db, loader

DEMO_LOADER = "demo"


def open_database(path: Path, demo_dir: Path) -> duckdb.DuckDBPyConnection:
    """The database of this deployment; a new one is loaded from the demo exports."""
    con = db.connect(path)
    if db.is_empty(con):
        load_demo(con, demo_dir)
    return con


def load_demo(con: duckdb.DuckDBPyConnection, demo_dir: Path) -> loader.LoadReport:
    return loader.load_folder(con, demo_dir, loaded_by=DEMO_LOADER)


def shows_demo_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True while the latest load is the bundled demo data."""
    latest = db.scalar(con, "SELECT loaded_by FROM load_history ORDER BY load_id DESC LIMIT 1")
    return latest == DEMO_LOADER

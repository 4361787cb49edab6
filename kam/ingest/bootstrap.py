"""Opening the deployment's database, filling it from the bundled demo exports on first start."""

from __future__ import annotations

from pathlib import Path

import duckdb

from kam.ingest import loader
from kam.people import users
from kam.store import audit, db

DEMO_LOADER = loader.DEMO_LOADER


def open_database(path: Path, demo_dir: Path) -> duckdb.DuckDBPyConnection:
    """The database of this deployment; a new one is loaded from the demo exports."""
    con = db.connect(path)
    if db.is_empty(con):
        load_demo(con, demo_dir)
    users.ensure_first_admin(con)
    return con


def load_demo(con: duckdb.DuckDBPyConnection, demo_dir: Path) -> loader.LoadReport:
    """The bundled demo exports, and the demo users to try every role with."""
    report = loader.load_folder(con, demo_dir, loaded_by=DEMO_LOADER)
    users.seed_demo_users(con)
    return report


def load_exports(
    con: duckdb.DuckDBPyConnection,
    files: list[loader.ExportFile],
    source: str,
    by: str | None,
    force: bool = False,
) -> loader.LoadReport:
    """A load of real exports, from the command line or the admin page: audited, and the demo users retired.

    force: the admin confirmed a load that loses more rows than allowed; an unattended load never forces.
    """
    try:
        report = loader.load(con, files, source=source, loaded_by=by, force=force)
    except loader.LoadError as error:
        audit.record(con, by, "load.failed", source, after={"error": str(error)})
        raise
    audit.record(
        con,
        by,
        "load",
        source,
        after={
            "load_id": report.load_id,
            "files": report.files,
            "rejected": report.rows_rejected,
            "confirmed_losses": [loss.describe() for loss in report.confirmed_losses],
        },
    )
    users.retire_demo_users(con, by)
    return report


def shows_demo_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True while the latest load is the bundled demo data."""
    latest = db.scalar(con, "SELECT loaded_by FROM load_history ORDER BY load_id DESC LIMIT 1")
    return latest == DEMO_LOADER

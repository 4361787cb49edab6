"""Opening the deployment's database, filling it from the bundled demo exports on first start."""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb

from kam.ingest import loader
from kam.people import users
from kam.store import audit, db
from kam.store.write import Busy

DEMO_LOADER = loader.DEMO_LOADER


def open_database(path: Path, demo_dir: Path) -> duckdb.DuckDBPyConnection:
    """The database of this deployment; a new one is loaded from the demo exports."""
    con = db.connect(path)
    if db.is_empty(con):
        load_demo(con, demo_dir)
    users.ensure_first_admin(con)
    return con


def load_demo(con: duckdb.DuckDBPyConnection, demo_dir: Path) -> loader.LoadReport:
    """The bundled demo exports, and the demo users to try every role with, in one write."""
    return loader.load_folder(
        con, demo_dir, loaded_by=DEMO_LOADER, also=lambda cur, _report: users.seed_demo_users(cur)
    )


def load_exports(
    con: duckdb.DuckDBPyConnection,
    files: list[loader.ExportFile],
    source: str,
    by: str | None,
    force: bool = False,
) -> loader.LoadReport:
    """A load of real exports, from the command line or the admin page.

    The load, its audit row and the demo users' retirement are one write: all or nothing.
    A load that fails is audited on its own. force: the admin confirmed a load that loses more
    rows than allowed; an unattended load never forces.
    """

    def also(cur: duckdb.DuckDBPyConnection, report: loader.LoadReport) -> None:
        after = {
            "load_id": report.load_id,
            "files": report.files,
            "rejected": report.rows_rejected,
            "confirmed_losses": [loss.describe() for loss in report.confirmed_losses],
        }
        audit.record(cur, by, "load", source, after=after)
        users.retire_demo_users(cur, by)

    try:
        return loader.load(con, files, source=source, loaded_by=by, force=force, also=also)
    except loader.LoadError as error:
        # Its own small write; a busy database must not hide why the load failed.
        with contextlib.suppress(Busy):
            audit.record_alone(con, by, "load.failed", source, after={"error": str(error)})
        raise


def shows_demo_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True while the latest load is the bundled demo data."""
    latest = db.scalar(con, "SELECT loaded_by FROM load_history ORDER BY load_id DESC LIMIT 1")
    return latest == DEMO_LOADER

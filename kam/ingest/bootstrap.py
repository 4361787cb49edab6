"""Opening the deployment's database, filling it from the bundled demo exports on first start."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import duckdb

from kam.ingest import loader
from kam.people import users
from kam.store import audit, db, exports
from kam.store.write import Busy

DEMO_LOADER = loader.DEMO_LOADER


def open_database(path: Path, demo_dir: Path) -> duckdb.DuckDBPyConnection:
    """The database of this deployment; a new one is loaded from the demo exports."""
    con = db.connect(path)
    if db.is_empty(con):
        load_demo(con, demo_dir)
    users.ensure_first_admin(con)
    return con


def follow(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Switch to exports published since the last look (by any process), auditing each load; the new loads."""
    return exports.follow(con)


def load_demo(con: duckdb.DuckDBPyConnection, demo_dir: Path) -> loader.LoadReport:
    """The bundled demo exports, and (at the switch to them) the demo users to try every role with."""
    return load_exports(con, loader.folder_files(demo_dir), str(demo_dir), by=DEMO_LOADER)


def load_exports(
    con: duckdb.DuckDBPyConnection,
    files: list[loader.ExportFile],
    source: str,
    by: str | None,
    force: bool = False,
) -> loader.LoadReport:
    """A load of exports in this process (the dashboard, a test): a new exports file, then the switch to it.

    The switch, the load's audit row and the demo users' seeding or retirement are one write of
    the app's database. A load that fails is audited on its own. force: the admin confirmed a
    load that loses more rows than allowed; an unattended load never forces.
    """
    folder = exports.folder_for(exports.app_path(con))
    try:
        report = loader.build(folder, files, source=source, loaded_by=by, force=force)
    except loader.LoadError as error:
        # Its own small write; a busy database must not hide why the load failed.
        with contextlib.suppress(Busy):
            audit.record_alone(con, by, "load.failed", source, after=error.record())
        raise
    follow(con)
    return report


def load_apart(
    app_db: Path, files: list[loader.ExportFile], source: str, by: str | None, force: bool = False
) -> loader.LoadReport:
    """A load from another process than the dashboard's (the command line): it never opens the app's database.

    The dashboard switches to the new file at its next page run and audits the load then; a
    failed load is noted beside the exports for its audit log.
    """
    db.writable_folder(app_db)
    folder = exports.folder_for(app_db)
    try:
        return loader.build(folder, files, source=source, loaded_by=by, force=force)
    except loader.LoadError as error:
        exports.note_failure(folder, by, source, error.record())
        raise


def shows_demo_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True while the latest load is the bundled demo data."""
    latest = db.scalar(con, "SELECT loaded_by FROM load_history ORDER BY load_id DESC LIMIT 1")
    return latest == DEMO_LOADER

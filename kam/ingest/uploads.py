"""Loads the admin starts (uploaded export files, the import folder) and the import folder's own loads.

The import folder loads itself once its set of exports is complete: whoever writes the files
(the nightly export job) puts a file named READY beside them last. The dashboard's watcher
(kam.ui.watcher) then loads the folder and removes READY, whatever the outcome, so that a
set is tried once; a failed load is in the audit log and in LAST_LOAD.txt beside the files.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Protocol

import duckdb

from kam.config import settings
from kam.i18n import N_
from kam.ingest import bootstrap, loader
from kam.people import users
from kam.people.users import User


class Upload(Protocol):
    """An uploaded file as Streamlit hands it over."""

    name: str
    size: int

    def getvalue(self) -> bytes: ...


DEMO_ADMIN_REFUSED = N_(
    "You are signed in as a demo user, whose password is published, and a load of real exports "
    "retires the demo users. Sign in as a real admin to load (the first admin, `admin`, got a "
    "one-time password on the server's console; or add one under Users)."
)


def _refuse_demo_admin(con: duckdb.DuckDBPyConnection, admin: User) -> None:
    if users.is_demo_user(con, admin.username):
        raise loader.LoadError(DEMO_ADMIN_REFUSED)


def load_uploads(
    con: duckdb.DuckDBPyConnection, uploads: Iterable[Upload], admin: User, force: bool = False
) -> loader.LoadReport:
    """Load uploaded export files; refuses a file over the configured size (per file) before reading any."""
    uploads = list(uploads)
    if not uploads:
        raise loader.LoadError(N_("Choose the export files to load."))
    _refuse_demo_admin(con, admin)
    limit = settings().upload_max_mb
    for upload in uploads:
        if upload.size > limit * 1024 * 1024:
            raise loader.LoadError(
                N_("{file} is {size} MB; the limit is {limit} MB per file."),
                file=upload.name,
                size=f"{upload.size / 1024 / 1024:,.1f}",
                limit=limit,
            )
    files = [loader.ExportFile(upload.name, upload.getvalue()) for upload in uploads]
    return bootstrap.load_exports(con, files, source="upload", by=admin.username, force=force)


def load_import_folder(con: duckdb.DuckDBPyConnection, admin: User, force: bool = False) -> loader.LoadReport:
    """Load the exports waiting in the configured import folder."""
    _refuse_demo_admin(con, admin)
    folder = settings().import_dir
    return bootstrap.load_exports(con, loader.folder_files(folder), source=str(folder), by=admin.username, force=force)


READY = "READY"
LAST_LOAD = "LAST_LOAD.txt"
WATCHER = "import folder"


def load_when_ready(con: duckdb.DuckDBPyConnection, folder: Path | None = None) -> loader.LoadReport | None:
    """Load the import folder if its READY marker is there, then remove the marker; the report, or None.

    A load that fails raises as any load does (audited); the marker is gone either way.
    """
    folder = Path(folder or settings().import_dir)
    marker = folder / READY
    if not marker.is_file():
        return None
    files = loader.folder_files(folder)
    try:
        report = bootstrap.load_exports(con, files, source=str(folder), by=WATCHER)
    except loader.LoadError as error:
        _note(folder, f"failed: {error}")
        raise
    finally:
        marker.unlink(missing_ok=True)
    _note(folder, f"load {report.load_id} done, {report.rows_rejected:,} rows rejected")
    return report


def _note(folder: Path, line: str) -> None:
    (folder / LAST_LOAD).write_text(f"{datetime.now():%Y-%m-%d %H:%M:%S} {line}\n", encoding="utf-8")

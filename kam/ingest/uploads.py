"""Loads the admin starts: uploaded export files, or the exports waiting in the import folder."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import duckdb

from kam.config import settings
from kam.ingest import bootstrap, loader
from kam.people.users import User


class Upload(Protocol):
    """An uploaded file as Streamlit hands it over."""

    name: str
    size: int

    def getvalue(self) -> bytes: ...


def load_uploads(
    con: duckdb.DuckDBPyConnection, uploads: Iterable[Upload], admin: User, force: bool = False
) -> loader.LoadReport:
    """Load uploaded export files; refuses a batch over the configured size before reading it."""
    uploads = list(uploads)
    if not uploads:
        raise loader.LoadError("Choose the export files to load.")
    limit = settings().upload_max_mb
    total = sum(upload.size for upload in uploads)
    if total > limit * 1024 * 1024:
        raise loader.LoadError(f"The files add up to {total / 1024 / 1024:,.0f} MB; the limit is {limit} MB.")
    files = [loader.ExportFile(upload.name, upload.getvalue()) for upload in uploads]
    return bootstrap.load_exports(con, files, source="upload", by=admin.username, force=force)


def load_import_folder(con: duckdb.DuckDBPyConnection, admin: User, force: bool = False) -> loader.LoadReport:
    """Load the exports waiting in the configured import folder."""
    folder = settings().import_dir
    return bootstrap.load_exports(con, loader.folder_files(folder), source=str(folder), by=admin.username, force=force)

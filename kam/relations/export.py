"""Everything entered in the app, table by table, for the CRM."""

from __future__ import annotations

import io
import zipfile

import duckdb
import polars as pl

from kam.present import downloads
from kam.store import db

# File name → the query of the app-entered table it holds (fixed here, never from input).
APP_TABLES = {
    "visits_app": "SELECT * EXCLUDE (met_with), met_with FROM visits_app ORDER BY visit_id",
    "contacts_app": "SELECT * FROM contacts_app ORDER BY contact_id",
    "account_plans": "SELECT * FROM account_plans ORDER BY year, account_id",
    "plan_actions": "SELECT * FROM plan_actions ORDER BY plan_id, due_on, action_id",
    "plan_status_history": "SELECT * FROM plan_status_history ORDER BY plan_id, changed_at",
    "quarterly_reviews": "SELECT * FROM quarterly_reviews ORDER BY year, quarter, manager_id",
    "targets_app": "SELECT * FROM targets_app ORDER BY year, manager_id",
}


def app_data(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Each app-entered table as a frame, by the name its file takes."""
    return {name: db.query(con, sql) for name, sql in APP_TABLES.items()}


def app_data_zip(con: duckdb.DuckDBPyConnection, kind: str) -> bytes:
    """Every app-entered table as one file each (kind "csv" or "parquet"), in one ZIP archive."""
    if kind not in ("csv", "parquet"):
        raise ValueError(f"no export as {kind!r}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in app_data(con).items():
            if kind == "csv":
                archive.writestr(f"{name}.csv", downloads.csv_bytes(frame))
            else:
                data = io.BytesIO()
                frame.write_parquet(data)
                archive.writestr(f"{name}.parquet", data.getvalue())
    return buffer.getvalue()

"""The visits entered in the app in the `visits` format of docs/DATA_CONTRACT.md, for the CRM."""

from __future__ import annotations

import io

import duckdb
import polars as pl

from kam.i18n import _
from kam.present import downloads
from kam.store import db
from kam.store.schema import VISITS

EXPORT_COLUMNS = tuple(c.name for c in VISITS.columns)


def export_app_visits(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every visit entered in the app, in the columns and values of the contract's `visits` export.

    The contract has no column for who was met, so it leads the notes, in the run's language (the one of the
    person downloading: the notes are theirs to read, not the CRM's).
    """
    return db.query(
        con,
        """
        SELECT visit_id, account_id, manager_id, visit_date, channel, purpose, executive,
               CASE WHEN met_with IS NULL THEN notes
                    ELSE concat_ws(chr(10), replace($met_with, '{people}', met_with), notes) END AS notes,
               next_step, next_date, warning_signs, contact_ids
        FROM visits_app
        ORDER BY visit_date, created_at, visit_id
        """,
        {"met_with": _("Met with: {people}")},
    ).select(EXPORT_COLUMNS)


def app_visits_csv(con: duckdb.DuckDBPyConnection) -> bytes:
    """The app's visits as a UTF-8 CSV that a spreadsheet opens safely (made on a click: kam.ui.dashboard.made_for
    gives it the language of the page that offered it)."""
    return downloads.csv_bytes(export_app_visits(con))


def app_visits_parquet(con: duckdb.DuckDBPyConnection) -> bytes:
    """The app's visits as a Parquet file."""
    buffer = io.BytesIO()
    export_app_visits(con).write_parquet(buffer)
    return buffer.getvalue()

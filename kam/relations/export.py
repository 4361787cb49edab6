"""Everything entered in the app, table by table, for the CRM."""

from __future__ import annotations

import duckdb
import polars as pl

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

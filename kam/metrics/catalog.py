"""The choices the filters offer: regions and managers present in the data."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.store import db


def regions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every region of an account or a manager, sorted."""
    frame = db.query(
        con,
        """
        SELECT region FROM accounts
        UNION
        SELECT region FROM managers
        ORDER BY region
        """,
    )
    return frame.get_column("region").to_list()


def managers(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every manager's id, name and region, sorted by id."""
    return db.query(con, "SELECT manager_id, name, region, email, active FROM managers ORDER BY manager_id")


def data_version(con: duckdb.DuckDBPyConnection) -> tuple:
    """Changes whenever a load lands or a visit is entered, edited or deleted in the app."""
    return tuple(
        con.execute(
            """
            SELECT (SELECT max(load_id) FROM load_history),
                   (SELECT max(loaded_at) FROM load_history),
                   (SELECT count(*) FROM visits_app),
                   (SELECT max(updated_at) FROM visits_app)
            """
        ).fetchall()[0]
    )

"""Row-level access: which accounts a user may see. Applied once, to the scope every query takes."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.people.users import User
from kam.store import db


def allowed_accounts(con: duckdb.DuckDBPyConnection, user: User) -> frozenset[str] | None:
    """None (no restriction) for the VP and admins; a manager's own accounts otherwise."""
    if user.sees_everything:
        return None
    frame = db.query(
        con,
        "SELECT account_id FROM accounts WHERE manager_id = $manager_id",
        {"manager_id": user.manager_id},
    )
    return frozenset(frame.get_column("account_id").to_list())


def visible_managers(managers: pl.DataFrame, user: User) -> pl.DataFrame:
    """The managers a user may pick in the filters: all, or only themselves."""
    return managers if user.sees_everything else managers.filter(pl.col("manager_id") == user.manager_id)


def visible_regions(con: duckdb.DuckDBPyConnection, regions: list[str], user: User) -> list[str]:
    """The regions a user may pick: all, or those of their own accounts."""
    if user.sees_everything:
        return regions
    frame = db.query(
        con,
        "SELECT DISTINCT region FROM accounts WHERE manager_id = $manager_id ORDER BY region",
        {"manager_id": user.manager_id},
    )
    return frame.get_column("region").to_list()

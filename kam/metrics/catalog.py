"""The choices the filters offer: regions and managers present in the data."""

from __future__ import annotations

from collections.abc import Sequence

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


def manager_regions(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each manager's regions (manager_id, region): their own, and those of the accounts they manage, whose
    figures the region filter counts."""
    return db.query(
        con,
        """
        SELECT manager_id, region FROM managers
        UNION
        SELECT manager_id, region FROM accounts
        ORDER BY manager_id, region
        """,
    )


def managers_of_regions(
    managers: Sequence[str], regions_of: pl.DataFrame, regions: Sequence[str], chosen: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    """The manager filter once regions are chosen: (the managers it offers, in the order of managers; those of
    chosen outside the regions).

    It offers the managers of the regions (regions_of, from manager_regions) and keeps those already chosen
    whatever their region, so that a choice never changes unasked (nor a shared link); every manager while no
    region is chosen.
    """
    if not regions:
        return list(managers), []
    of_regions = set(regions_of.filter(pl.col("region").is_in(list(regions)))["manager_id"])
    offered = [m for m in managers if m in of_regions or m in chosen]
    return offered, [m for m in chosen if m not in of_regions]


# What users enter in the app that figures read, and when each row last changed: a row added, removed or changed
# moves the data version (visits, contacts, account plans and their actions, quarterly reviews, targets).
ENTERED = {
    "visits_app": "updated_at",
    "contacts_app": "updated_at",
    "account_plans": "updated_at",
    "plan_actions": "updated_at",
    "quarterly_reviews": "updated_at",
    "targets_app": "entered_at",
}
_ENTERED_SQL = ",\n".join(
    f"(SELECT count(*) FROM {table}), (SELECT max({changed}) FROM {table})" for table, changed in ENTERED.items()
)


def data_version(con: duckdb.DuckDBPyConnection) -> tuple:
    """Changes whenever a load lands or what users enter in the app (ENTERED) is added, changed or removed.

    The load comes first (load id, then its time): the warm-up starts again for a new load only.
    """
    return tuple(
        con.execute(
            f"""
            SELECT (SELECT max(load_id) FROM load_history),
                   (SELECT max(loaded_at) FROM load_history),
                   {_ENTERED_SQL}
            """
        ).fetchall()[0]
    )

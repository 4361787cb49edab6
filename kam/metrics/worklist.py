"""An account manager's worklist: the accounts overdue or soon due for a visit, most urgent first."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.i18n import _, ngettext
from kam.metrics.scope import Scope
from kam.metrics.visits import visit_status

COLUMNS = (
    "account_id",
    "name",
    "tier",
    "region",
    "manager_id",
    "manager_name",
    "last_visit",
    "last_channel",
    "days_since_visit",
    "cadence",
    "due_date",
    "days_overdue",
    "overdue",
    "never_visited",
)


def worklist(con: duckdb.DuckDBPyConnection, scope: Scope, within_days: int = 7) -> pl.DataFrame:
    """Active accounts in scope that are overdue at D or fall due within within_days after D, most urgent first.

    due_date is the last day the account is still within its cadence; days_overdue is
    negative for the days still left. Most urgent: tier A before B and C, then most days overdue.
    """
    status = visit_status(con, scope)
    return (
        status.filter(pl.col("days_overdue") >= -within_days)
        .with_columns(due_date=pl.lit(scope.as_of) - pl.duration(days=pl.col("days_overdue")))
        .sort(["tier", "days_overdue", "account_id"], descending=[False, True, False])
        .select(COLUMNS)
    )


def labels(due: pl.DataFrame) -> dict[str, str]:
    """Account id → how the worklist names it: name, id, and how late or how soon."""
    named = {}
    for row in due.iter_rows(named=True):
        days = row["days_overdue"]
        if row["never_visited"] and days > 0:
            when = _("never visited")
        elif days > 0:
            when = ngettext("{days} day overdue", "{days} days overdue", days).format(days=days)
        else:
            when = ngettext("due in {days} day", "due in {days} days", -days).format(days=-days)
        named[row["account_id"]] = _("{name} ({account}) · tier {tier} · {when}").format(
            name=row["name"], account=row["account_id"], tier=row["tier"], when=when
        )
    return named

"""An account manager's worklist: the accounts overdue or soon due for a visit, most urgent first."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from kam.i18n import _, ngettext
from kam.metrics.scope import Scope
from kam.metrics.visits import as_read, visit_status
from kam.present.formatting import beside_id

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


def counted_to(today: date, figures_on: date) -> str:
    """The worklist's first line: it counts to today, and, where the other pages' figures are of another day (the
    sidebar's period ended earlier, or the exports run to an earlier day), which: an account 14 days overdue here
    can be 2 days overdue there."""
    if today == figures_on:
        return _(
            "As of today, {today}, with every visit you have logged: tiers A, B, C in turn, the most overdue first in "
            "each."
        ).format(today=f"{today:%Y-%m-%d}")
    return _(
        "As of today, {today}, with every visit you have logged; the other pages' figures are as of {figures_on}. "
        "Tiers A, B, C in turn, the most overdue first in each."
    ).format(today=f"{today:%Y-%m-%d}", figures_on=f"{figures_on:%Y-%m-%d}")


def when_due(days_overdue: int, never_visited: bool) -> str:
    """How late or how soon an account's visit is, in words."""
    if never_visited and days_overdue > 0:
        return _("never visited")
    if days_overdue > 0:
        return ngettext("{days} day overdue", "{days} days overdue", days_overdue).format(days=days_overdue)
    if days_overdue == 0:
        return _("due today")
    return ngettext("due in {days} day", "due in {days} days", -days_overdue).format(days=-days_overdue)


def labels(due: pl.DataFrame) -> dict[str, str]:
    """Account id → how the worklist's chooser names it: name and id, as its table does.

    How late or how soon is left to the table under the chooser: the chosen account shows on one line, about
    300 px on a phone 390 px wide, and with it that line was cut.
    """
    return {account: beside_id(name, account) for account, name in zip(due["account_id"], due["name"], strict=True)}


def listed(due: pl.DataFrame) -> pl.DataFrame:
    """The worklist as its table reads: the account, how late or how soon in words, the due date, its tier and
    cadence; the days overdue as a number last (a negative number of days left reads poorly on a phone)."""
    words = [when_due(days, never) for days, never in zip(due["days_overdue"], due["never_visited"], strict=True)]
    return as_read(
        due.with_columns(pl.Series("due_status", words, dtype=pl.String)).select(
            "account_id",
            "name",
            "due_status",
            "due_date",
            "tier",
            "days_since_visit",
            "cadence",
            "days_overdue",
            "never_visited",
        )
    )

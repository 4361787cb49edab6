"""The one write path: every change to the database is a unit of work run by ``write``.

``write(con, work)`` runs ``work(cursor)`` in one transaction on a cursor of its own, so the
change and its audit row (``kam.store.audit.record(cursor, ...)``) commit together or not at
all. A write that meets a DuckDB transaction conflict (another session changed the same rows)
is rolled back and run again after a jittered back-off; when the conflicts outlast the retries,
nothing was saved and the caller's ``busy`` error says so in words for the user.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable
from typing import TypeVar

import duckdb

from kam.i18n import N_, _

T = TypeVar("T")
# Runs of a write that meets a transaction conflict, and the first back-off in seconds.
ATTEMPTS = 6
BACKOFF = 0.01
BUSY_MESSAGE = N_("The database is busy and nothing was saved. Please try again in a moment.")


class Busy(Exception):
    """The database kept refusing the write after every retry; nothing was saved. str() is for the user."""


def write(
    con: duckdb.DuckDBPyConnection,
    work: Callable[[duckdb.DuckDBPyConnection], T],
    *,
    busy: type[Exception] = Busy,
    attempts: int | None = None,
    also_conflicts: tuple[type[Exception], ...] = (),
) -> T:
    """Run work(cursor) in one transaction, retrying on write conflicts; its result once committed.

    Any other error rolls the transaction back and propagates. After the last conflict,
    ``busy(BUSY_MESSAGE)`` is raised. work may run more than once, so it must not keep
    anything outside the transaction. also_conflicts: errors that mean a conflict for this
    work too (two first inserts of one key at once fail as a constraint violation).
    """
    attempts = attempts or ATTEMPTS
    for attempt in range(attempts):
        # Its own cursor: its own transaction, whatever the caller's cursor is doing.
        with con.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                result = work(cur)
                cur.execute("COMMIT")
                return result
            except (duckdb.TransactionException, *also_conflicts):
                _rollback(cur)
                if attempt == attempts - 1:
                    break
            except BaseException:
                _rollback(cur)
                raise
        _pause(attempt)
    raise busy(_(BUSY_MESSAGE))


def _pause(attempt: int) -> None:
    # Jittered exponential back-off, so that writers that collided do not collide again.
    time.sleep(BACKOFF * 2**attempt * random.uniform(0.5, 1.5))


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    # A failed COMMIT may already have ended the transaction.
    with contextlib.suppress(duckdb.Error):
        cur.execute("ROLLBACK")

"""A manager's attention lists read from the whole company's: the same rows, in the same order, as their own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from kam.config import settings
from kam.ingest.bootstrap import open_database
from kam.metrics import attention
from kam.ui import warmup


@pytest.mark.parametrize("metric", sorted(attention.OF_ONE_ACCOUNT_EACH, key=lambda m: m.__name__))
def test_each_managers_list_is_the_whole_lists_rows_of_their_accounts(demo_database: Path, metric):
    with open_database(demo_database, settings().demo_dir) as con:
        week = warmup.default_scope(con)
        portfolios = con.execute("SELECT manager_id, list(account_id) FROM accounts GROUP BY manager_id").fetchall()
        rows = 0
        # The overview asks for the period and for open breaches the period before.
        for scope in (week, week.previous()):
            whole = metric(con, scope)
            rows += whole.height
            for _manager, accounts in portfolios:
                own = replace(scope, allowed_accounts=frozenset(accounts))
                assert_frame_equal(attention.of_accounts(whole, tuple(sorted(accounts))), metric(con, own))
    # The demo data has no account plans: every other list has rows to compare.
    assert rows > 0 or metric is attention.overdue_plan_actions

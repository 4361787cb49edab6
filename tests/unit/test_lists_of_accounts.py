"""A manager's attention lists read from the whole company's: the same rows, in the same order, as their own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from kam.config import settings
from kam.ingest.bootstrap import open_database
from kam.metrics import attention, tiers
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


def test_the_suggested_tiers_of_any_scope_are_the_whole_companys_rows_of_its_accounts(demo_database: Path):
    with open_database(demo_database, settings().demo_dir) as con:
        week = warmup.default_scope(con)
        company = tiers.abc_suggestion(con, week)
        portfolios = con.execute("SELECT manager_id, list(account_id) FROM accounts GROUP BY manager_id").fetchall()
        scopes = [replace(week, allowed_accounts=frozenset(accounts)) for _manager, accounts in portfolios]
        # The sidebar's filters, alone and with a manager's own accounts; a filter that leaves nothing.
        scopes += [
            replace(week, regions=("华东",)),
            replace(week, tiers=("A", "C")),
            replace(week, managers=("M02", "M05"), tiers=("B",)),
            replace(scopes[0], regions=("华东", "华南"), tiers=("A",)),
            replace(week, allowed_accounts=frozenset()),
        ]
        held = 0
        for scope in scopes:
            allowed = None if scope.allowed_accounts is None else tuple(sorted(scope.allowed_accounts))
            derived = tiers.suggestions_in_scope(company, allowed, scope.regions, scope.managers, scope.tiers)
            assert_frame_equal(derived, tiers.abc_suggestion(con, scope))
            held += derived.height
        assert held > 0

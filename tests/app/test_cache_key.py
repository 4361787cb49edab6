"""The key under which a metric call's result is shared by every session: each argument tells results apart."""

from __future__ import annotations

from datetime import date

from kam.config import settings
from kam.metrics.scope import Scope
from kam.ui import dashboard

SCOPE = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 6, 30), policy=settings())
VERSION = ("kam.duckdb", 3, "2026-07-01 02:00", 12, None)


def key(scope: Scope = SCOPE, version: tuple = VERSION, options: tuple = (), language: str = "zh-CN") -> str:
    return dashboard.call_key("kam.metrics.revenue.revenue_summary", scope, version, options, language)


def test_the_same_call_has_the_same_key():
    same = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 6, 30), policy=settings())
    assert key(same) == key()


def test_every_argument_tells_results_apart():
    others = [
        key(SCOPE.with_period(date(2026, 4, 1), date(2026, 6, 30))),
        key(SCOPE.only(region="华东")),
        # A manager's own accounts, and another manager's: never the VP's result, nor each other's.
        key(Scope(SCOPE.as_of, SCOPE.start, SCOPE.end, allowed_accounts=frozenset({"K1"}), policy=settings())),
        key(Scope(SCOPE.as_of, SCOPE.start, SCOPE.end, allowed_accounts=frozenset({"K2"}), policy=settings())),
        key(version=("kam.duckdb", 4, "2026-07-02 02:00", 12, None)),
        key(version=("kam.duckdb", 3, "2026-07-01 02:00", 13, None)),
        key(options=(("by", "tier"),)),
        # A metric may name what it finds in words: the Chinese reader never gets the English result.
        key(language="en"),
    ]
    assert len({key(), *others}) == len(others) + 1

"""The served dashboard's warm-up: the VP's default overview is in the shared cache before anyone asks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kam import i18n
from kam.config import settings
from kam.metrics import attention
from kam.reports import overview
from kam.reports.snapshot import headline_figures
from kam.store import db
from kam.ui import dashboard, warmup
from tests.apptest import start


def _never(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("computed again: the warm-up left this call out")


def test_the_warm_up_fills_every_call_of_the_default_overview(portfolio: Path, monkeypatch: pytest.MonkeyPatch):
    start("tiers")  # builds the deployment's database from the portfolio
    with db.connect(portfolio) as con:
        version = dashboard.data_version(con)
        scope = warmup.default_scope(con)
        expected_now = headline_figures(con, scope)
        expected_breaches = attention.open_breaches(con, scope.previous())
    # The portfolio's exports run to 2026-08-01 (its last tier change, a Saturday): the last full week is
    # 07-20 to 07-26, as of its Sunday.
    assert (scope.start, scope.end, scope.as_of) == (date(2026, 7, 20), date(2026, 7, 26), date(2026, 7, 26))
    assert scope.allowed_accounts is None and not scope.restricts_accounts
    monkeypatch.setattr(warmup, "_serving", True)
    warmup.warm(version)
    calls = overview.calls(scope)
    # This week, the year to date, the week before (figures and breaches), months, ties, 8 lists.
    assert len(calls) == 14
    for language in i18n.LANGUAGES:
        for metric, scoped, options in calls:
            name = f"{metric.__module__}.{metric.__qualname__}"
            ordered = tuple(sorted(options.items()))
            key = dashboard.call_key(name, scoped, version, ordered, language)
            # A hit returns the kept result without calling the function given.
            dashboard._run(key, ordered, language, _never, scoped)
    assert dashboard.cached_for(version, settings().language, headline_figures, scope) == expected_now
    kept = dashboard.cached_for(version, "en", attention.open_breaches, scope.previous())
    assert kept.equals(expected_breaches)

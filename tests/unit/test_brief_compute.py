"""The weekly brief gets every metric through one compute callable: the dashboard's reads its shared results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kam.metrics.scope import Scope
from kam.reports import brief, render
from kam.store import db
from tests.portfolio import build

YEAR = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31))
MADE = datetime(2026, 7, 1, 8, 30)
# A stand-in for the charts Chromium would draw: the brief embeds whatever PNG bytes it is given.
PNG = b"\x89PNG\r\n\x1a\nstand-in"


@pytest.fixture
def drawn_without_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts "drawn" at once, so that the brief asks for their figures without a Chromium run."""
    monkeypatch.setattr(render, "find_browser", lambda configured="": "/usr/bin/chromium")
    monkeypatch.setattr(render, "chart_pngs", lambda figures, browser, **_: [PNG] * len(figures))


def test_every_metric_of_the_brief_goes_through_compute_and_the_file_is_the_same(
    tmp_path: Path, drawn_without_chromium: None
):
    seen: list[tuple[str, str, dict[str, Any]]] = []
    with db.connect(build(tmp_path)) as con:

        def passing(metric: Callable[..., Any], scope: Scope, **options: Any) -> Any:
            period = "now" if scope == YEAR else "before" if scope == YEAR.previous() else "other"
            seen.append((f"{metric.__module__}.{metric.__qualname__}", period, options))
            return metric(con, scope, **options)

        direct = brief.weekly_brief(con, YEAR, made=MADE)
        through = brief.weekly_brief(con, YEAR, made=MADE, compute=passing)
    assert through == direct
    # The headline figures now and for the previous period, the overview's eight attention lists in its order,
    # the managers' scorecard, then the three charts' metrics.
    assert seen == [
        ("kam.reports.snapshot.headline_figures", "now", {}),
        ("kam.reports.snapshot.headline_figures", "before", {}),
        ("kam.metrics.attention.overdue_key_accounts", "now", {}),
        ("kam.metrics.attention.open_breaches", "now", {}),
        ("kam.metrics.attention.satisfaction_drops", "now", {}),
        ("kam.metrics.attention.managers_behind_pace", "now", {}),
        ("kam.metrics.attention.fell_into_at_risk", "now", {}),
        ("kam.metrics.attention.over_credit_limit", "now", {}),
        ("kam.metrics.attention.overdue_plan_actions", "now", {}),
        ("kam.metrics.attention.key_accounts_without_executive_ties", "now", {}),
        ("kam.metrics.managers.scorecard", "now", {}),
        ("kam.metrics.tiers.tier_distribution", "now", {}),
        ("kam.metrics.visits.visit_coverage", "now", {"by": "tier"}),
        ("kam.metrics.revenue.revenue_by_month", "now", {}),
    ]
    # The hand-worked year to 2026-06-30 (tests/unit/test_brief.py): the figures the compute gave are shown.
    assert "Revenue<b>¥4,900</b><small>+716.7%</small>" in through
    assert "<h2>Complaints past SLA, still open (2)</h2>" in through
    assert through.count("data:image/png;base64,") == 3

"""The overview's weekly brief, made on click, reads the results the page run shares rather than querying again."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kam.metrics import tiers
from kam.reports import brief, overview, render
from tests.apptest import start

HTML_BRIEF = "Download the weekly brief (HTML)"


def _counting(metric: Callable[..., Any], calls: dict[str, int]) -> Callable[..., Any]:
    # Same module and name as the metric: the same key in the shared cache.
    @functools.wraps(metric)
    def counted(*args: Any, **options: Any) -> Any:
        calls[metric.__name__] = calls.get(metric.__name__, 0) + 1
        return metric(*args, **options)

    return counted


def test_the_brief_is_made_from_the_page_runs_shared_results(
    portfolio: Path, offered_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    at = start("overview", as_of="2026-06-30")
    assert not at.exception
    make = offered_data[HTML_BRIEF]
    # From now on, count what is computed; the charts are "drawn" at once, so that their metrics are asked for.
    calls: dict[str, int] = {}
    monkeypatch.setattr(brief, "headline_figures", _counting(brief.headline_figures, calls))
    monkeypatch.setattr(
        overview,
        "SECTIONS",
        [section._replace(metric=_counting(section.metric, calls)) for section in overview.SECTIONS],
    )
    monkeypatch.setattr(tiers, "tier_distribution", _counting(tiers.tier_distribution, calls))
    monkeypatch.setattr(render, "find_browser", lambda configured="": "/usr/bin/chromium")
    monkeypatch.setattr(render, "chart_pngs", lambda figures, browser, **_: [b"\x89PNG stand-in"] * len(figures))

    first = make()
    # The headline figures (now and before) and the eight attention lists were computed by the page run:
    # only the tier counts, which the overview does not show, are computed for the brief.
    assert calls == {"tier_distribution": 1}
    # The hand-worked year to 2026-06-30 (tests/unit/test_brief.py).
    assert "Complaint SLA met<b>60.0%</b>" in first
    assert "<h2>Complaints past SLA, still open (2)</h2>" in first
    # A second click computes nothing.
    calls.clear()
    make()
    assert calls == {}

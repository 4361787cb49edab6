"""The overview's weekly brief, made on click, reads the results the page run shares rather than querying again."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kam.ingest import bootstrap, loader
from kam.metrics import catalog, tiers
from kam.people.users import User
from kam.reports import brief, overview, render
from kam.store import db
from kam.ui import dashboard
from kam.visits import log as visit_log
from kam.visits.rules import VisitDraft
from tests.apptest import start
from tests.portfolio import write_exports

# The year to date: a brief of the period, not the weekly one.
HTML_BRIEF = "Download the brief (HTML)"
WANG = User("wangwei", "王伟", "manager", "M1")
LI = User("lina", "李娜", "manager", "M2")


@pytest.fixture(autouse=True)
def _charts_drawn_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Chromium is found and every chart is "drawn" at once, so that the brief asks for every chart's metric."""
    monkeypatch.setattr(render, "find_browser", lambda configured="": "/usr/bin/chromium")
    monkeypatch.setattr(render, "chart_pngs", lambda figures, browser, **_: [b"\x89PNG stand-in"] * len(figures))


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
    # From now on, count what is computed.
    calls: dict[str, int] = {}
    monkeypatch.setattr(brief, "headline_figures", _counting(brief.headline_figures, calls))
    monkeypatch.setattr(
        overview,
        "SECTIONS",
        [section._replace(metric=_counting(section.metric, calls)) for section in overview.SECTIONS],
    )
    monkeypatch.setattr(tiers, "tier_distribution", _counting(tiers.tier_distribution, calls))

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


def _managers_table(brief_html: str) -> str:
    """The brief's table of managers."""
    return re.search(r"<h2>Managers \(3\)</h2>.*?</table>", brief_html, re.S).group(0)


def test_the_brief_is_made_from_the_data_as_it_is_when_clicked_and_from_one_state_of_it(
    portfolio: Path, offered_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    at = start("overview", as_of="2026-06-30")
    assert not at.exception
    make = offered_data[HTML_BRIEF]
    # The page's results have left the shared cache (it keeps the 2,000 latest): the brief computes every figure.
    dashboard._run.clear()

    # While the brief is being made (its attention lists computed, its scorecard not yet), 王伟 logs our senior
    # management's visit to K1 (A) and 李娜 a visit to K5 (B, last visited 03-20: overdue). K1 then has its
    # executive ties, and 李娜's coverage goes from 1 of her 2 active accounts to 2 of 2.
    def visit_meanwhile() -> None:
        executive = VisitDraft("K1", date(2026, 6, 29), "in_person", "thank", executive=True)
        overdue = VisitDraft("K5", date(2026, 6, 29), "phone", "thank")
        with db.connect(portfolio) as con:
            visit_log.save_visit(con, executive, WANG, now=datetime(2026, 6, 29, 17))
            visit_log.save_visit(con, overdue, LI, now=datetime(2026, 6, 29, 17))

    managers = catalog.managers
    pending = [visit_meanwhile]

    def names_then_visit(con: Any) -> Any:
        names = managers(con)
        while pending:
            pending.pop()()
        return names

    monkeypatch.setattr(catalog, "managers", names_then_visit)
    during = make()
    # Every part of it reads the data as it was when it was clicked: the visits are in none of them.
    coverage = "<td>李娜 (M2)</td><td class=n>2</td><td class=n>¥900</td><td class=n>2.5%</td><td class=n>{}</td>"
    assert "<h2>A-accounts without executive ties (1)</h2>" in during
    assert coverage.format("50.0%") in _managers_table(during)

    # Clicked again (the page not run since): the visits are in every part.
    after = make()
    assert "<h2>A-accounts without executive ties (0)</h2>" in after
    assert coverage.format("100.0%") in _managers_table(after)


def test_a_brief_clicked_after_a_nightly_load_gives_the_loaded_figures(
    portfolio: Path, offered_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    at = start("overview", as_of="2026-06-30")
    assert not at.exception
    make = offered_data[HTML_BRIEF]
    # Overnight, the command line loads exports with 李娜's visit to K5 (B, overdue since 03-20) on 06-29;
    # nobody opens a page before the brief is clicked in the morning.
    nightly = tmp_path / "nightly"
    nightly.mkdir()
    write_exports(
        nightly,
        visits=("V7,K4,M2,2026-05-01,in_person,,\n", "V7,K4,M2,2026-05-01,in_person,,\nV8,K5,M2,2026-06-29,phone,,\n"),
    )
    bootstrap.load_apart(portfolio, loader.folder_files(nightly), "nightly", by=None)
    coverage = "<td>李娜 (M2)</td><td class=n>2</td><td class=n>¥900</td><td class=n>2.5%</td><td class=n>{}</td>"
    assert coverage.format("100.0%") in _managers_table(make())

"""The weekly brief is one self-contained HTML file with the overview's figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kam.metrics.scope import Scope
from kam.reports.brief import weekly_brief
from kam.store import db
from tests.portfolio import build


def test_brief_holds_the_figures_and_opens_offline(tmp_path):
    path = build(tmp_path)
    with db.connect(path) as con:
        con.execute("UPDATE accounts SET name = '<script>alert(1)</script>' WHERE account_id = 'K2'")
        html = weekly_brief(con, Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31)))
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>Weekly brief · 2026-01-01 – 2026-06-30 · all regions/managers/tiers</h1>" in html
    # Headline figures of the hand-worked year to 2026-06-30 (tests/unit/test_kpis.py).
    assert "Visit coverage<b>75.0%</b>" in html
    assert "Complaint SLA met<b>60.0%</b>" in html
    assert "Revenue<b>¥4,900</b>" in html
    # Open breaches C2 and C3; K2's name, taken from an export, is shown as text, never run.
    assert "C2" in html and "C3" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    # plotly.js is inline: nothing is fetched when the file is opened.
    assert '<script src="http' not in html
    assert "Plotly.newPlot" in html
    assert len(html) > 1_000_000


def test_the_heading_names_the_period_and_the_filters(tmp_path):
    # The week of Monday 2026-06-29, as of Tuesday 06-30: its figures run to that day.
    week = Scope(as_of=date(2026, 6, 30), start=date(2026, 6, 29), end=date(2026, 7, 5))
    with db.connect(build(tmp_path)) as con:
        filtered = weekly_brief(con, replace(week, regions=("华东",), tiers=("A",)))
        own = weekly_brief(con, replace(week, allowed_accounts=frozenset({"K1", "K2", "K6"})))
    heading = "Weekly brief · 2026-06-29 – 2026-06-30 · Region 华东 · Tier A"
    assert f"<title>{heading}</title>" in filtered and f"<h1>{heading}</h1>" in filtered
    # Active A-accounts in 华东 at 06-30: K1 alone.
    assert "Active A-accounts<b>1</b>" in filtered and "Active accounts<b>1</b>" in filtered
    # A manager's brief is of their own accounts, never read as the company's.
    assert "<h1>Weekly brief · 2026-06-29 – 2026-06-30 · own accounts only</h1>" in own

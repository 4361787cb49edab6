"""The weekly brief is one self-contained HTML file with the overview's figures."""

from __future__ import annotations

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
    # Headline figures of the hand-worked year to 2026-06-30 (tests/test_kpis.py).
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

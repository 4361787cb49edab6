"""Chart labels that do not collide, and the bundled page icon."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from kam.present import charts

ROOT = Path(__file__).resolve().parents[2]
FAVICON = ROOT / "kam" / "ui" / "favicon.png"


def test_the_pareto_cut_off_labels_sit_under_their_lines_at_the_right():
    # Three accounts of 60, 30 and 10: cumulative 60 %, 90 %, 100 %.
    abc = pl.DataFrame(
        {
            "rank": [1, 2, 3],
            "cumulative_share": [0.6, 0.9, 1.0],
            "account_id": ["K1", "K2", "K3"],
            "name": ["甲", "乙", "丙"],
            "tier": ["A", "B", "C"],
            "suggested_tier": ["A", "B", "C"],
        }
    )
    fig = charts.pareto(abc, {"A": 0.80, "B": 0.95})
    labels = [(a.text, a.y, a.yanchor, a.xanchor) for a in fig.layout.annotations]
    assert labels == [("A cut-off 80%", 0.8, "top", "right"), ("B cut-off 95%", 0.95, "top", "right")]


def test_the_pie_labels_stay_inside_and_below_the_title():
    dist = pl.DataFrame({"tier": ["A", "B", "C"], "revenue_12m": [8000.0, 1000.0, 1000.0]})
    pie = charts.tier_revenue_share(dist)
    trace = pie.data[0]
    assert trace.textposition == "inside"
    assert tuple(trace.domain.y) == (0, 0.86)
    assert pie.layout.uniformtext.mode == "hide"


def test_the_page_icon_is_a_bundled_png_not_an_icon_fetched_online():
    assert FAVICON.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "page_icon=str(dashboard.FAVICON)" in app
    dashboard = (ROOT / "kam" / "ui" / "dashboard.py").read_text(encoding="utf-8")
    assert 'FAVICON = Path(__file__).with_name("favicon.png")' in dashboard

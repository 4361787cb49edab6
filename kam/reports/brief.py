"""The weekly brief: the overview as one self-contained HTML file for the meeting minutes."""

from __future__ import annotations

import html
from datetime import datetime

import duckdb
import plotly.graph_objects as go
import polars as pl

from kam.metrics import attention, managers, tiers, visits
from kam.metrics.filters import describe
from kam.metrics.scope import Scope
from kam.present import charts
from kam.present.formatting import money, number, percent
from kam.reports.snapshot import headline_figures

STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", Arial, sans-serif; margin: 2em; color: #1c2833; }
h1 { font-size: 1.6em; margin-bottom: 0; } h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0; font-size: .9em; }
th, td { border: 1px solid #ccd1d1; padding: .3em .6em; text-align: left; }
th { background: #eaf2f8; } td.n { text-align: right; }
.cards { display: flex; flex-wrap: wrap; gap: 1em; }
.card { border: 1px solid #ccd1d1; border-radius: 6px; padding: .6em 1em; min-width: 11em; }
.card b { display: block; font-size: 1.4em; }
"""


def headline(snapshot: dict) -> list[tuple[str, str]]:
    """The headline cards of the overview as (label, value) pairs."""
    sla, csat, revenue = snapshot["complaint_sla"], snapshot["satisfaction"], snapshot["revenue"]
    return [
        ("Active accounts", number(snapshot["active_accounts"]["total"])),
        ("Active A-accounts", number(snapshot["active_accounts"]["A"])),
        ("Visit coverage", percent(snapshot["visit_coverage"]["total"])),
        ("Visit attainment", percent(snapshot["visit_attainment"])),
        ("Complaint SLA met", percent(sla["met_pct"])),
        ("Satisfaction (mean 1–5)", number(csat["mean"], 2)),
        ("Revenue", money(revenue["period"])),
        ("Revenue attainment", percent(revenue["attainment"])),
        ("Churn rate", percent(snapshot["churn_rate"])),
    ]


def _table(frame: pl.DataFrame) -> str:
    if frame.is_empty():
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    body = []
    for row in frame.iter_rows():
        cells = []
        for value in row:
            numeric = isinstance(value, int | float)
            shown = "–" if value is None else (f"{value:,.2f}" if isinstance(value, float) else str(value))
            cells.append(f"<td{' class=n' if numeric else ''}>{html.escape(shown)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _figure(fig: go.Figure, first: bool) -> str:
    # The first figure carries plotly.js inline, so the file opens offline.
    return fig.to_html(full_html=False, include_plotlyjs=first)


def weekly_brief(con: duckdb.DuckDBPyConnection, scope: Scope) -> str:
    """The brief as a complete HTML document, its heading naming the period and the filters."""
    # The filters are in the heading, so that a filtered brief is never read as company-wide.
    title = f"Weekly brief · {describe(scope).heading()}"
    snapshot = headline_figures(con, scope)
    cards = "".join(
        f"<div class=card>{html.escape(label)}<b>{html.escape(value)}</b></div>" for label, value in headline(snapshot)
    )
    sections = [
        ("A-accounts overdue for a visit", attention.overdue_key_accounts(con, scope)),
        ("Complaints past SLA, still open", attention.open_breaches(con, scope)),
        ("Satisfaction drops", attention.satisfaction_drops(con, scope)),
        ("Managers below target", attention.managers_below_target(con, scope)),
    ]
    card = managers.scorecard(con, scope).select(
        "manager_id", "name", "active_accounts", "revenue", "attainment", "visit_coverage", "sla_met_pct"
    )
    figures = [
        charts.tier_counts(tiers.tier_distribution(con, scope)),
        charts.share_by(
            visits.visit_coverage(con, scope, by="tier"), "tier", "coverage", "Visit coverage", "Tier", "tier"
        ),
    ]
    parts = [
        "<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8>",
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>As of {scope.as_of:%Y-%m-%d}; period {scope.start:%Y-%m-%d} to {scope.period_end:%Y-%m-%d}. "
        f"Made {datetime.now():%Y-%m-%d %H:%M}.</p>",
        f"<div class=cards>{cards}</div>",
        *(f"<h2>{html.escape(title)}</h2>{_table(frame)}" for title, frame in sections),
        f"<h2>Managers</h2>{_table(card)}",
        "<h2>Charts</h2>",
        *(_figure(fig, index == 0) for index, fig in enumerate(figures)),
        "</body></html>",
    ]
    return "\n".join(parts)

"""The brief of a period: one static HTML file (charts as PNGs, no script) and the same as an A4 PDF."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from pypdf import PdfReader

from kam.config import settings
from kam.ingest.bootstrap import open_database
from kam.metrics.scope import Scope
from kam.reports.brief import table_html, weekly_brief, weekly_brief_pdf
from kam.store import db
from tests.portfolio import build

YEAR = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31))
A4_POINTS = (595.28, 841.89)
PNG = re.compile(r'<img alt="[^"]*" src="data:image/png;base64,iVBORw0KGgo')

needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    return build(tmp_path)


@needs_chromium
def test_brief_holds_the_figures_and_charts_and_no_script(tmp_path: Path):
    with db.connect(build(tmp_path, accounts=("K2,乙公司", "K2,<script>alert(1)</script>"))) as con:
        html = weekly_brief(con, YEAR)
    assert html.startswith("<!DOCTYPE html>")
    # A brief of the year to date: no weekly brief.
    assert "<h1>Brief · 2026-01-01 – 2026-06-30 · all regions/managers/tiers</h1>" in html
    # Headline figures of the hand-worked year to 2026-06-30 (tests/unit/test_kpis.py); the
    # previous period of 181 days (2025-07-04 to 2025-12-31) has revenue ¥600 (O8): +716.7%.
    assert "Visit coverage<b>75.0%</b>" in html
    assert "Complaint SLA met<b>60.0%</b>" in html
    assert "Revenue<b>¥4,900</b><small>+716.7%</small>" in html
    # Open breaches C2 and C3, with readable headers and days rather than raw hours.
    assert "<h2>Complaints past SLA, still open (2)</h2>" in html
    assert "<th>Open for (days)</th>" in html and "age_hours" not in html
    # K2's name, taken from an export, is shown as text, never run; the file has no script at all.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    # Three charts drawn on the server, embedded as PNG.
    assert len(PNG.findall(html)) == 3
    assert "@page { size: A4" in html and '"Noto Sans CJK SC"' in html


def test_brief_names_its_filters_and_the_recipients_accounts(portfolio: Path):
    scope = dataclasses.replace(
        YEAR,
        regions=("华东",),
        managers=("M1",),
        tiers=("A",),
        allowed_accounts=frozenset({"K1", "K2"}),
        policy=dataclasses.replace(settings(), browser_path="/nonexistent/chromium"),
    )
    with db.connect(portfolio) as con:
        html = weekly_brief(con, scope)
    assert "Regions: 华东" in html
    assert "Managers: 王伟 (M1)" in html
    assert "Tiers: A" in html
    # K1 and K2, whether active or not: the cards count the active ones among them.
    assert "Only the recipient&#x27;s own accounts: 2 in all, active or not" in html


def test_without_chromium_the_brief_says_so_and_carries_its_tables(portfolio: Path):
    scope = dataclasses.replace(YEAR, policy=dataclasses.replace(settings(), browser_path="/nonexistent/chromium"))
    with db.connect(portfolio) as con:
        html = weekly_brief(con, scope)
        with pytest.raises(Exception, match="No Chromium"):
            weekly_brief_pdf(con, scope)
    assert "Charts left out: no Chromium on the server" in html
    assert "/nonexistent/chromium" in html
    assert "<img" not in html
    assert "Complaint SLA met<b>60.0%</b>" in html
    assert "<h2>Complaints past SLA, still open (2)</h2>" in html


@needs_chromium
def test_demo_brief_is_small_and_static(demo_database: Path):
    with open_database(demo_database, settings().demo_dir) as con:
        scope = Scope(as_of=date(2026, 11, 20), start=date(2026, 11, 9), end=date(2026, 11, 15))
        html = weekly_brief(con, scope)
    assert len(html.encode("utf-8")) < 1_000_000
    assert "<script" not in html.lower()
    assert len(PNG.findall(html)) == 3
    # Top 10 of a longer list, with the full count in its heading.
    count = int(re.search(r"<h2>Complaints past SLA, still open \((\d+), the first 10\)</h2>", html).group(1))
    assert count > 10
    section = html.split("<h2>Complaints past SLA, still open")[1].split("<h2>")[0]
    assert section.count("<tr>") == 1 + 10


@needs_chromium
def test_pdf_is_a4_and_its_text_is_the_briefs(portfolio: Path):
    with db.connect(portfolio) as con:
        pdf = weekly_brief_pdf(con, YEAR, language="zh-CN")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 1
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(A4_POINTS[0], abs=1) and height == pytest.approx(A4_POINTS[1], abs=1)
    # What copying and searching find: the heading as the HTML has it (tests/unit/test_brief_language.py),
    # 户 and the en dash rather than the Kangxi radical ⼾ (U+2F3E) and the figure dash (U+2012) that
    # Noto Sans CJK draws with the same glyphs.
    text = "\n".join(page.extract_text() for page in pages)
    assert text.splitlines()[0] == "简报 · 2026-01-01 至 2026-06-30 · 全部区域/客户经理/等级"
    assert "客户经理：全部" in text
    assert [c for c in text if "\u2e80" <= c <= "\u2fdf" or c == "\u2012"] == []


def test_the_heading_names_the_period_and_the_filters(tmp_path):
    # The week of Monday 2026-06-29, as of Tuesday 06-30: its figures run to that day.
    week = Scope(as_of=date(2026, 6, 30), start=date(2026, 6, 29), end=date(2026, 7, 5))
    with db.connect(build(tmp_path)) as con:
        filtered = weekly_brief(con, dataclasses.replace(week, regions=("华东",), tiers=("A",)))
        own = weekly_brief(con, dataclasses.replace(week, allowed_accounts=frozenset({"K1", "K2", "K6"})))
    # Two days of the week so far: a brief of them, not a weekly brief.
    heading = "Brief · 2026-06-29 – 2026-06-30 · Region 华东 · Tier A"
    assert f"<title>{heading}</title>" in filtered and f"<h1>{heading}</h1>" in filtered
    # Active A-accounts in 华东 at 06-30: K1 alone.
    assert "Active A-accounts<b>1</b>" in filtered and "Active accounts<b>1</b>" in filtered
    # A manager's brief is of their own accounts, never read as the company's.
    assert "<h1>Brief · 2026-06-29 – 2026-06-30 · own accounts only</h1>" in own


NO_CHROMIUM = dataclasses.replace(settings(), browser_path="/nonexistent/chromium")


@pytest.mark.parametrize(
    ("start", "end", "title"),
    [
        # Its days read "… 至 …" as the brief's first line and the pages say a period.
        # The month to date at 2026-06-30: the whole of June, a brief of it.
        (date(2026, 6, 1), date(2026, 6, 30), "简报 · 2026-06-01 至 2026-06-30 · 区域 华东 · 客户经理 王伟 (M1)"),
        # Monday 06-22 to Sunday 06-28, the last full week: the weekly brief.
        (date(2026, 6, 22), date(2026, 6, 28), "周报 · 2026-06-22 至 2026-06-28 · 区域 华东 · 客户经理 王伟 (M1)"),
        # Tuesday 06-23 to Monday 06-29: seven days, not a week of the calendar.
        (date(2026, 6, 23), date(2026, 6, 29), "简报 · 2026-06-23 至 2026-06-29 · 区域 华东 · 客户经理 王伟 (M1)"),
    ],
    ids=["month", "week", "seven-days"],
)
def test_the_title_is_true_to_the_period_and_names_the_manager_as_the_body_does(
    portfolio: Path, start: date, end: date, title: str
):
    scope = Scope(
        as_of=date(2026, 6, 30), start=start, end=end, regions=("华东",), managers=("M1",), policy=NO_CHROMIUM
    )
    with db.connect(portfolio) as con:
        html = weekly_brief(con, scope, language="zh-CN")
    assert f"<title>{title}</title>" in html and f"<h1>{title}</h1>" in html
    assert "<p class=meta>客户经理：王伟 (M1)</p>" in html


def test_a_brief_table_reads_its_durations_in_one_unit_its_header_names():
    # 40 h and 494 h: their median (267 h) is a day or more, so both read in days, as on the pages.
    frame = pl.DataFrame({"complaint_id": ["C3", "C2"], "age_hours": [40.0, 494.0]})
    made = table_html(frame)
    assert "<th>Open for (days)</th>" in made
    assert re.findall(r"<td class=n>([^<]*)</td>", made) == ["1.7", "20.6"]
    # The brief's first rows of a list read in the unit chosen for the whole list, as its page and CSV do.
    first = table_html(frame.head(1), units={"age_hours": "hours"})
    assert "<th>Open for (hours)</th>" in first
    assert re.findall(r"<td class=n>([^<]*)</td>", first) == ["40.0"]

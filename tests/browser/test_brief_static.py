"""The weekly brief opened in Chromium with JavaScript off still shows its charts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

from kam.metrics.scope import Scope
from kam.reports.brief import weekly_brief
from kam.store import db
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.portfolio import build

OUTPUT = Path(__file__).resolve().parents[1] / "output"


def test_brief_shows_its_charts_without_javascript(tmp_path: Path):
    with db.connect(build(tmp_path)) as con:
        html = weekly_brief(con, Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31)))
    page_file = tmp_path / "brief.html"
    page_file.write_text(html, encoding="utf-8")
    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(java_script_enabled=False, viewport={"width": 900, "height": 1200})
            page.goto(page_file.as_uri())
            page.screenshot(path=OUTPUT / "weekly-brief-no-javascript.png", full_page=True)
            widths = page.locator("figure img").evaluate_all("images => images.map(image => image.naturalWidth)")
            assert page.get_by_text("Complaint SLA met").count() == 1
        finally:
            browser.close()
    # Three charts, each drawn 680 CSS pixels wide at scale 1.5.
    assert widths == [1020, 1020, 1020]

"""The VP downloads the weekly brief from the overview in a real browser, as HTML and as PDF."""

from __future__ import annotations

import io
from pathlib import Path

from playwright.sync_api import Browser
from pypdf import PdfReader

from tests.browser.test_browser import _open, server  # noqa: F401 (the server fixture)

A4 = (595, 842)


def test_the_vp_downloads_the_brief_as_html_then_as_pdf(server: str, browser: Browser):  # noqa: F811
    page = _open(browser, f"{server}/?as_of=2026-06-30", accept_downloads=True)
    with page.expect_download(timeout=120_000) as made:
        page.get_by_role("button", name="Download the weekly brief (HTML)").click()
    brief = Path(made.value.path()).read_text(encoding="utf-8")
    assert made.value.suggested_filename.endswith(".html")
    # The overview opens on the last full week before its as-of date.
    assert "<h1>Weekly brief · 2026-06-22 – 2026-06-28 · all regions/managers/tiers</h1>" in brief
    assert brief.count('<img alt="') == 3
    assert "Charts left out" not in brief

    with page.expect_download(timeout=120_000) as printed:
        page.get_by_role("button", name="Download the weekly brief (PDF, A4)").click()
    pdf = Path(printed.value.path()).read_bytes()
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    assert tuple(round(float(side)) for side in pages[0].mediabox[2:]) == A4
    assert page.locator('[data-testid="stException"]').count() == 0

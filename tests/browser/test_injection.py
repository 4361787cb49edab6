"""In Chromium, names from an export never become links or images: the account and managers pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.test_browser import _open, _settled
from tests.security.injected import HTML_MANAGER, IMAGE, PHISH, write
from tests.serve import serving

# Every link or image in the page, HTML or SVG (Plotly draws its labels in SVG).
FOREIGN = """() => [...document.querySelectorAll('a, img, image')]
    .map(e => e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '')
    .filter(target => target.includes('evil.example'))"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard whose bundled exports carry the injected names, with its demo users."""
    folder = tmp_path_factory.mktemp("injected")
    env = {"KAM_DB_PATH": str(folder / "db" / "kam.duckdb"), "KAM_DEMO_DIR": str(write(folder / "demo"))}
    with serving(env) as url:
        yield url


def _shows(page: Page, text: str) -> None:
    """Wait until the page reads text (the invisible word joiners that keep a URL from becoming a link aside)."""
    page.wait_for_function(
        "text => document.body.innerText.replaceAll('\\u2060', '').includes(text)", arg=text, timeout=60_000
    )


@pytest.mark.parametrize(("account", "name"), [("K1", PHISH), ("K2", IMAGE)])
def test_the_account_view_shows_an_injected_name_as_text(server: str, browser: Browser, account: str, name: str):
    page = _open(browser, f"{server}/account?account={account}&as_of=2026-06-30")
    _shows(page, f"{name} ({account})")
    _settled(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate(FOREIGN) == []


def test_a_crafted_account_link_shows_its_text(server: str, browser: Browser):
    page = _open(browser, f"{server}/account?account=[Sign in again](http://evil.example)")
    _shows(page, "No account matches “[Sign in again](http://evil.example)”")
    assert page.evaluate(FOREIGN) == []


def test_the_managers_page_shows_an_html_manager_name_as_text(server: str, browser: Browser):
    page = _open(browser, f"{server}/managers?as_of=2026-06-30")
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    _settled(page)
    ticks = [tick.text_content() for tick in page.locator(".js-plotly-plot .ytick text").all()]
    assert f"{HTML_MANAGER} (M1)" in ticks
    assert page.evaluate(FOREIGN) == []

"""The browser every browser test drives (Debian's Chromium, headless, one per module) and its tabs kept signed in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The sign-in form's password field (app.py), by its key; and the sidebar's as-of date, on every page once signed in
# (collapsed on a phone). A bare sidebar is no sign: the first run of a page shows Streamlit's list of pages in one
# before the sign-in form.
SIGN_IN_PASSWORD = ".st-key-sign_in_password input"
SIGNED_IN = '[data-testid="stSidebar"] [data-testid="stDateInput"]'
# The tabs kept signed in, by browser, server, user and their context's options (language, screen, device).
_signed_in: dict[tuple, Page] = {}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        for key in [key for key in _signed_in if key[0] == id(chromium)]:
            _signed_in.pop(key).context.close()
        chromium.close()


def signed_in_page(browser: Browser, url: str, username: str, sign_in: Callable[[Page], None], **options) -> Page:
    """The tab kept for that user on that server with these options, gone to url and signed in.

    The tab's first page signs in through the form (sign_in fills and sends it); the next ones are new sessions found
    by the stay-signed-in cookie, as a reload is. A new tab's first drawing of the app (a renderer process started,
    Streamlit's scripts compiled) costs twice the CPU of one in a tab kept open. Where a session was ended meanwhile
    (another test's sign-out or change of the user), the form shows and is filled again.
    """
    parts = urlsplit(url)
    key = (id(browser), f"{parts.scheme}://{parts.netloc}", username, repr(sorted(options.items())))
    if key not in _signed_in:
        _signed_in[key] = browser.new_context(**options).new_page()
    page = _signed_in[key]
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(f"{SIGNED_IN}, {SIGN_IN_PASSWORD}", state="attached", timeout=60_000)
    if page.locator(SIGN_IN_PASSWORD).count() == 1:
        sign_in(page)
        page.wait_for_selector(SIGNED_IN, state="attached", timeout=60_000)
    return page

"""The browser every browser test drives (Debian's Chromium, headless, one per module), its tabs kept signed in and its
tabs of new visitors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

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
# The contexts of new visitors' tabs (fresh_page), by browser and their options.
_visitors: dict[tuple, BrowserContext] = {}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        for key in [key for key in _signed_in if key[0] == id(chromium)]:
            _signed_in.pop(key).context.close()
        for key in [key for key in _visitors if key[0] == id(chromium)]:
            _visitors.pop(key).close()
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


def fresh_page(browser: Browser, url: str, **options) -> Page:
    """A new visitor's tab for the site of url (not yet gone to it): no cookie, nothing stored by the site.

    It opens in the context kept for these options, its other tabs closed, its cookies and the site's storage cleared:
    the context keeps its cache of the app's scripts, which a new context fetches and compiles all again (the sign-in
    page drawn in a new context took 4 to 6 s of CPU, in one that had drawn it before 1 to 1.5 s).
    """
    key = (id(browser), repr(sorted(options.items())))
    if key not in _visitors:
        _visitors[key] = browser.new_context(**options)
    context = _visitors[key]
    for page in context.pages:
        page.close()
    context.clear_cookies()
    page = context.new_page()
    parts = urlsplit(url)
    stored = "local_storage,session_storage,indexeddb,cache_storage,service_workers"
    context.new_cdp_session(page).send(
        "Storage.clearDataForOrigin", {"origin": f"{parts.scheme}://{parts.netloc}", "storageTypes": stored}
    )
    return page

"""Stay signed in, in Chromium: reload, new tab, link; sign-out ends the cookie; deactivation ends open sessions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.test_browser import _settled
from tests.serve import serving, started_demo


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving({"KAM_DB_PATH": str(started_demo(tmp_path_factory.mktemp("stay")))}) as url:
        yield url


def sign_in(context: BrowserContext, url: str, username: str, password: str) -> Page:
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label("User name").fill(username, timeout=60_000)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    # The page goes to the cookie route and comes back to the page asked for.
    page.wait_for_selector('[data-testid="stSidebar"]', state="attached", timeout=60_000)
    _settled(page)
    return page


def shows_sign_in_form(page: Page) -> bool:
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    _settled(page)
    page.get_by_label("User name").or_(page.locator('[data-testid="stSidebar"]')).first.wait_for(timeout=60_000)
    return page.get_by_label("User name").count() == 1


def session_cookie(context: BrowserContext) -> dict:
    [cookie] = [c for c in context.cookies() if c["name"] == "kam_session"]
    return cookie


def test_reload_new_tab_and_link_stay_signed_in_and_sign_out_ends_the_cookie(server: str, browser: Browser):
    context = browser.new_context()
    try:
        page = sign_in(context, f"{server}/tiers", "vp", "vp-demo-2026")
        page.get_by_role("heading", name="Tiers", exact=True).wait_for(timeout=60_000)
        cookie = session_cookie(context)
        assert cookie["httpOnly"] is True
        assert cookie["sameSite"] == "Lax"
        assert cookie["path"] == "/"
        assert "vp" not in cookie["value"].lower().split("-") and len(cookie["value"]) >= 40
        # The page's scripts cannot read it.
        assert "kam_session" not in page.evaluate("document.cookie")

        page.reload(wait_until="domcontentloaded")
        page.get_by_role("heading", name="Tiers", exact=True).wait_for(timeout=60_000)
        assert not shows_sign_in_form(page)

        tab = context.new_page()
        tab.goto(f"{server}/visits", wait_until="domcontentloaded")
        tab.get_by_role("heading", name="Visit compliance", exact=True).wait_for(timeout=60_000)
        assert not shows_sign_in_form(tab)

        saved = cookie["value"]
        tab.get_by_role("button", name="Sign out").click()
        tab.get_by_label("User name").wait_for(timeout=60_000)
        assert [c for c in context.cookies() if c["name"] == "kam_session"] == []
    finally:
        context.close()

    # The saved value, sent again from another browser, opens nothing.
    other = browser.new_context()
    try:
        other.add_cookies([{"name": "kam_session", "value": saved, "url": server}])
        page = other.new_page()
        page.goto(f"{server}/tiers", wait_until="domcontentloaded")
        assert shows_sign_in_form(page)
    finally:
        other.close()


def test_a_link_to_the_start_page_keeps_its_filters_through_sign_in(server: str, browser: Browser):
    context = browser.new_context()
    try:
        # The VP's start page as mailed: a week before the demo's data date, the quarter to date.
        link = f"{server}/?as_of=2026-11-13&period=quarter"
        page = sign_in(context, link, "vp", "vp-demo-2026")
        page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
        assert page.url == link
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.locator('[data-testid="stDateInput"] input').first.input_value() == "2026-11-13"
        period = sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Period").locator("input")
        assert period.input_value() == "Quarter to date"
    finally:
        context.close()


def test_a_deactivated_users_open_sessions_end_at_their_next_request(server: str, browser: Browser):
    manager, admin = browser.new_context(), browser.new_context()
    try:
        worklist = sign_in(manager, server, "m02", "m02-demo-2026")
        worklist.get_by_role("heading", name="My worklist").wait_for(timeout=60_000)
        second = manager.new_page()
        second.goto(f"{server}/overview", wait_until="domcontentloaded")
        second.get_by_role("heading", name="Overview").wait_for(timeout=60_000)

        page = sign_in(admin, f"{server}/admin", "demo-admin", "admin-demo-2026")
        page.get_by_role("heading", name="Admin").wait_for(timeout=60_000)
        page.get_by_role("tab", name="Users").click()
        _settled(page)
        chooser = page.get_by_role("combobox", name="User", exact=True)
        chooser.click()
        chooser.fill("m02")
        page.keyboard.press("Enter")
        # The run for m02 names them on its buttons; until it has drawn, the form on screen is
        # the user shown before (the same labels), and a click there changes nothing of m02's.
        page.get_by_role("button", name="Reset the password of m02").wait_for(timeout=60_000)
        _settled(page)
        page.locator('[data-testid="stCheckbox"] label').filter(has_text="May sign in").first.click()
        page.wait_for_function("() => !document.querySelector('input[aria-label=\"May sign in\"]').checked")
        page.get_by_role("button", name="Save", exact=True).click()
        # Saved once it says so: right after the click the page can still read as settled, before its run has begun.
        page.get_by_text("m02 changed.").wait_for(timeout=60_000)
        _settled(page)

        # Both open tabs of the manager end at their next request, and a reload does not bring them back.
        worklist.get_by_role("link", name="Overview", exact=True).click()
        worklist.get_by_text("Your access to this dashboard has ended; ask an admin.").wait_for(timeout=60_000)
        second.reload(wait_until="domcontentloaded")
        assert shows_sign_in_form(second)
    finally:
        manager.close()
        admin.close()

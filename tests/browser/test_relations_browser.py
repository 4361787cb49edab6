"""A manager on a phone keeps the relationship data: writes a plan, ticks an action done, adds a contact."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.test_browser import _expand, _open, _settled, server  # noqa: F401 (the server fixture)

PHONE = {"width": 390, "height": 844}


def _no_exception(page: Page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_manager_on_a_phone_ticks_an_action_done_and_adds_a_contact(server: str, browser: Browser):  # noqa: F811
    page = _open(browser, f"{server}/plans", "m01", "m01-demo-2026", viewport=PHONE)
    try:
        page.get_by_role("heading", name="Account plans").wait_for(timeout=60_000)
        page.wait_for_function("() => location.search.includes('account=')", timeout=30_000)
        _settled(page)
        account = re.search(r"account=(K\d+)", page.evaluate("location.search")).group(1)
        page.get_by_label("Objectives").fill("Grow the account by 10%")
        page.get_by_role("button", name="Save the plan").click()
        page.get_by_text("Plan saved (version 1).").wait_for(timeout=60_000)
        _settled(page)

        page.get_by_label("New action").fill("Meet the purchasing director")
        due = page.locator('[data-testid="stDateInput"]').filter(has_text="Due on").locator("input")
        due.fill("2030-01-31")
        page.get_by_role("button", name="Add the action").click()
        page.get_by_text("Action added.").wait_for(timeout=60_000)
        _settled(page)
        tick = page.locator('[data-testid="stCheckbox"]').filter(has_text="Meet the purchasing director")
        tick.locator("label").click()
        page.get_by_text("Action marked done.").wait_for(timeout=60_000)
        _settled(page)
        assert tick.locator("input").is_checked()
        _no_exception(page)

        page.close()
        # A new page is a new session: it signs in again, and the link opens the account.
        page = _open(browser, f"{server}/account?account={account}", "m01", "m01-demo-2026", viewport=PHONE)
        page.get_by_role("heading", name="Account view").wait_for(timeout=60_000)
        _settled(page)
        _expand(page, "Add a contact")
        page.get_by_label("Full name").fill("陈总")
        page.get_by_label("Title").fill("总经理")
        expect(page.get_by_label("Full name")).to_have_value("陈总")
        page.get_by_role("button", name="Add the contact").click()
        page.get_by_text("Contact 陈总 added.").wait_for(timeout=60_000)
        _settled(page)
        page.get_by_text("Contacts (1)").wait_for(timeout=30_000)
        _no_exception(page)
    finally:
        page.close()

"""A manager on a phone keeps the relationship data: writes a plan, ticks an action done, adds a contact."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.test_browser import _expand, _open, _settled, server  # noqa: F401 (the server fixture)

PHONE = {"width": 390, "height": 844}


def _told(page: Page, confirmation: str) -> None:
    """Wait for a save's confirmation: said once, in its box on the page, which comes to it whole from the button."""
    saved = page.get_by_test_id("stAlertContentSuccess").get_by_text(confirmation)
    saved.wait_for(timeout=60_000)
    expect(saved).to_be_in_viewport(ratio=1)
    _settled(page)
    assert page.get_by_test_id("stToast").count() == 0


def _no_exception(page: Page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_manager_on_a_phone_ticks_an_action_done_and_adds_a_contact(server: str, browser: Browser):  # noqa: F811
    page = _open(browser, f"{server}/plans", "m01", "m01-demo-2026", viewport=PHONE)
    page.get_by_role("heading", name="Account plans").wait_for(timeout=60_000)
    page.wait_for_function("() => location.search.includes('account=')", timeout=30_000)
    _settled(page)
    account = re.search(r"account=(K\d+)", page.evaluate("location.search")).group(1)
    # As Safari on an iPhone scrolls: the page does not hold what was in sight as the page above changes.
    page.add_style_tag(content="* { overflow-anchor: none !important; }")
    page.get_by_label("Objectives").fill("Grow the account by 10%")
    page.get_by_role("button", name="Save the plan").click()
    _told(page, "Plan saved (version 1).")
    _settled(page)

    page.get_by_label("New action").fill("Meet the purchasing director")
    due = page.locator('[data-testid="stDateInput"]').filter(has_text="Due on").locator("input")
    due.fill("2030-01-31")
    page.get_by_role("button", name="Add the action").click()
    _told(page, "Action added.")
    _settled(page)
    tick = page.locator('[data-testid="stCheckbox"]').filter(has_text="Meet the purchasing director")
    tick.locator("label").click()
    _told(page, "Action marked done.")
    _settled(page)
    assert tick.locator("input").is_checked()
    _no_exception(page)

    # Opened again, a new session: the cookie signs it in again, and the link opens the account.
    page = _open(browser, f"{server}/account?account={account}", "m01", "m01-demo-2026", viewport=PHONE)
    page.get_by_role("heading", name="Account view").wait_for(timeout=60_000)
    _settled(page)
    # As Safari on an iPhone scrolls: the page does not follow what was in sight when the form above folds.
    page.add_style_tag(content="* { overflow-anchor: none !important; }")
    _expand(page, "Add or change a contact")
    page.get_by_label("Full name").fill("陈总")
    page.get_by_label("Title").fill("总经理")
    expect(page.get_by_label("Full name")).to_have_value("陈总")
    page.get_by_role("button", name="Add the contact").click()
    page.get_by_test_id("stAlertContentSuccess").get_by_text("Contact 陈总 added.").wait_for(timeout=60_000)
    _settled(page)
    # Entered today, after the data date the page is as of: listed apart, open, not yet among the account's.
    page.get_by_text("Contacts (0)").wait_for(timeout=30_000)
    expect(
        page.get_by_text(re.compile(r"Entered after \d{4}-\d\d-\d\d, not counted at that date \(1\)"))
    ).to_be_visible()
    # The form folded: the page is back at the list, the new contact and the confirmation in sight.
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="Contact 陈总 added.")).to_be_in_viewport()
    expect(page.get_by_test_id("stDataFrame").filter(has_text="Full name")).to_be_in_viewport()
    # Said once: no toast over the page beside it.
    assert page.get_by_test_id("stToast").count() == 0
    _no_exception(page)


def test_a_contact_refused_on_a_phone_keeps_its_form_open_with_the_message_and_what_was_typed(
    server: str,  # noqa: F811
    browser: Browser,
):
    page = _open(browser, f"{server}/account?account=K0195", "m01", "m01-demo-2026", viewport=PHONE)
    page.get_by_role("heading", name="Account view").wait_for(timeout=60_000)
    _settled(page)
    _expand(page, "Add or change a contact")
    # A first refusal (no name), then a second for another field: the form closed at the second.
    page.get_by_role("button", name="Add the contact").click()
    page.get_by_text("Enter the contact's name.").wait_for(timeout=60_000)
    _settled(page)
    page.get_by_label("Full name").fill("张伟")
    page.get_by_label("Phone").fill("abc")
    page.get_by_role("button", name="Add the contact").click()
    message = page.get_by_text("A phone number has 5 to 40 characters (digits, spaces, +, - and brackets).")
    message.wait_for(timeout=60_000)
    _settled(page)
    form = page.locator('[data-testid="stExpander"]').filter(has_text="Add or change a contact")
    # Once any closing of the form would be over, it is still open.
    page.wait_for_timeout(1_000)
    form.evaluate("e => Promise.all(e.getAnimations({subtree: true}).map(a => a.finished.catch(() => null)))")
    assert form.locator("details").get_attribute("open") is not None
    expect(message).to_be_in_viewport()
    expect(page.get_by_label("Phone")).to_have_value("abc")
    expect(page.get_by_label("Full name")).to_have_value("张伟")
    # Told under the form's button, not in a toast over the page's title.
    expect(form.get_by_text("Not saved: see the messages in red above.")).to_be_attached()
    expect(page.locator('[data-testid="stToast"]')).to_have_count(0)
    page.screenshot(path="/tmp/r9-forms-contact-refused.png")
    _no_exception(page)

"""The running app in headless Chromium: sign-in for each demo role, links, forms and clicks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import fresh_page, signed_in_page
from tests.serve import serving, started_demo


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on the demo data, served on a free loopback port."""
    with serving({"KAM_DB_PATH": str(started_demo(tmp_path_factory.mktemp("browser")))}) as url:
        yield url


# The app's root says whether a script run is going on ("initial" before the first, "running",
# "notRunning" once done); elements of an earlier run still on screen are marked stale until it ends.
SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-stale="true"]');
}"""


# Whether an element is whole in the window, under the page's header.
IN_SIGHT = """e => {
    const box = e.getBoundingClientRect();
    const header = document.querySelector('[data-testid="stHeader"]').getBoundingClientRect();
    return box.top >= header.bottom && box.bottom <= innerHeight;
}"""


def _settled(page: Page) -> None:
    """Wait until the script run has finished: not running, no status widget, no stale element."""
    page.wait_for_function(SETTLED, timeout=60_000, polling=100)


def _expand(page: Page, label: str) -> None:
    """Open an expander and wait until its opening animation is over.

    The content grows for half a second behind a clipping edge: a click in that time can land
    on nothing, as a quick thumb's would.
    """
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=label)
    expander.get_by_text(label).click()
    expander.locator('[data-testid="stExpanderDetails"]').wait_for(state="visible")
    expander.evaluate("e => Promise.all(e.getAnimations({subtree: true}).map(a => a.finished.catch(() => null)))")


def _sign_in(page: Page, username: str, password: str) -> None:
    """Fill in and send the sign-in form with a demo user's credentials."""
    page.get_by_label("User name").fill(username, timeout=60_000)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def _open(browser: Browser, url: str, username: str = "vp", password: str = "vp-demo-2026", **context) -> Page:
    """The module's tab for that demo user and options at url, signed in: through the form the first time, by the
    cookie the next ones."""
    options = {"viewport": {"width": 1366, "height": 768}} | context
    page = signed_in_page(browser, url, username, lambda page: _sign_in(page, username, password), **options)
    _settled(page)
    return page


def _open_signing_in(
    browser: Browser, url: str, username: str = "vp", password: str = "vp-demo-2026", **context
) -> Page:
    """A new visitor's page at url, signed in through the form: for a test of the sign-in, or of its end, the one
    session of that visitor."""
    page = fresh_page(browser, url, **({"viewport": {"width": 1366, "height": 768}} | context))
    page.goto(url, wait_until="domcontentloaded")
    _sign_in(page, username, password)
    # The sidebar exists once signed in (collapsed on a phone).
    page.wait_for_selector('[data-testid="stSidebar"]', state="attached", timeout=60_000)
    _settled(page)
    return page


def test_a_fresh_servers_first_request_going_straight_to_a_page_draws_it(server: str, browser: Browser):
    """The module's first test: its server has served nothing yet. Each page's chart is checked in test_layout."""
    page = _open(browser, f"{server}/managers")
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".js-plotly-plot").count() >= 1


def test_a_wrong_password_is_refused(server: str, browser: Browser):
    page = fresh_page(browser, server)
    try:
        page.goto(server, wait_until="domcontentloaded")
        page.get_by_label("User name").fill("vp", timeout=60_000)
        page.get_by_label("Password", exact=True).fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Wrong user name or password.").wait_for(timeout=60_000)
        assert page.locator(".js-plotly-plot").count() == 0
    finally:
        page.close()


def test_the_admin_signs_in_to_the_admin_page(server: str, browser: Browser):
    page = _open_signing_in(browser, f"{server}/admin", "demo-admin", "admin-demo-2026")
    try:
        page.get_by_role("heading", name="Admin").wait_for(timeout=60_000)
        page.get_by_text("Load history").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


def _options(page: Page, label: str) -> list[str]:
    """The choices of a select box, read from its open drop-down."""
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).locator('[role="combobox"]').click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=30_000)
    texts = options.all_inner_texts()
    page.keyboard.press("Escape")
    return texts


def test_a_manager_logs_a_visit_from_the_worklist_on_a_phone(server: str, browser: Browser):
    page = _open(browser, server, "m01", "m01-demo-2026", viewport={"width": 390, "height": 844})
    page.get_by_role("heading", name="My worklist").wait_for(timeout=60_000)
    most_urgent = _options(page, "Log a visit to")[0]
    name, account = re.search(r"^(.*) \((K\d+)\)", most_urgent).groups()
    # The confirmation names the account beside its id.
    confirmed = f"Visit to {name} ({account}) on"
    page.get_by_role("button", name="Log a visit").click()
    page.get_by_role("heading", name="Log a visit").wait_for(timeout=60_000)
    _settled(page)
    # The phone's Enter key in a field saves nothing, and no English hint says it would.
    next_step = page.get_by_label("Next step", exact=True)
    next_step.fill("Send the quote")
    assert "Press Enter" not in page.locator('[data-testid="stForm"]').inner_text()
    next_step.press("Enter")
    page.wait_for_timeout(1_000)
    _settled(page)
    assert page.get_by_text(confirmed).count() == 0
    channel = page.locator('[data-testid="stSelectbox"]').filter(has_text="Channel")
    channel.locator('[role="combobox"]').click()
    page.get_by_role("option", name="Phone").click()
    # A purpose typed beside a listed one is refused, told under the button (a toast covered the page's title);
    # fixed and saved at once, the refusal goes.
    purpose = page.locator('[data-testid="stSelectbox"]').filter(has_text="Purpose")
    purpose.locator('[role="combobox"]').click()
    page.get_by_role("option").first.click()
    other = page.get_by_label("Purpose, if other")
    other.fill("contract talk")
    page.get_by_role("button", name="Save visit").click()
    not_saved = page.get_by_test_id("stForm").get_by_text("Not saved: see the messages in red above.")
    not_saved.wait_for(timeout=60_000)
    _settled(page)
    assert page.get_by_test_id("stToast").count() == 0
    expect(other).to_have_value("contract talk")
    other.fill("")
    page.get_by_role("button", name="Save visit").click()
    # The page comes back from the form's end to the confirmation, said once (no toast over the title).
    saved = page.get_by_test_id("stAlertContentSuccess").get_by_text(confirmed)
    saved.wait_for(timeout=60_000)
    page.wait_for_function(
        "e => { const box = e.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; }",
        arg=saved.element_handle(),
        timeout=10_000,
    )
    assert not_saved.count() == 0 and page.get_by_test_id("stToast").count() == 0
    page.get_by_role("link", name="Back to my worklist").click()
    page.get_by_role("heading", name="My worklist").wait_for(timeout=60_000)
    _settled(page)
    assert not any(f"({account})" in option for option in _options(page, "Log a visit to"))
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize(
    ("days", "refusal"),
    [(30, "The visit date cannot be in the future."), (-60, "Visits more than 30 days ago cannot be logged")],
    ids=["future", "too-old"],
)
def test_a_visit_date_typed_out_of_range_is_refused_at_the_field_not_saved_as_today(
    server: str, browser: Browser, days: int, refusal: str
):
    typed = date.today() + timedelta(days=days)
    page = _open(browser, f"{server}/log_visit", "m01", "m01-demo-2026", viewport={"width": 390, "height": 844})
    page.get_by_role("heading", name="Log a visit").wait_for(timeout=60_000)
    _settled(page)
    # The field is one segment per part of the date (year, month, day), each typed in turn.
    field = page.get_by_role("group", name="Date of the visit", exact=True)
    field.get_by_role("spinbutton").first.click()
    page.keyboard.type(f"{typed:%Y%m%d}")
    page.keyboard.press("Escape")
    _settled(page)
    channel = page.locator('[data-testid="stSelectbox"]').filter(has_text="Channel")
    channel.locator('[role="combobox"]').click()
    page.get_by_role("option", name="Phone").click()
    page.get_by_label("Next step", exact=True).fill("x" * 501)
    page.get_by_role("button", name="Save visit").click()
    page.get_by_text(refusal).first.wait_for(timeout=60_000)
    _settled(page)
    # Nothing saved (as today or at all), and the field still holds the date typed.
    assert page.get_by_test_id("stAlertContentSuccess").count() == 0
    assert field.inner_text().replace("\n", "").replace(" ", "") == f"{typed:%Y-%m-%d}"
    # The page came from the button up to the first message in red (the account's, none chosen), whole under the
    # page's header; the date's and the next step's further down, and the refusal under the button.
    errors = page.get_by_test_id("stAlertContentError")
    said = errors.get_by_test_id("stMarkdownContainer").all_inner_texts()
    assert said[0] == "Choose the account."
    assert said[1].startswith(refusal)
    assert said[2:] == ["At most 500 characters: now 501, 1 too many.", "Not saved: see the messages in red above."]
    page.wait_for_function(IN_SIGHT, arg=errors.first.element_handle(), timeout=10_000)


def test_a_copied_link_opens_its_view_after_sign_in_and_the_filters_follow_to_other_pages(
    server: str, browser: Browser
):
    # A link made before links carried the period's code names it as the sidebar showed it.
    page = _open_signing_in(browser, f"{server}/tiers?tier=A&period=Quarter+to+date&as_of=2026-10-31")
    try:
        page.get_by_role("heading", name="Tiers", exact=True).wait_for(timeout=60_000)
        # Move on only once the tiers page's run has finished and written its filters to the URL.
        page.wait_for_function("() => location.search.includes('tier=A')", timeout=60_000)
        _settled(page)
        page.get_by_role("link", name="Visit compliance").click()
        page.get_by_role("heading", name="Visit compliance", exact=True).wait_for(timeout=60_000)
        _settled(page)
        # The path changes first; the filters are written back to the URL just after.
        try:
            page.wait_for_function(
                "() => location.pathname === '/visits' && location.search.includes('tier=A')", timeout=60_000
            )
        except PlaywrightTimeout:
            sidebar = page.get_by_test_id("stSidebar").inner_text()
            pytest.fail(f"the visits page's address is {page.url}; its sidebar reads {sidebar!r}")
        query = page.evaluate("location.search")
        assert "tier=A" in query and "period=quarter" in query and "as_of=2026-10-31" in query
    finally:
        page.close()


# The as-of date, the period and the tiers the sidebar shows, once the page's run after Back has set them to what is
# expected.
SIDEBAR_SHOWS = """([day, period, tiers]) => {
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    const field = sidebar.querySelector('[role="group"][aria-label="As of"]');
    const choosers = [...sidebar.querySelectorAll('[data-testid="stSelectbox"]')];
    const chooser = choosers.find(e => e.innerText.includes('Period'));
    const tier = [...sidebar.querySelectorAll('[data-testid="stMultiSelect"]')].find(e => e.innerText.includes('Tier'));
    const shown = [field.innerText.replace(/\\s/g, ''), chooser.querySelector('input').value];
    const chosen = [...tier.querySelectorAll('[data-tag]')].map(e => e.innerText).join(',');
    return shown[0] === day && shown[1] === period && chosen === tiers;
}"""


def test_back_shows_the_as_of_date_period_and_tiers_chosen_before(server: str, browser: Browser):
    """The browser's Back button steps back through the sidebar's as-of dates, periods and filters."""
    page = _open(browser, f"{server}/tiers")
    page.get_by_role("heading", name="Tiers", exact=True).wait_for(timeout=60_000)
    _settled(page)
    field = page.get_by_role("group", name="As of", exact=True)
    data_date = field.inner_text().replace("\n", "").replace(" ", "")
    field.get_by_role("spinbutton").first.click()
    page.keyboard.type("20261015")
    page.keyboard.press("Escape")
    # Leaving the field for the period's chooser sets the date; then the period.
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Period").click()
    page.get_by_role("option", name="Month to date").click()
    page.wait_for_function(
        "() => location.search.includes('period=month') && location.search.includes('as_of=2026-10-15')",
        timeout=60_000,
    )
    _settled(page)
    # Typed, as a click on the field now and then only focuses it without opening its list.
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Tier", exact=True).click()
    page.keyboard.type("A")
    page.get_by_role("option", name="A", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('tier=A')", timeout=60_000)
    _settled(page)
    for day, period, tiers in [
        ("2026-10-15", "Month to date", ""),
        ("2026-10-15", "Last full week", ""),
        (data_date, "Last full week", ""),
    ]:
        page.go_back()
        page.wait_for_function(SIDEBAR_SHOWS, arg=[day, period, tiers], timeout=30_000)
        _settled(page)
    assert "as_of" not in page.evaluate("location.search")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_click_on_an_accounts_row_opens_its_view_at_the_sidebars_date_period_and_tier(server: str, browser: Browser):
    """A page opened from a run (a click on a row) keeps the as-of date, period and tier the sidebar shows: the date
    field came back as today and the period as the last full week."""
    page = _open(browser, f"{server}/risk?period=quarter&as_of=2026-10-31&tier=A")
    page.get_by_role("heading", name="Account risk", exact=True).wait_for(timeout=60_000)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=60_000)
    _settled(page)
    _open_a_row(page, table, 60)
    page.get_by_role("heading", name="Account view", exact=True).wait_for(timeout=60_000)
    _settled(page)
    page.get_by_text("As of 2026-10-31: the account's history up to that day").wait_for(timeout=30_000)
    field = page.get_by_role("group", name="As of", exact=True)
    assert field.inner_text().replace("\n", "").replace(" ", "") == "2026-10-31"
    tier = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Tier")
    assert tier.locator("[data-tag]").all_inner_texts() == ["A"]
    query = page.evaluate("location.search")
    assert "as_of=2026-10-31" in query and "period=quarter" in query and "tier=A" in query, query


def test_a_manager_opening_another_managers_account_sees_nothing_of_it_and_signs_out(server: str, browser: Browser):
    # K0001 (天津丰华汽车电子有限公司) belongs to M07, not to the demo manager M02.
    page = _open_signing_in(browser, f"{server}/account?account=K0001", "m02", "m02-demo-2026")
    try:
        page.get_by_text("No account matches “K0001”").wait_for(timeout=60_000)
        assert "天津丰华汽车电子有限公司" not in page.content()
        assert page.locator('[data-testid="stException"]').count() == 0
        page.get_by_role("button", name="Sign out").click()
        page.get_by_label("User name").wait_for(timeout=60_000)
        page.get_by_role("button", name="Sign out").wait_for(state="detached", timeout=60_000)
        assert page.get_by_text("No account matches").count() == 0
    finally:
        page.close()


def test_clicking_a_tier_bar_lists_the_accounts_behind_it(server: str, browser: Browser):
    page = _open(browser, f"{server}/tiers")
    page.get_by_role("heading", name="Tiers", exact=True).wait_for(timeout=60_000)
    bars = page.locator(".js-plotly-plot").first.locator(".barlayer .point path")
    bars.first.wait_for(timeout=60_000)
    _settled(page)
    assert page.get_by_role("heading", name=re.compile(r"^Active tier-")).count() == 0
    heading = page.get_by_role("heading", name=re.compile(r"^Active tier-B accounts \(\d+\)"))
    # Plotly takes clicks on the layer over the bars: click where the second bar (tier B) is drawn. A chart
    # just drawn on a busy machine may not listen yet: once the page is still again, click again.
    for attempt in range(3):
        box = bars.nth(1).bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            heading.wait_for(timeout=20_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            _settled(page)
    _settled(page)
    count = int(re.search(r"\((\d+)\)", heading.inner_text()).group(1))
    assert count > 0
    # The table of those accounts sits right under the heading, with the picker set to B.
    table = page.locator('[data-testid="stDataFrame"]').filter(has=page.get_by_text("Next visit due"))
    table.first.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0


def _open_a_row(page: Page, table: Locator, x: float, tap: bool = False, row: int = 35) -> None:
    """Click (or tap) an account table's row x px from its left until the account view's address comes.

    The grid draws on a canvas, its header 38 px and rows `row` px high, and may take a click before it listens (a
    busy machine): up to three tries, each on the next row (a second on the same one would take its selection
    back).
    """
    for attempt in range(3):
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        at = (box["x"] + x, box["y"] + 38 + row * attempt + row // 2)
        if tap:
            page.touchscreen.tap(*at)
        else:
            page.mouse.click(*at)
        try:
            page.wait_for_url(re.compile(r"/account\?.*account=K\d+"), timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


def test_a_click_on_any_cell_of_an_account_row_or_its_tick_box_opens_the_account(server: str, browser: Browser):
    page = _open(browser, f"{server}/risk")
    # The grid draws on a canvas: click where the first row's cells are, under the header (38 px, rows 35 px).
    for x, label in ((150, "account cell"), (20, "tick box")):
        if label == "tick box":
            # From the account the cell opened, back to the list.
            page.goto(f"{server}/risk", wait_until="domcontentloaded")
        page.get_by_text("Click a row to open the account.", exact=False).wait_for(timeout=60_000)
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for(timeout=60_000)
        _settled(page)
        _open_a_row(page, table, x)
        page.get_by_role("heading", name="Account view", exact=True).wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0, label


def test_the_language_picked_on_the_sign_in_page_is_the_one_after_signing_in(server: str, browser: Browser):
    # m02 has chosen no language; the browser asks for English.
    page = fresh_page(browser, server, viewport={"width": 390, "height": 844})
    try:
        page.goto(server, wait_until="domcontentloaded")
        page.get_by_text("简体中文", exact=True).click(timeout=60_000)
        page.get_by_label("用户名").fill("m02", timeout=60_000)
        page.get_by_label("密码", exact=True).fill("m02-demo-2026")
        page.get_by_role("button", name="登录").click()
        page.get_by_role("heading", name="我的待办清单").wait_for(timeout=60_000)
        _settled(page)
        assert "My worklist" not in page.locator('[data-testid="stMain"]').inner_text()
    finally:
        page.close()

"""Layout in Chromium at the sizes people use, in Chinese and English: nothing covered, nothing cut off."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page

from kam import i18n
from kam.i18n import _
from tests.browser.test_browser import _settled
from tests.serve import serving

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
# As an Android phone's Chrome names itself: Streamlit and Plotly tell a phone by it.
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
    "Safari/537.36"
)
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
LANGUAGES = ["zh-CN", "en"]
# Screenshots to be looked at (the CI output folder).
OUTPUT = Path(__file__).resolve().parents[1] / "output" / "layout"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving({"KAM_DB_PATH": str(tmp_path_factory.mktemp("layout") / "kam.duckdb")}) as url:
        yield url


def said(message: str, language: str) -> str:
    """A message id as the catalog has it in that language."""
    token = i18n.use_language(language)
    try:
        return _(message)
    finally:
        i18n._language.reset(token)


def _open(browser: Browser, url: str, username: str, password: str, language: str, **context) -> Page:
    """A new page at url in a browser asking for that language, signed in through the form."""
    page = browser.new_page(locale=language, **context)
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label(said("User name", language)).fill(username, timeout=60_000)
    page.get_by_label(said("Password", language), exact=True).fill(password)
    page.get_by_role("button", name=said("Sign in", language)).click()
    page.wait_for_selector('[data-testid="stSidebar"]', state="attached", timeout=60_000)
    _settled(page)
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_worklist_table_toolbar_never_covers_the_log_a_visit_button_on_a_phone(
    server: str, browser: Browser, language: str
):
    page = _open(browser, server, "m01", "m01-demo-2026", language, **PHONE)
    try:
        page.get_by_role("heading", name=said("My worklist", language)).wait_for(timeout=60_000)
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for(timeout=60_000)
        # On a touch screen the table's toolbar (search, download, full screen) is always shown, above its top
        # right corner.
        toolbar = table.locator('[data-testid="stElementToolbar"]')
        assert toolbar.evaluate("e => getComputedStyle(e).opacity") == "1"
        button = page.get_by_role("button", name=said("Log a visit", language))
        box = button.bounding_box()
        for x, y in [(box["width"] - 4, box["height"] - 4), (4, box["height"] - 4), (box["width"] - 4, 4), (4, 4)]:
            # A trial click fails when another element would take the click at that point.
            button.click(trial=True, position={"x": x, "y": y}, timeout=5_000)
        bar = toolbar.bounding_box()
        apart = box["x"] + box["width"] <= bar["x"] or bar["y"] + bar["height"] <= box["y"]
        assert apart, (box, bar)
    finally:
        page.close()


# The boxes of every toolbar of a table or chart and of the text of every heading on the page (a heading's own box
# runs the page's width, with room above and below its text).
TOOLBARS_AND_HEADINGS = """() => {
    const box = (r, text) => ({x: r.x, y: r.y, w: r.width, h: r.height, text: text});
    const text = e => { const range = document.createRange(); range.selectNodeContents(e); return range; };
    const headings = document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3)');
    return {
        toolbars: [...document.querySelectorAll('[data-testid="stElementToolbar"]')].map(
            e => box(e.getBoundingClientRect(), 'toolbar')),
        headings: [...headings].map(e => box(text(e).getBoundingClientRect(), e.innerText)),
    };
}"""


def _overlap(a: dict, b: dict) -> bool:
    across = a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
    return across and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


@pytest.mark.parametrize(
    ("user", "password", "heading"),
    [("m01", "m01-demo-2026", "My worklist"), ("vp", "vp-demo-2026", "Weekly overview")],
    ids=["manager", "vp"],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_table_toolbar_covers_a_heading_on_a_phone(
    server: str, browser: Browser, language: str, user: str, password: str, heading: str
):
    page = _open(browser, server, user, password, language, **PHONE, user_agent=ANDROID)
    try:
        page.get_by_role("heading", name=said(heading, language)).wait_for(timeout=60_000)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
        _settled(page)
        found = page.evaluate(TOOLBARS_AND_HEADINGS)
        # On a touch screen the toolbars are always shown; the page has tables under headings.
        assert len(found["toolbars"]) >= 2, found
        covered = [(bar, head) for bar in found["toolbars"] for head in found["headings"] if _overlap(bar, head)]
        assert not covered, covered
        # Plotly's own bar of buttons (zoom, pan, a picture), shown beside every chart's title on a phone, over the
        # end of a long one: none.
        modebars = page.locator(".modebar")
        assert [modebars.nth(n).is_visible() for n in range(modebars.count())] == [False] * modebars.count()
    finally:
        page.close()


# The width of the columns laid out in a table (the grid draws its headers on a canvas: their positions are
# not in the page), and the width the table shows.
TABLE_WIDTHS = """(table) => {
    const scroller = table.querySelector('.dvn-scroller');
    const stack = table.querySelector('.dvn-stack > div');
    const box = scroller.getBoundingClientRect();
    return {columns: parseFloat(stack.style.width), shown: scroller.clientWidth, left: box.left, right: box.right};
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_managers_accounts_table_shows_its_last_column_on_a_laptop(server: str, browser: Browser, language: str):
    page = _open(browser, f"{server}/managers", "vp", "vp-demo-2026", language, **LAPTOP)
    try:
        page.get_by_role("heading", name=said("A manager's accounts", language)).wait_for(timeout=60_000)
        table = page.locator('[data-testid="stDataFrame"]').last
        table.scroll_into_view_if_needed()
        widths = table.evaluate(TABLE_WIDTHS)
        # Every column fits in the table (no sideways scrolling), and the table in the window: the last
        # column's header ends within the viewport.
        assert widths["columns"] <= widths["shown"], widths
        assert widths["left"] + widths["columns"] <= LAPTOP["viewport"]["width"], widths
    finally:
        page.close()


@pytest.mark.parametrize(
    ("user", "password", "path", "heading"),
    [("vp", "vp-demo-2026", "overview", "Weekly overview"), ("m01", "m01-demo-2026", "worklist", "My worklist")],
    ids=["vp", "manager"],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_link_naming_the_landing_page_opens_it_without_an_english_page_not_found(
    server: str, browser: Browser, language: str, user: str, password: str, path: str, heading: str
):
    page = _open(browser, f"{server}/{path}?tier=A", user, password, language, **LAPTOP)
    try:
        page.get_by_role("heading", name=said(heading, language)).wait_for(timeout=60_000)
        _settled(page)
        # The page at the link's own address, with its filter, and no dialog over it.
        assert page.evaluate("location.pathname") == f"/{path}"
        assert "tier=A" in page.evaluate("location.search")
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_role("dialog").count() == 0
    finally:
        page.close()


@pytest.mark.parametrize(
    ("user", "password", "path", "heading", "title", "role"),
    [
        ("vp", "vp-demo-2026", "worklist", "Weekly overview", "My worklist", "Sales VP"),
        ("m01", "m01-demo-2026", "admin", "My worklist", "Admin", "Account manager"),
    ],
    ids=["vp", "manager"],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_link_to_another_roles_page_opens_the_start_page_saying_why(
    server: str,
    browser: Browser,
    language: str,
    user: str,
    password: str,
    path: str,
    heading: str,
    title: str,
    role: str,
):
    page = _open(browser, f"{server}/{path}", user, password, language, **LAPTOP)
    try:
        page.get_by_role("heading", name=said(heading, language)).wait_for(timeout=60_000)
        _settled(page)
        message = said(
            "The page “{page}” is not available to your role ({role}): your pages are in the sidebar.", language
        )
        shown = message.format(page=said(title, language), role=said(role, language))
        assert page.locator('[data-testid="stAlert"]').filter(has_text=shown).count() == 1
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_role("dialog").count() == 0
        # The sidebar lists the user's own pages, not the one asked for.
        links = [
            link.strip().splitlines()[-1] for link in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        ]
        assert said(title, language) not in links
        assert {said("Overview", language), said("Account view", language)} <= set(links)
    finally:
        page.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_retention_side_tables_show_every_column_at_1366(server: str, browser: Browser, language: str):
    """The tables beside the retention page's charts show their last column (lost revenue, the repeat rate) whole."""
    page = _open(
        browser, f"{server}/retention", "vp", "vp-demo-2026", language, viewport={"width": 1366, "height": 900}
    )
    try:
        page.get_by_role("heading", name=said("Repeat-purchase rate", language)).wait_for(timeout=60_000)
        _settled(page)
        tables = page.locator('[data-testid="stDataFrame"]')
        # The four churn tables and the two repeat-rate tables beside their charts (the churned accounts below).
        tables.nth(5).wait_for(timeout=60_000)
        for index in range(6):
            table = tables.nth(index)
            table.scroll_into_view_if_needed()
            widths = table.evaluate(TABLE_WIDTHS)
            assert widths["columns"] <= widths["shown"], (index, widths)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        tables.first.scroll_into_view_if_needed()
        page.screenshot(path=OUTPUT / f"retention-{language}.png")
    finally:
        page.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_audit_log_shows_every_column_at_1366(server: str, browser: Browser, language: str):
    """The admin's audit log fits a laptop beside the sidebar: its action column (操作) is not cut off."""
    page = _open(browser, f"{server}/admin", "demo-admin", "admin-demo-2026", language, **LAPTOP)
    try:
        page.get_by_role("tab", name=said("Audit log", language)).click()
        table = page.locator('[data-testid="stDataFrame"]').filter(visible=True).first
        table.wait_for(timeout=60_000)
        _settled(page)
        table.scroll_into_view_if_needed()
        widths = table.evaluate(TABLE_WIDTHS)
        assert widths["columns"] <= widths["shown"], widths
        assert widths["left"] + widths["columns"] <= LAPTOP["viewport"]["width"], widths
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=OUTPUT / f"audit-log-{language}.png")
    finally:
        page.close()


def _table_under(page: Page, heading: str, language: str) -> Locator:
    """The first table after the heading that reads as that message (its count, in brackets, left out)."""
    start = re.split(r"[(（]", said(heading, language))[0].strip()
    title = page.locator('[data-testid="stHeading"]').filter(has_text=re.compile("^" + re.escape(start))).first
    title.wait_for(timeout=60_000)
    return title.locator("xpath=following::div[@data-testid='stDataFrame'][1]")


def _fits(page: Page, table: Locator) -> dict:
    """The table's widths, asserting that every column shows without sideways scrolling, within the window."""
    table.scroll_into_view_if_needed()
    widths = table.evaluate(TABLE_WIDTHS)
    assert widths["columns"] <= widths["shown"], widths
    assert widths["left"] + widths["columns"] <= LAPTOP["viewport"]["width"], widths
    return widths


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_complaint_sla_tables_show_every_column_at_1366(server: str, browser: Browser, language: str):
    """The reply and resolution times by manager (its last column the resolution's 90th percentile) and the
    breaches show every column whole on a laptop, beside the sidebar."""
    page = _open(browser, f"{server}/complaints", "vp", "vp-demo-2026", language, **LAPTOP)
    try:
        page.get_by_role("heading", name=said("Reply and resolution times by manager", language)).wait_for(
            timeout=60_000
        )
        _settled(page)
        for heading in ("Reply and resolution times by manager", "Breaches ({count})"):
            table = _table_under(page, heading, language)
            table.wait_for(timeout=60_000)
            _fits(page, table)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=OUTPUT / f"complaint-sla-{language}.png", full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_accounts_complaints_and_visits_tables_show_every_column_at_1366(
    server: str, browser: Browser, language: str
):
    """K0013, with the demo's most complaints (42): its complaints and visits tables show their last column whole."""
    page = _open(browser, f"{server}/account?account=K0013", "vp", "vp-demo-2026", language, **LAPTOP)
    try:
        for heading, name in (("Complaints ({count})", "complaints"), ("Visits ({count})", "visits")):
            table = _table_under(page, heading, language)
            _settled(page)
            table.wait_for(timeout=60_000)
            _fits(page, table)
            OUTPUT.mkdir(parents=True, exist_ok=True)
            table.screenshot(path=OUTPUT / f"account-{name}-{language}.png")
    finally:
        page.close()

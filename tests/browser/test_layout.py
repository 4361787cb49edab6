"""Layout in Chromium at the sizes people use, in Chinese and English: nothing covered, nothing cut off."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from kam import i18n
from kam.config import settings
from kam.i18n import _
from kam.ingest import loader, uploads
from kam.ingest.bootstrap import open_database
from kam.people import users
from kam.people.users import User
from kam.present import columns
from tests.app.test_admin import Upload
from tests.browser.conftest import fresh_page, signed_in_page
from tests.browser.test_browser import _open_a_row, _settled
from tests.browser.test_chinese import assert_reads_in_chinese, assert_the_chart_bar_reads_in_chinese
from tests.serve import serving, started_demo

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
    path = started_demo(tmp_path_factory.mktemp("layout"))
    with_a_refused_load(path)
    with serving({"KAM_DB_PATH": str(path)}) as url:
        yield url


# A real admin (a demo admin may not load), added by the demo admin, whose upload of the demo exports with an
# accounts.csv of two columns was refused: the load history holds a refused load whose reason is long.
REFUSED_BY = User("zhouli", "周丽", "admin")
TWO_COLUMNS = "account_id,name\nK0001,上海恒锦机电有限公司\n"


def with_a_refused_load(path: Path) -> None:
    """The demo deployment at path, with REFUSED_BY's upload refused in its load history and audit log."""
    demo = settings().demo_dir
    with open_database(path, demo) as con:
        users.add_user(con, REFUSED_BY.username, REFUSED_BY.name, "admin", "zhouli-first-2026", by="demo-admin")
        files = [
            Upload(file.name, TWO_COLUMNS.encode() if file.name == "accounts.csv" else file.read_bytes())
            for file in sorted(demo.glob("*.csv"))
        ]
        with pytest.raises(loader.LoadError, match=r"accounts\.csv: missing required column region"):
            uploads.load_uploads(con, files, REFUSED_BY)


def said(message: str, language: str) -> str:
    """A message id as the catalog has it in that language."""
    token = i18n.use_language(language)
    try:
        return _(message)
    finally:
        i18n._language.reset(token)


def _sign_in(page: Page, username: str, password: str, language: str) -> None:
    """Fill in and send the sign-in form, read in that language."""
    page.get_by_label(said("User name", language)).fill(username, timeout=60_000)
    page.get_by_label(said("Password", language), exact=True).fill(password)
    page.get_by_role("button", name=said("Sign in", language)).click()


def _open(browser: Browser, url: str, username: str, password: str, language: str, **context) -> Page:
    """The module's tab for that user, language and device at url, signed in: through the form the first time, by the
    cookie the next ones."""
    page = signed_in_page(
        browser, url, username, lambda page: _sign_in(page, username, password, language), locale=language, **context
    )
    _settled(page)
    return page


def _open_signing_in(browser: Browser, url: str, username: str, password: str, language: str, **context) -> Page:
    """A new page at url in a new context asking for that language, signed in through the form: for a link opened
    before signing in."""
    page = fresh_page(browser, url, locale=language, **context)
    page.goto(url, wait_until="domcontentloaded")
    _sign_in(page, username, password, language)
    page.wait_for_selector('[data-testid="stSidebar"]', state="attached", timeout=60_000)
    _settled(page)
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_the_worklist_chooser_fits_its_button_is_uncovered_and_a_tapped_row_opens_the_account(
    server: str, browser: Browser, language: str
):
    page = _open(browser, server, "m01", "m01-demo-2026", language, **PHONE)
    page.get_by_role("heading", name=said("My worklist", language)).wait_for(timeout=60_000)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=60_000)
    # The chosen account reads whole on the chooser's one line.
    chosen = page.get_by_role("combobox", name=said("Log a visit to", language))
    widths = chosen.evaluate("e => ({text: e.scrollWidth, line: e.clientWidth, value: e.value})")
    assert widths["text"] <= widths["line"], widths
    # On a touch screen the table's toolbar (search, download, full screen) is always shown, above its top
    # right corner.
    toolbar = table.locator('[data-testid="stElementToolbar"]')
    assert toolbar.evaluate("e => getComputedStyle(e).opacity") == "1"
    # The account, its visit status and its due date read whole side by side within the screen: as wide
    # together as the grid's width inside its border at most, in rows of three lines where the grid wraps a
    # long name (on one line the name was cut and the due date began at the screen's edge).
    table.locator("[role=grid]").wait_for(state="attached", timeout=60_000)
    grid = table.evaluate(GRID)
    key = [columns.WORKLIST[name].width for name in ("account_id", "due_status", "due_date")]
    assert sum(key) <= grid["inside"], (key, grid)
    assert grid["height"] == columns.HEADER_PX + columns.WRAPPED_ROW_PX * grid["rows"], grid
    button = page.get_by_role("button", name=said("Log a visit", language))
    box = button.bounding_box()
    for x, y in [(box["width"] - 4, box["height"] - 4), (4, box["height"] - 4), (box["width"] - 4, 4), (4, 4)]:
        # A trial click fails when another element would take the click at that point.
        button.click(trial=True, position={"x": x, "y": y}, timeout=5_000)
    bar = toolbar.bounding_box()
    apart = box["x"] + box["width"] <= bar["x"] or bar["y"] + bar["height"] <= box["y"]
    assert apart, (box, bar)
    # One tap on a row's visit status (past the account) opens its account.
    _settled(page)
    _open_a_row(page, table, columns.WORKLIST["account_id"].width + 40, tap=True, row=columns.WRAPPED_ROW_PX)
    page.get_by_role("heading", name=said("Account view", language), exact=True).wait_for(timeout=60_000)
    account = re.search(r"account=(K\d+)", page.url).group(1)
    heading = page.get_by_role("heading", name=f"({account})")
    heading.wait_for(timeout=60_000)
    # The account's name (13 characters in the first row's) reads whole on the heading's first line, its id
    # under it: balanced, the heading broke the name in its middle, half of each line empty.
    assert heading.evaluate(NAME_LINES) == 1
    assert page.locator('[data-testid="stException"]').count() == 0


# A table's grid: its width inside its border, its height and its rows (its header aside).
GRID = """e => ({
    inside: e.querySelector('.dvn-scroller').clientWidth,
    height: e.getBoundingClientRect().height,
    rows: Number(e.querySelector('[role=grid]').getAttribute('aria-rowcount')) - 1,
})"""


# The lines the text before " (" of a heading takes: an account's name before its id.
NAME_LINES = """e => {
    const node = document.createTreeWalker(e, NodeFilter.SHOW_TEXT).nextNode();
    const range = document.createRange();
    range.setStart(node, 0);
    range.setEnd(node, node.textContent.lastIndexOf(" ("));
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}"""


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


# Whether the page has at least two tables and each has its toolbar.
TABLES_WITH_TOOLBARS = """() => {
    const tables = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
    return tables.length >= 2 && tables.every(t => t.querySelector('[data-testid="stElementToolbar"]') !== null);
}"""


# The headings whose count, "(5)" or "（5）" at their end, starts a line of its own: the heading wrapped just before it.
COUNTS_ALONE = """() => [...document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3)')].flatMap(h => {
    const count = /[(（][^()（）]*[)）]\\s*$/;
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    let last = null;
    while (walker.nextNode()) if (count.test(walker.currentNode.data)) last = walker.currentNode;
    if (!last) return [];
    const range = document.createRange();
    range.setStart(last, last.data.search(count));
    range.setEnd(last, last.data.length);
    const whole = document.createRange();
    whole.selectNodeContents(h);
    const left = Math.min(...[...whole.getClientRects()].map(r => r.left));
    return range.getClientRects()[0].left - left < 1 ? [h.innerText] : [];
})"""


def _overlap(a: dict, b: dict) -> bool:
    across = a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
    return across and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


@pytest.mark.parametrize(
    ("user", "password", "heading"),
    [("m01", "m01-demo-2026", "My worklist"), ("vp", "vp-demo-2026", "Overview")],
    ids=["manager", "vp"],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_table_toolbar_covers_a_heading_and_no_heading_leaves_its_count_alone_on_a_phone(
    server: str, browser: Browser, language: str, user: str, password: str, heading: str
):
    page = _open(browser, server, user, password, language, **PHONE, user_agent=ANDROID)
    page.get_by_role("heading", name=said(heading, language)).wait_for(timeout=60_000)
    _settled(page)
    # A table's toolbar comes with its grid, drawn after the run that sent it: wait for the page's tables.
    page.wait_for_function(TABLES_WITH_TOOLBARS, timeout=60_000, polling=100)
    # Measured in the page's own fonts: a heading laid out in a fallback font first has other line heights.
    page.evaluate("() => document.fonts.ready.then(() => true)")
    found = page.evaluate(TOOLBARS_AND_HEADINGS)
    # On a touch screen the toolbars are always shown; the page has tables under headings.
    assert len(found["toolbars"]) >= 2, found
    covered = [(bar, head) for bar in found["toolbars"] for head in found["headings"] if _overlap(bar, head)]
    assert not covered, covered
    # A heading too long for the line wraps in even lines: "Overdue plan actions (0)" (the worklist's) left
    # its count alone on the second.
    assert page.evaluate(COUNTS_ALONE) == []
    # Plotly's own bar of buttons (zoom, pan, a picture), shown beside every chart's title on a phone, over the
    # end of a long one: none.
    modebars = page.locator(".modebar")
    # Counted once: a chart still drawing adds its bar between two counts.
    count = modebars.count()
    assert [modebars.nth(n).is_visible() for n in range(count)] == [False] * count


# The width of the columns laid out in a table (the grid draws its headers on a canvas: their positions are
# not in the page), and the width the table shows.
TABLE_WIDTHS = """(table) => {
    const scroller = table.querySelector('.dvn-scroller');
    const stack = table.querySelector('.dvn-stack > div');
    const box = scroller.getBoundingClientRect();
    return {columns: parseFloat(stack.style.width), shown: scroller.clientWidth, left: box.left, right: box.right};
}"""


@pytest.mark.parametrize(
    ("user", "password", "path", "heading"),
    [("vp", "vp-demo-2026", "overview", "Overview"), ("m01", "m01-demo-2026", "worklist", "My worklist")],
    ids=["vp", "manager"],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_link_naming_the_landing_page_opens_it_without_an_english_page_not_found(
    server: str, browser: Browser, language: str, user: str, password: str, path: str, heading: str
):
    page = _open_signing_in(browser, f"{server}/{path}?tier=A", user, password, language, **LAPTOP)
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


# Streamlit's dialog over the landing page when a link names no page, as the reader sees it: its title, its text, the
# name of its close button. And an empty date field, its parts as the reader sees them.
NO_PAGE = {
    "en": (
        "Page not found",
        "The page that you have requested does not seem to exist. Running the app's main page.",
        "Close",
    ),
    "zh-CN": ("页面不存在", "您请求的页面不存在，已为您打开首页。", "关闭"),
}
EMPTY_DATE = {"en": "yyyy-mm-dd", "zh-CN": "年-月-日"}


def _no_page_dialog_read_and_closed(page: Page, language: str, shot: str) -> None:
    """Streamlit's dialog saying the link names no page reads in the language, then its close button closes it."""
    title, text, close = NO_PAGE[language]
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("heading", name=title, exact=True).wait_for(timeout=60_000)
    dialog.get_by_text(text, exact=True).wait_for(timeout=10_000)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT / f"{shot}-{language}.png")
    assert dialog.inner_text().split("\n") == [title, text]
    dialog.get_by_role("button", name=close, exact=True).click()
    dialog.wait_for(state="detached", timeout=10_000)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_link_to_no_page_and_an_empty_date_field_read_in_the_readers_language(
    server: str, browser: Browser, language: str
):
    """A mistyped link opened before signing in (the dialog drawn after Streamlit's words are put in place) and once
    signed in (drawn before): Streamlit's dialog reads in the reader's language. The visit form starts with the date
    of the next step empty, its parts in the reader's language."""
    page = fresh_page(browser, server, locale=language, **LAPTOP)
    try:
        page.goto(f"{server}/Overview", wait_until="domcontentloaded")
        _no_page_dialog_read_and_closed(page, language, "no-page-signing-in")
        page.get_by_label(said("User name", language)).fill("m01")
        page.get_by_label(said("Password", language), exact=True).fill("m01-demo-2026")
        page.get_by_role("button", name=said("Sign in", language)).click()
        page.get_by_role("heading", name=said("My worklist", language)).wait_for(timeout=60_000)
        _settled(page)
        assert page.get_by_role("dialog").count() == 0
        page.goto(f"{server}/nonexistent", wait_until="domcontentloaded")
        _no_page_dialog_read_and_closed(page, language, "no-page-signed-in")
        page.get_by_role("heading", name=said("My worklist", language)).wait_for(timeout=60_000)
        page.goto(f"{server}/log_visit", wait_until="domcontentloaded")
        due = page.locator('[data-testid="stDateInput"]').filter(has_text=said("Date of the next step", language))
        due.wait_for(timeout=60_000)
        _settled(page)
        due.scroll_into_view_if_needed()
        page.screenshot(path=OUTPUT / f"empty-date-{language}.png")
        field = due.get_by_role("group")
        assert field.text_content() == EMPTY_DATE[language]
        # Typed in, the date takes the parts' place; erased, they come back.
        field.get_by_role("spinbutton").first.click()
        page.keyboard.type("20261201")
        page.wait_for_function("(e) => e.textContent === '2026-12-01'", arg=field.element_handle(), timeout=10_000)
        for _part in range(12):
            page.keyboard.press("Backspace")
        page.wait_for_function("([e, t]) => e.textContent === t", arg=[field.element_handle(), EMPTY_DATE[language]])
    finally:
        page.close()


@pytest.mark.parametrize(
    ("user", "password", "path", "heading", "title", "role"),
    [
        ("vp", "vp-demo-2026", "worklist", "Overview", "My worklist", "Sales VP"),
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
    page = _open_signing_in(browser, f"{server}/{path}", user, password, language, **LAPTOP)
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


# The admin page's tables, by their tab. Every header and cell reads whole (the user names, a load's outcome and rows,
# the times, an action) but for the long texts, by their header: a load's files and why it was refused, an event's
# target and change, a user's e-mail, cut at their column's edge and read whole in the chosen row (or the CSV).
ADMIN_TABS = ["Load exports", "Users", "Audit log"]
ADMIN_TEXT = [
    columns.LOAD_HISTORY["reason"].label,
    columns.COLUMNS["files"].label,
    columns.AUDIT_LOG["target"].label,
    columns.AUDIT_LOG["changed"].label,
    columns.COLUMNS["email"].label,
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_tables_show_every_column_at_1366(server: str, browser: Browser, language: str):
    """The admin's tables fit a laptop beside the sidebar, nothing to scroll sideways: the load history (a refused
    load's reason on screen beside its outcome, 拒绝原因 was off it), the users, the audit log (操作 was cut off); the
    user names (demo-admin read demo-admir) and every other short cell whole."""
    page = _open(browser, f"{server}/admin", "demo-admin", "admin-demo-2026", language, **LAPTOP)
    page.get_by_role("heading", name=said("Admin", language), exact=True).wait_for(timeout=60_000)
    _settled(page)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    seen = {}
    for tab in ADMIN_TABS:
        page.get_by_role("tab", name=said(tab, language)).click()
        page.locator('[data-testid="stDataFrame"]').filter(visible=True).first.wait_for(timeout=60_000)
        seen[tab] = _tables_shown(page)
        page.screenshot(path=OUTPUT / f"admin-{tab.lower().replace(' ', '-')}-{language}.png")
    # The load history (no rejected rows in the demo's load), the users, the audit log.
    assert [len(tables) for tables in seen.values()] == [1, 1, 1], seen
    over = [
        (tab, table["columns"], table["shown"], table["left"])
        for tab, tables in seen.items()
        for table in tables
        if table["columns"] > table["shown"] or table["left"] + table["columns"] > LAPTOP["viewport"]["width"]
    ]
    assert not over, over
    long_text = tuple(f"{said(header, language)}: " for header in ADMIN_TEXT)
    # The refused load is there, its reason on screen (cut at its column's edge).
    message = said("{file}: missing required column {columns} for table {table}", language)
    refused = message.split("{columns}")[0].format(file="accounts.csv", table="accounts")
    reason = f"{said(columns.LOAD_HISTORY['reason'].label, language)}: "
    assert any(cell.startswith(reason + refused) for cell in seen["Load exports"][0]["cut"]), seen
    cut = [(tab, [cell for cell in t[0]["cut"] if not cell.startswith(long_text)]) for tab, t in seen.items()]
    assert cut == [(tab, []) for tab in ADMIN_TABS]


# Every page the VP sees, by its title: the account view of K0013, the demo's account with the most complaints and
# visits (its tables at their widest); the plans page has a table once a plan is saved (none in the demo data).
VP_PAGES = {
    "overview": "Overview",
    "tiers": "Tiers",
    "visits": "Visit compliance",
    "complaints": "Complaint SLA",
    "satisfaction": "Satisfaction",
    "managers": "Managers",
    "risk": "Account risk",
    "retention": "Retention",
    "credit": "Credit",
    "account?account=K0013": "Account view",
    "plans": "Account plans",
    "reviews": "Quarterly reviews",
}
# The pages that draw a chart (on the account view, its revenue by month).
CHARTED = {"overview", "tiers", "visits", "complaints", "satisfaction", "managers", "account"}
# The columns of a table too narrow for their header or a cell, each with its first cut cell: the sum of the columns
# can fit the table while a column too narrow for its text cuts it at its edge (the tiers' accounts, 188 px at 1366,
# cut "K0143 上海达航机电设备有限公司"). The grid draws on a canvas: its columns' widths and its cells are in no
# element, they are read from the grid's own properties (its columns as laid out, its cells, fonts and padding).
GRID_PROPS = """(table) => {
    const canvas = table.querySelector('canvas');
    let node = canvas[Object.keys(canvas).find(key => key.startsWith('__reactFiber$'))];
    while (node && !(node.memoizedProps && node.memoizedProps.getCellContent && node.memoizedProps.theme)) {
        node = node.return;
    }
    return node.memoizedProps;
}"""
CUT_COLUMNS = """(table) => {
    const {columns, getCellContent, theme, rows} = (GRID_PROPS)(table);
    const context = document.createElement('canvas').getContext('2d');
    const wider = (text, font, column) => {
        context.font = font;
        return context.measureText(text).width + 2 * theme.cellHorizontalPadding > column.width;
    };
    return columns.flatMap((column, index) => {
        if (wider(column.title, theme.headerFontFull, column)) return [column.title];
        for (let row = 0; row < rows; row++) {
            // A date or time is drawn from its cell's data (its displayData is empty).
            const cell = getCellContent([column.sourceIndex ?? index, row]);
            const text = String(cell.displayData ?? cell.data?.displayDate ?? '');
            if (wider(text, theme.baseFontFull, column)) return [`${column.title}: ${text}`];
        }
        return [];
    });
}""".replace("GRID_PROPS", GRID_PROPS)
# Each column of a table as laid out, in order: its header, its right edge from the grid's left, its first row's text.
COLUMN_EDGES = """(table) => {
    const {columns, getCellContent} = (GRID_PROPS)(table);
    let right = 0;
    return columns.map((column, index) => {
        const cell = getCellContent([column.sourceIndex ?? index, 0]);
        right += column.width;
        return {title: column.title, right: right, first: String(cell.displayData ?? '')};
    });
}""".replace("GRID_PROPS", GRID_PROPS)
# The tables shown (not in a closed expander or a tab not chosen), each with the heading above it and, once the grid
# has drawn it, its widths (TABLE_WIDTHS) and, when measured, its columns too narrow for their header or a cell
# (CUT_COLUMNS).
SHOWN_TABLES = """(measured) => {
    const widths = TABLE_WIDTHS;
    const cut = CUT_COLUMNS;
    const main = document.querySelector('[data-testid="stMain"]');
    const marks = [...main.querySelectorAll('[data-testid="stHeading"], [data-testid="stDataFrame"]')];
    const found = [];
    marks.forEach((table, index) => {
        if (table.dataset.testid !== 'stDataFrame' || !table.checkVisibility()) return;
        const heading = marks.slice(0, index).reverse().find(e => e.dataset.testid === 'stHeading');
        const drawn = Boolean(table.querySelector('.dvn-scroller') && table.querySelector('.dvn-stack > div'));
        found.push({heading: heading ? heading.innerText : '', drawn: drawn, ...(drawn ? widths(table) : {}),
                    cut: drawn && measured ? cut(table) : []});
    });
    return found;
}""".replace("TABLE_WIDTHS", TABLE_WIDTHS).replace("CUT_COLUMNS", CUT_COLUMNS)
# The tables whose every header and cell is checked whole, by page and the heading above them (a placeholder, {count},
# any text; a heading may end in a count its id leaves out), each table under that heading (the tables beside the
# charts of every tab and the grouped lists of the overview too).
WHOLE_CELLS = {
    "overview": ["Needs attention"],
    "tiers": ["Revenue Pareto and suggested tiers", "Review candidates ({count})"],
    "visits": ["Coverage", "Overdue accounts ({count})", "Follow-ups due ({count})"],
    "complaints": [
        "By category, severity and manager",
        "Reply and resolution times by manager",
        "Breaches opened in the period ({count})",
        "Complaints past SLA, still open",
    ],
    "satisfaction": ["Drops ({count})", "Latest comments"],
    "managers": ["Managers", "Ranking", "A manager's accounts"],
    "risk": ["At-risk and watch accounts ({count})", "Health by tier, region and manager"],
    "retention": ["Churn by cause", "Churned accounts ({count})"],
    "credit": [
        "Accounts over their limit ({count})",
        "Overdue by manager",
        "Largest overdue accounts ({count})",
    ],
    "account": ["Overdue or open", "Visits ({count})", "Complaints ({count})", "Surveys ({count})"],
    "reviews": ["Quarterly reviews", "Targets for {year}"],
}
# Columns of text people typed (a visit's notes and next step, a customer's comment), by their header: a long one is cut
# at its column's edge, and read whole where the page shows it (a chosen visit, the CSV); their header reads whole.
FREE_TEXT = ["Notes", "Next step", "Comment"]
DRAWN = f"() => ({SHOWN_TABLES})(false).every(table => table.drawn)"


def _tables_shown(page: Page) -> list[dict]:
    """The widths of the tables shown and their columns cut, once the grid has drawn each and its width has settled.

    A table in a tab just chosen is drawn first at the grid's least width (50 px) and widened once its tab has laid out:
    it is read again until two readings a fifth of a second apart agree, and its cells are measured once then (every
    cell's text, the most of a reading's CPU)."""
    page.wait_for_function(DRAWN, timeout=60_000, polling=100)
    seen = page.evaluate(SHOWN_TABLES, False)
    for _reading in range(50):
        page.wait_for_timeout(200)
        again = page.evaluate(SHOWN_TABLES, False)
        if again == seen:
            break
        seen = again
    return page.evaluate(SHOWN_TABLES, True)


def _headed(heading: re.Pattern, text: str) -> bool:
    """Whether a heading's text is the one of WHOLE_CELLS, with or without the count at its end."""
    return bool(heading.fullmatch(text) or heading.fullmatch(re.sub(r"\s*[(（][\d,]+[)）]$", "", text)))


@pytest.mark.parametrize("path", list(VP_PAGES), ids=lambda path: path.split("?")[0])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_vp_page_at_1366_reads_in_its_language_and_shows_every_column(
    server: str, browser: Browser, language: str, path: str
):
    """Each page drawn without exception, its chart too (CHARTED); in Chinese, no English label left. Beside the
    sidebar a laptop leaves a table about 900 px (a chart's side table about 350): every column of every table fits,
    none cut at the edge (a cut amount reads as another amount), with nothing to scroll sideways; the tables of
    WHOLE_CELLS show every header and cell whole in its column. The expanders are opened and each tab chosen in
    turn."""
    name = path.split("?")[0]
    page = _open(browser, f"{server}/{path}", "vp", "vp-demo-2026", language, **LAPTOP)
    page.get_by_role("heading", name=said(VP_PAGES[path], language), exact=True).wait_for(timeout=60_000)
    _settled(page)
    if name in CHARTED:
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    if language == "zh-CN":
        assert_reads_in_chinese(page, VP_PAGES[path], f"{name}-desktop", sidebar=True)
    if language == "zh-CN" and name == "tiers":
        assert_the_chart_bar_reads_in_chinese(page)
    page.evaluate(
        """() => document.querySelectorAll(
            '[data-testid="stMain"] [data-testid="stExpander"] details:not([open]) > summary'
        ).forEach(summary => summary.click())"""
    )
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
    seen = _tables_shown(page)
    for tab in page.locator('[data-testid="stMain"] [role="tab"]').all():
        tab.click()
        seen += _tables_shown(page)
    assert seen or path == "plans"
    cut = [
        (table["heading"], table["columns"], table["shown"])
        for table in seen
        if table["columns"] > table["shown"] or table["left"] + table["columns"] > LAPTOP["viewport"]["width"]
    ]
    assert not cut, cut
    # The accounts and managers (a name of 15 characters beside its id) and every other cell whole, but for a
    # long text typed by people.
    headings = [
        re.compile(re.sub(r"\\\{\w+\\\}", ".*", re.escape(said(heading, language))))
        for heading in WHOLE_CELLS.get(name, [])
    ]
    matched = {heading.pattern: [table for table in seen if _headed(heading, table["heading"])] for heading in headings}
    assert all(matched.values()), ([table["heading"] for table in seen], list(matched))
    typed = tuple(f"{said(header, language)}: " for header in FREE_TEXT)
    cut = [
        (table["heading"], [cell for cell in table["cut"] if not cell.startswith(typed)])
        for tables in matched.values()
        for table in tables
    ]
    assert cut == [(heading, []) for heading, _cells in cut]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_recent_visits_on_the_visit_form_show_each_purpose_whole_at_1366(
    server: str, browser: Browser, language: str
):
    """A manager's recent visits under the visit form show the purpose beside the account, date, channel and notes,
    within the table's width at 1366 px and whole: it was the seventh column, past the table's edge, and cut there
    (6 Letter: thank a)."""
    page = _open(browser, f"{server}/log_visit", "m01", "m01-demo-2026", language, **LAPTOP)
    heading = said("Your recent visits", language)
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    _settled(page)
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.wait_for(timeout=60_000)
    grid.scroll_into_view_if_needed()
    [recent] = [table for table in _tables_shown(page) if table["heading"] == heading]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT / f"recent-visits-{language}.png")
    purpose = said("Purpose", language)
    edges = {column["title"]: column for column in grid.evaluate(COLUMN_EDGES)}
    # M01's latest visit in the demo: K0297 by letter on 2026-11-19, the sixth step, the longest to read.
    assert edges[purpose]["first"] == f"6 {said('Letter: thank again, invite repurchase', language)}"
    # The account (280 px), date, channel and notes (130 px) before it, the purpose's 250 px within the table.
    assert list(edges)[4] == purpose
    assert edges[purpose]["right"] <= recent["shown"], (edges, recent)
    assert [cell for cell in recent["cut"] if cell.startswith(f"{purpose}: ")] == []

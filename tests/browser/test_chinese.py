"""The Chinese interface in Chromium: every page at phone size, in Chinese glyphs, no English label left (at desktop
size in test_layout, on its visit of each of the VP's pages).

Screenshots go to tests/output/chinese/ (the CI output folder) to be looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kam import i18n
from kam.i18n import _
from tests.browser.test_browser import _open, _settled
from tests.serve import serving, started_demo

OUTPUT = Path(__file__).resolve().parents[1] / "output" / "chinese"
# The VP's pages by their URL path, with the English title of each (as app.py names them).
PAGES = {
    "": "Overview",
    "tiers": "Tiers",
    "visits": "Visit compliance",
    "complaints": "Complaint SLA",
    "satisfaction": "Satisfaction",
    "managers": "Managers",
    "risk": "Account risk",
    "retention": "Retention",
    "credit": "Credit",
    "plans": "Account plans",
    "reviews": "Quarterly reviews",
    "account": "Account view",
}
# Labels of the sidebar and navigation that a Chinese screen must not show in English.
ENGLISH = ["As of", "Period", "Region", "Manager", "Tier", "Sign out", *PAGES.values()]
PHONE = {"width": 390, "height": 844}


def chinese(message: str) -> str:
    """The Chinese of a message id, as the catalog has it."""
    token = i18n.use_language("zh-CN")
    try:
        return _(message)
    finally:
        i18n._language.reset(token)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving({"KAM_DB_PATH": str(started_demo(tmp_path_factory.mktemp("chinese")))}) as url:
        yield url


@pytest.fixture(scope="module")
def vp_in_chinese(server: str, browser: Browser) -> str:
    """The VP's choice of Chinese, made once with the sidebar switch: it is kept with the user."""
    page = _open(browser, server)
    page.get_by_text(i18n.LANGUAGES["zh-CN"], exact=True).click()
    page.wait_for_function("(text) => document.body.innerText.includes(text)", arg=chinese("Sign out"))
    _settled(page)
    return server


def _text(page: Page) -> str:
    return page.locator("body").inner_text()


@pytest.mark.parametrize("path", list(PAGES), ids=lambda path: path or "overview")
def test_every_page_reads_in_chinese_on_a_phone(vp_in_chinese: str, browser: Browser, path: str):
    query = "?account=K0001" if path == "account" else ""
    page = _open(browser, f"{vp_in_chinese}/{path}{query}", viewport=PHONE)
    # Each page shows a chart or a table (the account plans a form) once its run is well under
    # way, and the sidebar's sign-out once the run has laid out everything.
    page.wait_for_selector(
        ".js-plotly-plot, [data-testid='stDataFrame'], [data-testid='stForm']", state="attached", timeout=60_000
    )
    page.get_by_text(chinese("Sign out"), exact=True).first.wait_for(state="attached", timeout=60_000)
    _settled(page)
    assert_reads_in_chinese(page, PAGES[path], f"{path or 'overview'}-phone", sidebar=False)


def assert_reads_in_chinese(page: Page, title: str, name: str, sidebar: bool) -> None:
    """The page drawn without exception, headed by its title in Chinese, no English label left (the sidebar's too
    where it is shown, not folded away as on a phone); its full-page screenshot saved as name.png."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    shown = _text(page)
    assert chinese(title) != title and chinese(title) in shown
    if sidebar:
        assert chinese("Sign out") in shown
    left = [label for label in ENGLISH if label in shown]
    assert left == []


def assert_the_chart_bar_reads_in_chinese(page: Page) -> None:
    """Plotly's bar over a chart, shown on hover, names its buttons in Chinese (the download's tip drawn in
    tiers-chart-bar.png): the first chart of the tiers, bars that can be clicked. Streamlit's own last button too."""
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    download = chart.locator(".modebar-btn").first
    download.hover()
    chart.screenshot(path=str(OUTPUT / "tiers-chart-bar.png"))
    titles = chart.locator(".modebar-btn").evaluate_all("(buttons) => buttons.map((button) => button.dataset.title)")
    assert titles == ["下载图片（PNG）", "区域缩放", "平移", "放大", "缩小", "自动缩放", "重置坐标轴", "全屏"]


def test_a_managers_sidebar_lists_every_page_in_chinese(server: str, browser: Browser):
    """A manager has fourteen pages: all listed, none behind Streamlit's "View 4 more" (it has no Chinese)."""
    page = _open(browser, server, "m02", "m02-demo-2026")
    page.get_by_text(i18n.LANGUAGES["zh-CN"], exact=True).click()
    page.wait_for_function("(text) => document.body.innerText.includes(text)", arg=chinese("Sign out"))
    _settled(page)
    links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    titles = ["My worklist", "Log a visit", "Account plans", "Quarterly reviews", "Overview", "Tiers"]
    titles += ["Visit compliance", "Complaint SLA", "Satisfaction", "Managers", "Account risk", "Retention"]
    titles += ["Credit", "Account view"]
    # Each link reads its icon's name (drawn as a glyph), then its title.
    assert [link.strip().splitlines()[-1] for link in links] == [chinese(title) for title in titles]
    assert "View" not in page.locator('[data-testid="stSidebarNav"]').inner_text()


def test_the_vps_sidebar_starts_with_the_weekly_figures(vp_in_chinese: str, browser: Browser):
    """The VP runs the meeting from the overview: the figures' pages first, the plans and reviews after them."""
    page = _open(browser, vp_in_chinese)
    links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    titles = [link.strip().splitlines()[-1] for link in links]
    order = ["Overview", "Tiers", "Visit compliance", "Complaint SLA", "Satisfaction", "Managers"]
    order += ["Account risk", "Retention", "Credit", "Account view", "Account plans", "Quarterly reviews"]
    assert titles == [chinese(title) for title in order]


def test_a_choice_made_in_english_reads_in_chinese_after_the_switch(server: str, browser: Browser):
    """A select box's browser side holds its choice as the text shown: the switch must give it the new text."""
    page = _open(browser, f"{server}/tiers", "m01", "m01-demo-2026")
    period = page.locator('[data-testid="stSelectbox"]').filter(has_text="Period").locator("input")
    assert period.input_value() == "Last full week"
    page.get_by_text(i18n.LANGUAGES["zh-CN"], exact=True).click()
    page.wait_for_function("(text) => document.body.innerText.includes(text)", arg=chinese("Sign out"))
    _settled(page)
    period = page.locator('[data-testid="stSelectbox"]').filter(has_text=chinese("Period")).locator("input")
    assert period.input_value() == chinese("Last full week") == "上一整周"


def test_the_role_of_the_user_being_changed_reads_in_chinese_after_the_switch(server: str, browser: Browser):
    """The admin's "Change a user" keeps its role box per user: the switch gives it its Chinese too."""
    page = _open(browser, f"{server}/admin", "demo-admin", "admin-demo-2026")
    page.get_by_role("tab", name="Users", exact=True).click(timeout=60_000)
    # The form to add a user has a role box too: the one changing a user comes after it.
    role = page.locator('[data-testid="stSelectbox"]').filter(has_text="Role").last.locator("input")
    role.wait_for(timeout=60_000)
    english = role.input_value()
    assert english in {"Sales VP", "Account manager", "Administrator"}, english
    page.get_by_text(i18n.LANGUAGES["zh-CN"], exact=True).click()
    page.wait_for_function("(text) => document.body.innerText.includes(text)", arg=chinese("Export files"))
    _settled(page)
    page.get_by_role("tab", name=chinese("Users"), exact=True).click(timeout=60_000)
    role = page.locator('[data-testid="stSelectbox"]').filter(has_text=chinese("Role")).last.locator("input")
    assert role.input_value() == chinese(english) != english


def test_a_download_is_made_on_click_in_the_readers_language(vp_in_chinese: str, browser: Browser):
    """The CSV is made only when its button is clicked, on a thread of its own, with the page's Chinese headers."""
    from kam.present.columns import TIER_SUGGESTIONS

    page = _open(browser, f"{vp_in_chinese}/tiers")
    button = page.locator(".st-key-download-abc-suggestion").get_by_role("button")
    button.wait_for(timeout=60_000)
    _settled(page)
    with page.expect_download(timeout=60_000) as started:
        button.click()
    saved = Path(started.value.path()).read_bytes()
    assert saved.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as spreadsheets on Windows read it
    header, first, *rest = saved.decode("utf-8-sig").splitlines()
    # The revenue ranking: rank, then the tier, the suggested one and the account (name and id) under their Chinese
    # headers.
    assert header.split(",")[:4] == [
        "#",
        *(chinese(TIER_SUGGESTIONS[name].label) for name in ("tier", "suggested_tier", "account_id")),
    ]
    assert first.split(",")[0] == "1" and rest


# The text of each element a selector finds, as the reader sees it: none where a style hides it, with what a style
# adds after it (Streamlit's own English hidden, the reader's words shown in its place).
SEEN = """(selector) => [...document.querySelectorAll(selector)].map((element) => {
    const style = getComputedStyle(element);
    const own = style.display === 'none' || style.fontSize === '0px' ? '' : element.innerText;
    const added = getComputedStyle(element, '::after').content;
    return own + (added === 'none' ? '' : JSON.parse(added));
})"""
DROPZONE = '[data-testid="stFileUploaderDropzone"]'


def _seen(page: Page, selector: str) -> list[str]:
    return page.evaluate(SEEN, selector)


def test_the_admins_file_uploader_reads_in_chinese(server: str, browser: Browser):
    """Streamlit writes the uploader's button and size limit in English: the admin reads them in Chinese."""
    page = _open(browser, f"{server}/admin", "demo-admin", "admin-demo-2026")
    page.get_by_text(i18n.LANGUAGES["zh-CN"], exact=True).click()
    page.wait_for_function("(text) => document.body.innerText.includes(text)", arg=chinese("Export files"))
    _settled(page)
    uploader = page.locator('[data-testid="stFileUploader"]')
    OUTPUT.mkdir(parents=True, exist_ok=True)
    uploader.screenshot(path=str(OUTPUT / "admin-uploader.png"))
    # The button's own "Upload" is hidden; its Chinese is shown after it; the limit is the settings' 200 MB.
    shown = [
        _seen(page, f'{DROPZONE} button [data-testid="stMarkdownContainer"] p')[0],
        _seen(page, f'{DROPZONE} button [data-testid="stMarkdownContainer"]')[0].strip(),
        _seen(page, f'{DROPZONE} [data-testid="stFileUploaderDropzoneInstructions"] span')[0],
    ]
    assert shown == ["", "上传", "每个文件不超过 200 MB · CSV, PARQUET"]


# The label of each button of a table's toolbar, as a screen reader names it.
LABELS = "(buttons) => buttons.map((button) => button.getAttribute('aria-label'))"


def _point_at(table: Locator, button: Locator) -> None:
    """Put the pointer on a button of a table's toolbar."""
    # The toolbar shows only while the pointer is over its table, and hidden it sits lower, under the grid's top
    # edge: a chart above that grows after the pointer reached the table leaves the pointer off it, and the button
    # is then out of the pointer's reach for good. The table is pointed at again until the button can be.
    for _attempt in range(3):
        table.hover()
        try:
            button.hover(timeout=5_000)
            return
        except PlaywrightTimeout:
            continue
    button.hover()


def test_streamlits_own_words_read_in_chinese(vp_in_chinese: str, browser: Browser):
    """Streamlit writes a table's toolbar (its buttons and their tips), a list of choices' "Select all" and "No
    results" in English: the reader, and their screen reader, get the catalog's Chinese."""
    page = _open(browser, f"{vp_in_chinese}/tiers")
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=60_000)
    _settled(page)
    table.hover()
    buttons = table.locator('[data-testid="stElementToolbarButton"] button')
    assert buttons.evaluate_all(LABELS) == ["显示/隐藏列", "下载 CSV", "搜索", "全屏"]
    # A button's tip comes a second after the pointer.
    _point_at(table, buttons.last)
    page.locator('[data-testid="stTooltipContent"]').get_by_text("全屏", exact=True).wait_for(timeout=10_000)
    buttons.last.click()
    page.get_by_role("button", name="退出全屏", exact=True).click(timeout=10_000)
    page.keyboard.press("Escape")
    # A multiple choice's first option, and what a list of choices says when nothing matches what was typed.
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="全选", exact=True).wait_for(timeout=10_000)
    page.keyboard.type("zzzz")
    page.get_by_role("option", name="无匹配项", exact=True).wait_for(timeout=10_000)
    page.keyboard.press("Escape")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.keyboard.type("zzzz")
    page.get_by_role("option", name="无匹配项", exact=True).wait_for(timeout=10_000)

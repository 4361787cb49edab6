"""Every page of the running app in headless Chromium: no exception, at least one chart."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
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
# url path of each page, and a query that makes it show a chart. The first is not the
# overview: a fresh server's first request going straight to a page must work too.
PAGES = {
    "managers": "",
    "": "",
    "tiers": "",
    "visits": "",
    "complaints": "",
    "satisfaction": "",
    "account": "?account=K0001",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on the demo data, served on a free loopback port."""
    port = _free_port()
    env = os.environ | {"KAM_DB_PATH": str(tmp_path_factory.mktemp("browser") / "kam.duckdb")}
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not start: {process.stderr.read().decode()}") from None
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser: Browser, url: str) -> Page:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stSidebar"]', timeout=60_000)
    # The script has finished when the status widget stops saying it is running.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000, polling=250
    )
    return page


@pytest.mark.parametrize("path", list(PAGES), ids=lambda path: path or "overview")
def test_page_shows_a_chart_and_no_exception(server: str, browser: Browser, path: str):
    page = _open(browser, f"{server}/{path}{PAGES[path]}")
    try:
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator(".js-plotly-plot").count() >= 1
    finally:
        page.close()

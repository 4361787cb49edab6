"""What people wait for: every page fully drawn in a real Chromium, and 20 sessions opening the overview at once.

    .venv/bin/python -m bench.browser [--exports bench/out/parquet] [--db bench/out/kam_browser.duckdb]

Loads the exports (generate them first with `python -m bench.benchmark --step generate
bench/out/parquet 170 parquet`) with the demo users, then for each scenario starts a fresh
dashboard server (empty caches) on the database and drives headless Chromium:

- per page and role (the VP, and manager M01): signed in on the tiers page, each page opened
  from the sidebar once (cold: its metrics not yet computed by this server) and again (warm);
  the time from the click until the page is fully drawn: the script run finished, no status
  widget, no stale element, every Plotly chart drawn;
- server CPU (user + system time of the server process) for the cold overview;
- 20 sessions signed in on the tiers page, all opening the overview at once, sharing a date and
  each with its own: each run's time from start to end as the script-state reports it.
Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PAGES = [
    ("tiers", "Tiers"),
    ("overview", "Overview"),
    ("visits", "Visit compliance"),
    ("complaints", "Complaint SLA"),
    ("satisfaction", "Satisfaction"),
    ("managers", "Managers"),
    ("account", "Account view"),
]
USERS = {"VP": ("vp", "vp-demo-2026"), "manager M01": ("m01", "m01-demo-2026")}

# Counts the script runs the browser sees start and end, with their times (performance.now, ms).
WATCH = """() => {
    window.__runs = [];
    const app = document.querySelector('[data-testid="stApp"]');
    let started = null;
    new MutationObserver(() => {
        const state = app.getAttribute('data-test-script-state');
        if (state === 'running' && started === null) started = performance.now();
        if (state === 'notRunning' && started !== null) {
            window.__runs.push([started, performance.now()]);
            started = null;
        }
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
DRAWN = """(runs) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return (runs < 0 || (window.__runs || []).length > runs)
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-stale="true"]')
        && charts.every(chart => chart.querySelector('.main-svg'));
}"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its threads, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server(database: Path) -> Iterator[tuple[str, int]]:
    """A fresh dashboard server on the database (empty caches): its URL and process id."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"),
            "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        ],
        cwd=ROOT,
        env=os.environ | {"KAM_DB_PATH": str(database)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("the dashboard did not start") from None
                time.sleep(0.3)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def _drawn(page: Page, runs: int, timeout: float = 300) -> None:
    page.wait_for_function(DRAWN, arg=runs, timeout=timeout * 1000, polling=50)


def sign_in(browser: Browser, url: str, user: str, query: str = "") -> Page:
    """A new page signed in as user on the tiers page (query: its URL's filters), fully drawn."""
    name, password = USERS[user]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{url}/tiers{query}", wait_until="domcontentloaded")
    page.get_by_label("User name").fill(name, timeout=120_000)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Signing in may reload the page (the session cookie's route): watch the runs only after it.
    page.get_by_role("heading", name="Tiers", exact=True).wait_for(timeout=300_000)
    _drawn(page, -1)
    page.evaluate(WATCH)
    return page


def open_page(page: Page, label: str) -> float:
    """Seconds from the sidebar click until the page is fully drawn."""
    runs = page.evaluate("() => window.__runs.length")
    started = time.perf_counter()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=label, exact=True).click()
    _drawn(page, runs)
    return time.perf_counter() - started


def pages_of(browser: Browser, database: Path, user: str) -> tuple[dict[str, tuple[float, float]], float]:
    """Each page's cold and warm time for a user, and the server CPU seconds of the cold overview."""
    with server(database) as (url, pid):
        page = sign_in(browser, url, user)
        cold, warm, cpu = {}, {}, 0.0
        for path, label in PAGES[1:] + PAGES[:1]:
            before = _cpu_seconds(pid)
            cold[path] = open_page(page, label) if path != "tiers" else None
            if path == "overview":
                cpu = _cpu_seconds(pid) - before
        for path, label in PAGES[1:] + PAGES[:1]:
            warm[path] = open_page(page, label)
        page.close()
    return {path: (cold[path], warm[path]) for path, _ in PAGES}, cpu


def many_at_once(browser: Browser, database: Path, dates: list[date | None]) -> list[float]:
    """Sessions (one per date; None: the default) on the tiers page all open the overview at once: run seconds."""
    with server(database) as (url, _pid):
        pages = [sign_in(browser, url, "VP", f"?as_of={day.isoformat()}" if day else "") for day in dates]
        counts = [page.evaluate("() => window.__runs.length") for page in pages]
        for page in pages:
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Overview", exact=True).click(
                no_wait_after=True
            )
        runs = []
        for page, count in zip(pages, counts, strict=True):
            _drawn(page, count, timeout=600)
            started, ended = page.evaluate("(n) => window.__runs[n]", count)
            runs.append((ended - started) / 1000)
            page.close()
    return runs


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exports", type=Path, default=ROOT / "bench" / "out" / "parquet")
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "kam_browser.duckdb")
    parser.add_argument("--sessions", type=int, default=20)
    options = parser.parse_args()
    if not options.db.exists():
        from kam.ingest.bootstrap import load_demo
        from kam.store import db

        with db.connect(options.db) as con:
            load_demo(con, options.exports)
            con.execute("CHECKPOINT")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        lines = ["| page | role | cold, s | warm, s |", "| --- | --- | ---: | ---: |"]
        cpu = {}
        for user in USERS:
            timings, cpu[user] = pages_of(browser, options.db, user)
            for path, (cold, warm) in timings.items():
                shown = "(signed in here)" if cold is None else f"{cold:.2f}"
                lines.append(f"| {path} | {user} | {shown} | {warm:.2f} |")
                print(lines[-1], flush=True)
        lines += ["", "| server CPU, cold overview | seconds |", "| --- | ---: |"]
        lines += [f"| {user} | {seconds:.2f} |" for user, seconds in cpu.items()]
        print("\n".join(lines[-2:]), flush=True)
        lines += ["", f"| {options.sessions} sessions open the overview at once | p50, s | p95, s | max, s |"]
        lines += ["| --- | ---: | ---: | ---: |"]
        latest = None
        own = [date(2026, 11, 20) - timedelta(days=i) for i in range(options.sessions)]
        for label, dates in (("sharing a date", [latest] * options.sessions), ("each its own date", own)):
            runs = many_at_once(browser, options.db, dates)
            lines.append(
                f"| {label} | {statistics.median(runs):.2f} | {_percentile(runs, 0.95):.2f} | {max(runs):.2f} |"
            )
            print(lines[-1], flush=True)
        browser.close()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""Static output drawn by the server's Chromium: chart PNGs (kaleido) and A4 PDFs (print to PDF)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import plotly.graph_objects as go

from kam.i18n import _

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# Seconds Chromium may take for all the charts, or for one PDF, before the brief goes without.
TIMEOUT = 120
T = TypeVar("T")


class RenderError(Exception):
    """Chromium could not draw; str() says why, for the reader of the brief, in the brief's language."""


def find_browser(configured: str = "") -> str | None:
    """The Chromium program to use: the configured one if it exists, else the first on PATH."""
    if configured:
        path = Path(configured)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end from synchronous code, also where a loop is already running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _pngs(figures: Sequence[go.Figure], browser: str, width: int, scale: float) -> list[bytes]:
    import kaleido  # imported here: the brief without charts must work where it cannot start

    # One browser draws every chart; MathJax off, so that nothing is fetched from the internet.
    async with kaleido.Kaleido(n=1, mathjax=False, path=browser, timeout=TIMEOUT) as renderer:
        return [
            await renderer.calc_fig(
                fig, opts={"format": "png", "width": width, "height": fig.layout.height or 360, "scale": scale}
            )
            for fig in figures
        ]


def chart_pngs(figures: Sequence[go.Figure], browser: str, width: int = 680, scale: float = 1.5) -> list[bytes]:
    """Each figure as a PNG of the given CSS width, drawn by one Chromium."""
    try:
        return _run(asyncio.wait_for(_pngs(figures, browser, width, scale), TIMEOUT))
    except Exception as error:  # any failure of the browser leaves the brief with its tables
        why = _("Chromium ({browser}) could not draw the charts: {error}")
        raise RenderError(why.format(browser=browser, error=type(error).__name__)) from error


def print_pdf(html: str, browser: str) -> bytes:
    """The HTML document printed to PDF by Chromium; the page size comes from the document's CSS @page."""
    with tempfile.TemporaryDirectory(prefix="kam-pdf-") as folder:
        source, target = Path(folder) / "brief.html", Path(folder) / "brief.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium refuses to run its sandbox as root (containers, CI).
            command.insert(1, "--no-sandbox")
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=True)
            return target.read_bytes()
        except (OSError, subprocess.SubprocessError) as error:
            why = _("Chromium ({browser}) could not print the PDF: {error}")
            raise RenderError(why.format(browser=browser, error=type(error).__name__)) from error

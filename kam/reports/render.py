"""Static output drawn by the server's Chromium: chart PNGs (kaleido) and A4 PDFs (print to PDF)."""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import hashlib
import itertools
import os
import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

import plotly.graph_objects as go
import plotly.io as pio

from kam import logs
from kam.i18n import _
from kam.reports import pdf_text

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# Seconds Chromium may take for all the charts, or for one PDF, before the brief goes without.
TIMEOUT = 120
# Seconds a Chromium stays running after its last drawing (it holds some 100 MB meanwhile).
IDLE_SECONDS = 600
# Seconds Chromium may take to close.
STOP_SECONDS = 10
T = TypeVar("T")


class RenderError(Exception):
    """Chromium could not draw; str() says why, for the reader of the brief, in the brief's language."""


def find_browser(configured: str = "") -> str | None:
    """The Chromium program to use: the configured one if it exists, else the first on PATH."""
    if configured:
        path = Path(configured)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


class _Chromium:
    """One Chromium (kaleido's) kept running on a thread of its own, for chart pictures and PDFs.

    Starting Chromium takes one to three seconds, more than drawing a brief's charts or printing it;
    kept running, a second download waits only for its own work. It closes after IDLE_SECONDS
    without work, after any failure (the next call starts a new one), and when the process ends.
    """

    def __init__(self, browser: str) -> None:
        self.browser = browser
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._renderer: Any = None
        self._idle: threading.Timer | None = None

    def call(self, work: Callable[[Any], Coroutine[Any, Any, T]]) -> T:
        """work(renderer) run on the running Chromium (started if needed), within TIMEOUT seconds."""
        with self._lock:
            if self._idle is not None:
                self._idle.cancel()
            try:
                if self._renderer is not None and self._renderer.subprocess.poll() is not None:
                    self._stop()  # it ended on its own (killed, crashed): start another
                if self._renderer is None:
                    self._start()
                return self._submit(work(self._renderer))
            except BaseException:
                self._stop()
                raise
            finally:
                if self._renderer is not None:
                    self._idle = threading.Timer(IDLE_SECONDS, self.close)
                    self._idle.daemon = True
                    self._idle.start()

    def close(self) -> None:
        """Stop the browser and its thread, if running."""
        with self._lock:
            self._stop()

    def _start(self) -> None:
        import kaleido  # imported here: the brief without charts must work where it cannot start

        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="kam-chromium", daemon=True).start()
        # MathJax off, so that nothing is fetched from the internet.
        renderer = kaleido.Kaleido(n=1, mathjax=False, path=self.browser, timeout=TIMEOUT)
        self._submit(renderer.open())
        self._renderer = renderer

    def _submit(self, coroutine: Coroutine[Any, Any, T]) -> T:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(asyncio.wait_for(coroutine, TIMEOUT), self._loop)
        try:
            return future.result(TIMEOUT + 5)
        except BaseException:
            future.cancel()
            raise

    def _stop(self) -> None:
        renderer, loop = self._renderer, self._loop
        self._renderer = self._loop = None
        if loop is None:
            return
        if renderer is not None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(renderer.close(), loop).result(STOP_SECONDS)
        loop.call_soon_threadsafe(loop.stop)


_browsers: dict[str, _Chromium] = {}
_browsers_lock = threading.Lock()
# Chart pictures by what they show: the same figures (same data, scope and language) are not drawn twice.
_pictures: OrderedDict[tuple, bytes] = OrderedDict()
PICTURES_KEPT = 48
_pictures_lock = threading.Lock()


def _chromium(browser: str) -> _Chromium:
    with _browsers_lock:
        if browser not in _browsers:
            _browsers[browser] = _Chromium(browser)
        return _browsers[browser]


@atexit.register
def close_all() -> None:
    """Stop every running Chromium (registered to run when the process ends)."""
    for running in list(_browsers.values()):
        running.close()


# Pictures are drawn with plotly's own white template. Importing Streamlit makes its template plotly's
# default: colours that are placeholders (#000001, …) its front end fills in, near-black anywhere else
# (plotly express writes them into the traces), and axes that make no room for their labels.
PICTURE_TEMPLATE = "plotly_white"


def _placeholder_colours() -> dict[str, str]:
    """Streamlit's placeholder colours, each with the colour the pictures' template has in its place."""
    if "streamlit" not in pio.templates:
        return {}
    placeholders, colours = pio.templates["streamlit"].layout, pio.templates[PICTURE_TEMPLATE].layout
    pairs = zip(placeholders.colorway, itertools.cycle(colours.colorway))
    for kind in ("sequential", "diverging"):
        scale = [colour for _, colour in placeholders.colorscale[kind]]
        theirs = [colour for _, colour in colours.colorscale[kind]]
        pairs = itertools.chain(
            pairs, ((p, theirs[round(i * (len(theirs) - 1) / (len(scale) - 1))]) for i, p in enumerate(scale))
        )
    return {placeholder.lower(): colour for placeholder, colour in pairs}


def _for_picture(fig: go.Figure) -> go.Figure:
    """A copy of fig in the pictures' template and colours (fig itself may be on a page, in Streamlit's)."""
    text = fig.to_json()
    for placeholder, colour in _placeholder_colours().items():
        text = re.sub(f'"{placeholder}"', f'"{colour}"', text, flags=re.IGNORECASE)
    return pio.from_json(text).update_layout(template=PICTURE_TEMPLATE)


async def _pngs(renderer: Any, figures: Sequence[go.Figure], width: int, scale: float) -> list[bytes]:
    return [
        await renderer.calc_fig(
            _for_picture(fig),
            opts={"format": "png", "width": width, "height": fig.layout.height or 360, "scale": scale},
        )
        for fig in figures
    ]


def chart_pngs(figures: Sequence[go.Figure], browser: str, width: int = 680, scale: float = 1.5) -> list[bytes]:
    """Each figure as a PNG of the given CSS width, drawn by one Chromium."""
    keys = [(browser, width, scale, hashlib.sha256(fig.to_json().encode()).digest()) for fig in figures]
    with _pictures_lock:
        missing = [(key, fig) for key, fig in zip(keys, figures, strict=True) if key not in _pictures]
    drawn = _draw([fig for _, fig in missing], browser, width, scale) if missing else []
    with _pictures_lock:
        _pictures.update((key, png) for (key, _fig), png in zip(missing, drawn, strict=True))
        pictures = [_pictures[key] for key in keys]
        for key in keys:
            _pictures.move_to_end(key)
        while len(_pictures) > PICTURES_KEPT:
            _pictures.popitem(last=False)
    return pictures


def _draw(figures: list[go.Figure], browser: str, width: int, scale: float) -> list[bytes]:
    try:
        return _chromium(browser).call(lambda renderer: _pngs(renderer, figures, width, scale))
    except Exception as error:  # any failure of the browser leaves the brief with its tables
        why = _("Chromium ({browser}) could not draw the charts: {error}")
        raise RenderError(why.format(browser=browser, error=type(error).__name__)) from error


async def _pdf(renderer: Any, page: Path) -> bytes:
    tab = await renderer.create_tab("about:blank")
    try:
        await tab.send_command("Page.enable")
        loaded = tab.subscribe_once("Page.loadEventFired")
        await tab.send_command("Page.navigate", params={"url": page.as_uri()})
        await loaded
        # The page size and margins come from the document's CSS @page.
        printed = await tab.send_command(
            "Page.printToPDF", params={"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False}
        )
        return base64.b64decode(printed["result"]["data"])
    finally:
        await renderer.close_tab(tab)


def print_pdf(html: str, browser: str) -> bytes:
    """The HTML document printed to PDF by Chromium, its text layer holding the characters it shows (not the
    CJK radicals that share their glyphs); the page size comes from the document's CSS @page."""
    with tempfile.TemporaryDirectory(prefix="kam-pdf-") as folder:
        source = Path(folder) / "brief.html"
        source.write_text(html, encoding="utf-8")
        try:
            printed = _chromium(browser).call(lambda renderer: _pdf(renderer, source))
        except Exception as error:
            why = _("Chromium ({browser}) could not print the PDF: {error}")
            raise RenderError(why.format(browser=browser, error=type(error).__name__)) from error
    try:
        return pdf_text.true_text(printed)
    except Exception as error:  # the PDF as printed reads right; only searching it finds less
        logs.event("WARNING", "pdf_text_layer", error=type(error).__name__)
        return printed

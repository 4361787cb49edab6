"""Driving the app with Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
ENTRY = Path(__file__).resolve().parent / "app_entry.py"


def start(page: str | None = None) -> AppTest:
    """Run the app, on its default page or on pages/<page>.py."""
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    if page is not None:
        at.switch_page(str(ROOT / "pages" / f"{page}.py"))
    return at.run()

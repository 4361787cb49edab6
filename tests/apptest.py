"""Driving the app with Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


def start() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=60).run()


def rerun(at: AppTest) -> AppTest:
    """Run the app again after a widget change, entry script included.

    AppTest 1.67 reruns a st.navigation app by running only the page it finished on, so
    widgets of the entry script (the shared sidebar filters) would vanish; forgetting
    that page makes it run the entry script, as a browser rerun does.
    """
    at._finished_page_script_hash = ""
    return at.run()

"""Runs app.py for AppTest from a folder with no `pages/` beside it.

Streamlit treats a main script with a `pages/` folder beside it as an old-style
multipage app on every AppTest run, and would then run a page alone, without the
entry script's sidebar filters. A browser session runs app.py itself.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py"), run_name="__main__")

"""The served dashboard's Streamlit settings that its speed depends on."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_deployed_server_does_not_watch_its_source_files():
    # With a watcher, every script run ends with a walk over every loaded module's path on the
    # server's event loop: 20 sessions opening a page at once waited on each other's walks.
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    assert server["fileWatcherType"] == "none"
    assert server.get("runOnSave", False) is False


def test_the_deployed_server_does_not_collect_all_garbage_after_each_run():
    # A full collection after every script run walks every object the process holds (the shared
    # results, figures and tables): with 20 sessions it held the others up for a tenth of a second each.
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["runner"]["postScriptGC"] is False

"""The background thread that loads a complete set of exports from the import folder and makes the daily backup."""

from __future__ import annotations

import atexit
import logging
import threading
from pathlib import Path

import duckdb
import streamlit as st

from kam.config import settings
from kam.ingest import loader, uploads
from kam.store import audit, backup
from kam.ui import background, dashboard

log = logging.getLogger("kam")
BACKUP_BY = "daily backup"


def tick(con: duckdb.DuckDBPyConnection) -> None:
    """One look: load the import folder if it is ready, make the backup if one is due."""
    policy = settings()
    if policy.import_watch_seconds > 0:
        try:
            if (report := uploads.load_when_ready(con, policy.import_dir)) is not None:
                log.info("import folder loaded: load %s", report.load_id)
        except loader.LoadError as error:
            # Audited by the load; the marker is gone, so it is not tried again until the next set.
            log.warning("import folder not loaded: %s", error)
    made = backup.make_due(con, policy.backups, policy.backup_every_hours, policy.backup_keep)
    if made is not None:
        audit.record_alone(con, BACKUP_BY, "backup", str(made))
        log.info("backup made in %s", made)


def _loop(con: duckdb.DuckDBPyConnection, stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            with con.cursor() as cur:
                tick(cur)
        except Exception:
            # Logged and tried again at the next look; the dashboard goes on.
            log.exception("the import folder's load or the daily backup failed")


@st.cache_resource(show_spinner=False)
def _start(path: str, _con: duckdb.DuckDBPyConnection) -> threading.Event:
    stop = threading.Event()
    every = settings().import_watch_seconds or 300
    thread = threading.Thread(target=_loop, args=(_con, stop, every), name=f"watcher {path}", daemon=True)
    thread.start()
    atexit.register(background.stop, stop, thread)
    return stop


def start() -> None:
    """Start the thread once per process and database."""
    _start(str(settings().db_path), dashboard.database())


def backup_now(by: str) -> Path:
    """A backup into the backups folder at once (the admin page's button), audited; its folder."""
    policy = settings()
    con = dashboard.database()
    made = backup.make_now(con, policy.backups, policy.backup_keep)
    audit.record_alone(con, by, "backup", str(made))
    log.info("backup made in %s by %s", made, by)
    return made


def last_import() -> str | None:
    """What the import folder's last load did (its LAST_LOAD.txt), or None."""
    try:
        return (settings().import_dir / uploads.LAST_LOAD).read_text(encoding="utf-8").strip()
    except OSError:
        return None

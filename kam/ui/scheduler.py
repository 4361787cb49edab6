"""The background thread that mails the weekly brief when the admin's schedule says so."""

from __future__ import annotations

import atexit
import logging
import threading
from datetime import datetime

import duckdb
import streamlit as st

from kam.config import settings
from kam.jobs import briefs
from kam.reports.brief import mail_files
from kam.ui import background, dashboard

log = logging.getLogger(__name__)


def _loop(con: duckdb.DuckDBPyConnection, stop: threading.Event) -> None:
    # Wake at the start of each minute; send_due sends a slot once, however often it is asked.
    while not stop.wait(60 - datetime.now().second):
        try:
            with con.cursor() as cur:
                for line in briefs.send_due(cur, mail_files):
                    log.info("weekly brief %s", line)
        except Exception:
            # A failure is logged and tried again at the next minute; the dashboard goes on.
            log.exception("sending the weekly brief failed")


@st.cache_resource(show_spinner=False)
def _start(path: str, _con: duckdb.DuckDBPyConnection) -> threading.Event:
    stop = threading.Event()
    thread = threading.Thread(target=_loop, args=(_con, stop), name=f"brief-mailer {path}", daemon=True)
    thread.start()
    atexit.register(background.stop, stop, thread)
    return stop


def start() -> None:
    """Start the mailing thread once per process and database."""
    _start(str(settings().db_path), dashboard.connection())

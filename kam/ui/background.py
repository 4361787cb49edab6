"""Stopping the dashboard's background threads (the import watcher, the brief mailer) when the process ends."""

from __future__ import annotations

import threading

# Long enough for a look at the import folder or a mailing to end; a load under way is one transaction
# either way.
STOP_WAIT_SECONDS = 10.0


def stop(event: threading.Event, thread: threading.Thread) -> None:
    """Ask a background loop to end and wait for it (registered with atexit).

    A daemon thread still inside DuckDB when the interpreter finalises is cut off in the middle of
    the database's own code, which aborts the whole process.
    """
    event.set()
    thread.join(STOP_WAIT_SECONDS)

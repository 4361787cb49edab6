"""The VP's default overview, computed in the background when the server starts and after each load.

The first people to open the dashboard after a start or a load would otherwise each wait for
the overview's metric queries. This thread asks them once, through the same shared cache the
pages use (kam.ui.dashboard), for the sidebar's defaults: the whole company, as of the data date,
the last full week with the year to date beside it, in every language of the interface (the
deployment's default first). A visit entered in the app changes the data version but starts no
new warm-up: only a load does. Anything else (another period, filter or date, a manager's own
accounts) is computed on its first request, as before.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb

from kam import i18n, logs
from kam.config import settings
from kam.metrics.filters import Filters
from kam.metrics.periods import DEFAULT_PERIOD
from kam.metrics.scope import Scope
from kam.reports import overview
from kam.store import db
from kam.ui import dashboard

log = logging.getLogger(__name__)
# The loads (database path, load id, load time) whose default view was computed or is being computed.
_warmed: set[tuple] = set()
_lock = threading.Lock()
# Whether this process serves the dashboard (server.py's start-up says so).
_serving = False


def default_scope(con: duckdb.DuckDBPyConnection) -> Scope | None:
    """The sidebar's default scope for someone who sees everything (None before any load)."""
    data_date = db.data_date(con)
    if data_date is None:
        return None
    return Filters(data_date, DEFAULT_PERIOD, None, None, (), (), ()).scope()


def warm(version: tuple) -> None:
    """Compute the default overview's metric calls for this data version into the shared cache."""
    started = time.perf_counter()
    with dashboard.database().cursor() as con:
        scope = default_scope(con)
    if scope is None:
        return
    default = settings().language
    languages = [default, *(language for language in i18n.LANGUAGES if language != default)]
    for language in languages:

        def compute(call: overview.Call, language: str = language) -> None:
            metric, scope, options = call
            dashboard.cached_for(version, language, metric, scope, **options)

        # Two at a time, as a page's prefetch does.
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(compute, overview.calls(scope)))
    elapsed = round((time.perf_counter() - started) * 1000)
    logs.event("INFO", "warm_up", page="overview", as_of=scope.as_of, run_ms=elapsed)


def _warm_logged(version: tuple) -> None:
    try:
        warm(version)
    except Exception as error:
        # The pages compute what is missing on request; the warm-up only saves them the wait.
        log.exception("computing the default overview failed")
        logs.event("ERROR", "warm_up", page="overview", error=type(error).__name__)


def on_server_start() -> None:
    """Open the database (building it on a first start) and warm its default view, in the background;
    from then on each load warms again. Never called in a test's AppTest run, which would not wait for it."""
    global _serving
    _serving = True

    def opened() -> None:
        try:
            start(dashboard.data_version(dashboard.connection()))
        except Exception as error:
            log.exception("opening the database for the warm-up failed")
            logs.event("ERROR", "warm_up", page="overview", error=type(error).__name__)

    threading.Thread(target=opened, name="warm-up start", daemon=True).start()


def start(version: tuple) -> None:
    """Start the warm-up once per load of this data version's database (not for a visit entered in the app).

    Every page run calls it with the version it read, so the first run after a load starts it.
    """
    load = version[:3]
    if not _serving:
        return
    with _lock:
        if load in _warmed:
            return
        _warmed.add(load)
    threading.Thread(target=_warm_logged, args=(version,), name="warm-up overview", daemon=True).start()
